"""The SQLite catalogue (sqlite-utils): the only place that writes SQL. See docs/catalogue.md.

Rows are derived from archived records, so the whole catalogue can be rebuilt from the
WARCs (`nianbao replay`). One process writes (the crawl's pipeline); WAL lets readers
query meanwhile. Report versions and withdrawals live in `catalogue/versions.py`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from catalogue.migrations import migrate
from catalogue.schema import REPORT_COLUMNS
from catalogue.versions import ReportVersions

__all__ = ["Catalogue", "REPORT_COLUMNS", "report_key"]

APPROXIMATE_TERM = 6  # search terms this long also find OCR'd reports with a misread character
APPROXIMATE_CANDIDATES = 200  # OCR'd reports sharing the most trigrams, matched in full


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def checkpoint(path: str | os.PathLike[str]) -> None:
    """Fold the WAL into the file, so a link or rename of the file carries every commit."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("pragma wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def report_key(agency: str | None, year: int | None, title: str | None) -> str:
    """One logical report whatever portal re-posts it: issuing body + year + title."""
    norm = re.sub(r"[\s（）()【】\[\]《》]|\u3000", "", title or "")
    norm = re.sub(r"(年度?)政府信息公开工作年度报告$", r"\1报告", norm)
    raw = f"{agency or ''}|{year or ''}|{norm}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


class Catalogue(ReportVersions):
    """The catalogue database. `batch_items` > 1 (the crawl's CATALOGUE_BATCH_ITEMS) commits
    items in batches: SQLite and the FTS index pay per transaction far more than per row.
    `cache_mb` is SQLite's page cache for this connection (the crawl's CATALOGUE_CACHE_MB)."""

    def __init__(self, path: str | os.PathLike[str], batch_items: int = 1, batch_seconds: float = 2.0,
                 cache_mb: int = 64) -> None:
        self.path = str(path)
        self.db = sqlite_utils.Database(self.path)
        self.db.enable_wal()
        self.db.execute("pragma synchronous = normal")
        self.db.execute("pragma busy_timeout = 10000")
        # Writes update indexes all over report_stats: their pages stay in this cache rather
        # than being read again through the OS's page cache, a syscall each. It fills whatever
        # the size (a long crawl's catalogue is gigabytes), so the crawl sizes it to its budget.
        self.db.execute(f"pragma cache_size = {-1024 * max(1, int(cache_mb))}")
        migrate(self.db)
        self._sql: dict[tuple, str] = {}
        self.batch_items, self.batch_seconds = max(1, batch_items), batch_seconds
        self._depth = self._pending = 0
        self._batch_started = 0.0
        # Checkpoint hooks: the crawl makes the WARC and CDXJ durable before a batch whose
        # rows point at them commits (issue 11).
        self.before_commit: Callable[[], None] | None = None
        self.after_commit: Callable[[], None] | None = None

    @classmethod
    def read_only(cls, path: str | os.PathLike[str]) -> Catalogue:
        """A catalogue for readers (search, changes): no statement through it can change the file."""
        from catalogue.read import connect

        self = cls.__new__(cls)
        self.path = str(path)
        self.db = sqlite_utils.Database(connect(path))
        self._sql = {}
        self.batch_items, self.batch_seconds = 1, 0.0
        self._depth = self._pending = 0
        self._batch_started = 0.0
        return self

    # -- transactions --------------------------------------------------------------------------

    @contextmanager
    def item(self) -> Iterator[None]:
        """One item's writes, all or none (a savepoint), committed with its batch.

        A failing item rolls back alone; the rest of the batch stands. A killed crawl loses
        only the uncommitted batch, which the resumed run catalogues again from the archive.
        Writes inside an item must not go through sqlite-utils, which commits on its own.
        """
        conn = self.db.conn
        outer = self._depth == 0
        if outer:
            if not conn.in_transaction:
                conn.execute("begin")
                self._batch_started = time.monotonic()
            conn.execute("savepoint item")
        self._depth += 1
        try:
            yield
        except BaseException:
            if outer:
                conn.execute("rollback to item")
                conn.execute("release item")
            raise
        finally:
            self._depth -= 1
        if outer:
            conn.execute("release item")
            self._pending += 1
            if (self._pending >= self.batch_items
                    or time.monotonic() - self._batch_started >= self.batch_seconds):
                self.commit()

    def commit(self) -> None:
        """Commit the open batch (the crawl calls this on a timer and when it closes)."""
        if self.db.conn.in_transaction:
            if self.before_commit is not None:
                self.before_commit()
            self.db.conn.commit()
            if self.after_commit is not None:
                self.after_commit()
        self._pending = 0

    # -- crawl runs ----------------------------------------------------------------------------

    def start_run(self, command: str, portals: list[str]) -> int:
        table = self.db["crawl_runs"]
        table.insert({"started": now(), "command": command, "status": "running",
                      "portals": json.dumps(portals, ensure_ascii=False)})
        return table.last_pk

    def interrupted_run(self, portals: list[str]) -> int | None:
        """The last run over these portals if it never finished (killed): resume it."""
        row = next(self.db["crawl_runs"].rows_where(
            "portals = ?", [json.dumps(portals, ensure_ascii=False)], order_by="id desc", limit=1), None)
        return row["id"] if row and row["status"] == "running" else None

    def finish_run(self, run_id: int, status: str, stats: dict[str, Any],
                   withdraw_after_runs: int = 2) -> dict[str, Any]:
        self.commit()
        portals = json.loads(self.db["crawl_runs"].get(run_id)["portals"])
        if status == "finished":
            self.withdraw_unlisted(run_id, portals, withdraw_after_runs)
        errors = {k.split("/", 2)[-1]: v for k, v in stats.items() if k.startswith("nianbao/errors/")}
        count = lambda sql: self.db.execute(sql, [run_id]).fetchone()[0]  # noqa: E731
        row = {
            "finished": now(), "status": status,
            "pages_fetched": stats.get("downloader/response_count", 0),
            "warc_bytes": stats.get("warc/bytes_written", 0),
            "captures": count("select count(*) from captures where run_id = ?"),
            "reports_new": count("select count(*) from reports where first_seen_run = ?"),
            "reports_changed": count("select count(*) from report_versions where run_id = ? and version > 1"),
            "reports_seen": count("select count(*) from reports where last_seen_run = ?"),
            "reports_withdrawn": count("select count(*) from reports where withdrawn_run = ?"),
            "failed": count("select count(*) from captures where run_id = ? and (error is not null or status >= 400)")
            + sum(errors.values()),
            "errors": json.dumps(errors), "stats": json.dumps(stats, default=str),
            "refused": stats.get("nianbao/refused", 0),
            "warnings": json.dumps(stats.get("nianbao/warnings", []), ensure_ascii=False),
        }
        row["reports_unchanged"] = row["reports_seen"] - row["reports_new"] - row["reports_changed"]
        self.db["crawl_runs"].update(run_id, row)
        return self.db["crawl_runs"].get(run_id)

    def run(self, run_id: int) -> dict[str, Any]:
        """A crawl run's row (sqlite-utils' NotFoundError if there is none)."""
        return self.db["crawl_runs"].get(run_id)

    def report_count(self) -> int:
        return self.db["reports"].count

    # -- captures ------------------------------------------------------------------------------

    def add_capture(self, row: dict[str, Any]) -> None:
        with self.item():
            self._write("captures", row, ("url", "run_id"))

    # -- prepared writes: the crawl's hot path goes through these, not sqlite-utils' introspection

    def _write(self, table: str, row: dict[str, Any], pk: tuple[str, ...]) -> None:
        """Insert, or on a primary-key conflict update the given columns (SQLite upsert)."""
        columns = tuple(row)
        sql = self._sql.get((table, columns, pk))
        if sql is None:
            names = ", ".join(f"[{c}]" for c in columns)
            updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in columns if c not in pk) or f"[{pk[0]}] = [{pk[0]}]"
            sql = (f"insert into [{table}] ({names}) values ({', '.join('?' * len(columns))}) "
                   f"on conflict ({', '.join(pk)}) do update set {updates}")
            self._sql[(table, columns, pk)] = sql
        self.db.conn.execute(sql, [row[c] for c in columns])

    def _update(self, table: str, rid: str, values: dict[str, Any]) -> None:
        sets = ", ".join(f"[{c}] = ?" for c in values)
        self.db.conn.execute(f"update [{table}] set {sets} where id = ?", [*values.values(), rid])

    def known_pages(self, portal: str) -> list[dict[str, Any]]:
        """The latest capture of every report page and attachment of a portal, with validators,
        and for an attachment that is a report the page that links it (`parent_url`)."""
        return list(self.db.query(
            """select c.url, c.kind, c.page_kind, c.etag, c.last_modified, c.payload_digest, c.fetched_at, c.record_id,
                      c.warc_filename, c.warc_offset, c.warc_length, c.report_id,
                      case when c.kind = 'attachment' then (select min(rc.url) from report_captures rc
                          where rc.report_id = c.report_id and rc.url != c.url) end as parent_url
               from captures c join (select url, max(run_id) as run_id from captures
                                     where portal = ? and status = 200 and record_type = 'response'
                                     group by url) latest
               on c.url = latest.url and c.run_id = latest.run_id""", [portal]))

    # -- reading -------------------------------------------------------------------------------

    def search(self, text: str, year: int | None = None, province: str | None = None,
               level: str | None = None, limit: int = 20, rank: bool = False,
               approximate: bool = True) -> list[dict[str, Any]]:
        """Full-text search over title, agency and text; works for Chinese of any length.

        The trigram index answers terms of three characters or more; shorter terms (年报,
        复议) fall back to a substring scan, which trigram cannot index. Results come newest
        catalogued first, which lets SQLite stop at `limit` even when a common term (政务公开)
        matches every report; `rank=True` orders by bm25 relevance instead, scoring every match.
        Each result says how it matched (`match`): "exact", or, with `approximate`, after the
        exact ones, "approximate" for a report read by OCR that holds a long term with a
        misread character or two (`_approximate`).
        """
        terms = text.split()
        if not terms:
            raise ValueError("search needs at least one term")
        filters = [(column, value) for column, value in (("r.year", year), ("r.province", province),
                                                         ("r.level", level)) if value is not None]
        where = [f"{column} = ?" for column, _ in filters]
        params: list[Any] = [value for _, value in filters]
        for term in terms:
            if len(term) < 3:
                where.append("(r.title like ? or r.agency like ? or r.text like ?)")
                params += [f"%{term}%"] * 3
        fts_terms = [t for t in terms if len(t) >= 3]
        select = ("select r.id, r.title, r.agency, r.year, r.province, r.level, r.url, "
                  "{snippet} as snippet from reports r {join} {where} {order} limit ?")
        if fts_terms:
            match = " ".join('"' + t.replace('"', '""') + '"' for t in fts_terms)
            sql = select.format(
                snippet="snippet(reports_fts, 2, '[', ']', '…', 12)",
                join="join reports_fts on reports_fts.rowid = r.rowid",
                where="where reports_fts match ?" + "".join(f" and {w}" for w in where),
                order="order by reports_fts.rank" if rank else "order by reports_fts.rowid desc")
            params = [match, *params]
        else:
            sql = select.format(snippet="substr(r.text, 1, 60)", join="",
                                where=("where " + " and ".join(where)) if where else "",
                                order="order by r.year desc")
        cursor = self.db.execute(sql, [*params, limit])
        columns = [d[0] for d in cursor.description]
        found = [{**dict(zip(columns, row, strict=True)), "match": "exact"} for row in cursor.fetchall()]
        if approximate and len(found) < limit:
            found += self._approximate(terms, filters, limit - len(found), {r["id"] for r in found})
        return found

    def _approximate(self, terms: list[str], filters: list[tuple[str, Any]], limit: int,
                     exclude: set[str]) -> list[dict[str, Any]]:
        """Reports read by OCR that hold every term, a long one (APPROXIMATE_TERM characters or
        more) with up to one edit in eight characters: OCR misreads a character now and then
        (门户 read 內户, 深入 read 深人), and a phrase holding one was not found at all. The
        candidates are the OCR'd reports sharing most trigrams with the longest term, ranked by
        their own index (reports_ocr_fts: ranking them among every report cost 160 ms at 100,000
        reports), each then matched in full (`_fuzzy_find`)."""
        long = [t for t in terms if len(t) >= APPROXIMATE_TERM]
        if not long or limit <= 0:
            return []
        index = self._ocr_index()
        if index is None:
            return []
        key = max(long, key=len)
        grams = dict.fromkeys(key[i:i + 3] for i in range(len(key) - 2))
        match = " OR ".join('"' + g.replace('"', '""') + '"' for g in grams)
        sql = (f"select r.id, r.title, r.agency, r.year, r.province, r.level, r.url, r.text from reports r "
               f"join {index} on {index}.rowid = r.rowid where {index} match ?"
               + (" and r.ocr = 1" if index == "reports_fts" else "")
               + "".join(f" and {column} = ?" for column, _ in filters)
               + f" order by {index}.rank limit ?")
        found = []
        for row in self.db.query(sql, [match, *[v for _, v in filters], APPROXIMATE_CANDIDATES]):
            if row["id"] in exclude:
                continue
            body = "\n".join(x or "" for x in (row["title"], row["agency"], row["text"]))
            if not all(t in body for t in terms if t not in long):
                continue
            spans = [_fuzzy_find(t, body) for t in long]
            if not all(spans):
                continue
            a, b = spans[long.index(key)]
            row["snippet"] = f"…{body[max(0, a - 12):a]}[{body[a:b]}]{body[b:b + 12]}…".replace("\n", " ")
            del row["text"]
            found.append({**row, "match": "approximate"})
            if len(found) >= limit:
                break
        return found

    def _ocr_index(self) -> str | None:
        """The index to find OCR'd reports in: their own, or in a catalogue opened read-only
        before migration 6 made it, every report's (filtered by `ocr`); None before OCR was."""
        if "reports_ocr_fts" in self.db.table_names():
            return "reports_ocr_fts"
        return "reports_fts" if "ocr" in self.db["reports"].columns_dict else None

    def query(self, sql: str, params: Any = None) -> tuple[list[str], list[tuple]]:
        cursor = self.db.execute(sql, params or [])
        columns = [d[0] for d in cursor.description or []]
        return columns, cursor.fetchall()

    def close(self) -> None:
        self.commit()
        self.db.close()


def _fuzzy_find(term: str, body: str) -> tuple[int, int] | None:
    """Where `term` stands in `body` with at most one edit in eight characters, or None.

    Only around the term's own trigrams: so few edits leave at least one trigram of the term
    whole (each edit breaks at most the three holding its character), and a match lies within
    an edit or two of where that trigram puts it. A body lacking trigrams that no `edits`
    characters of the term all hold has no match, and is passed over before any matching.
    Fuzzy matching the whole text instead took ~0.3 ms per report, 60 ms per search."""
    edits, pattern = _fuzzy_pattern(term)
    present = [body.find(term[j:j + 3]) for j in range(len(term) - 2)]
    if not _coverable([j for j, at in enumerate(present) if at < 0], edits):
        return None
    starts = set()
    for j, at in enumerate(present):
        gram = term[j:j + 3]
        while at >= 0:
            starts.add(max(0, at - j - edits))
            at = body.find(gram, at + 1)
    for start in sorted(starts):
        hit = pattern.search(body, start, start + len(term) + 2 * edits)
        if hit:
            return hit.span()
    return None


def _coverable(missing: list[int], edits: int) -> bool:
    """Whether `edits` characters of the term lie in every missing trigram (by its start):
    an edit breaks only the trigrams holding its character, three consecutive at most."""
    for _ in range(edits):
        if not missing:
            return True
        missing = [j for j in missing if j > missing[0] + 2]  # the first one's last character covers these
    return not missing


@functools.lru_cache(maxsize=64)
def _fuzzy_pattern(term: str) -> tuple[int, Any]:
    import regex

    edits = max(1, len(term) // 8)
    return edits, regex.compile(f"(?:{regex.escape(term)}){{e<={edits}}}")
