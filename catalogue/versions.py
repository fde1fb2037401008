"""Reports as versions: a new version only when the extracted content changes, and
withdrawal (never deletion) when a report disappears. Part of `Catalogue`.

Portals change bytes without changing content (view counters, timestamps), so versions key
on a hash of the extracted text and statistics, not on the payload digest.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from catalogue.schema import REPORT_COLUMNS
from extract.model import STATS_KEYS


def content_hash(row: dict[str, Any], details: dict[str, Any] | None) -> str:
    cells = [(c.get("table"), c.get("row_label"), c.get("col_label"), c.get("value"))
             for c in (details or {}).get("cells", [])]
    payload = json.dumps([row.get("title"), row.get("text"), [row.get(k) for k in STATS_KEYS], cells],
                         ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def seen_fields(run_id: int, seen_at: str | None, listed: bool) -> dict[str, Any]:
    """A report seen in this run stands (again): current, never withdrawn while it answers."""
    fields = {"last_seen_run": run_id, "last_seen": (seen_at or today())[:10], "status": "current",
              "withdrawn_on": None, "withdrawn_run": None}
    if listed:
        fields["last_listed_run"] = run_id
    return fields


class ReportVersions:
    db: Any
    item: Any  # Catalogue.item: one item's writes, committed with its batch

    def upsert_report(self, row: dict[str, Any], run_id: int, issuer_portal: bool,
                      details: dict[str, list[dict[str, Any]]] | None = None,
                      listed: bool = True) -> tuple[str, str]:
        """Insert or refresh one report; returns (id, "new" | "changed" | "unchanged").

        A report re-posted on another body's portal stays one row; the issuer's own capture
        (or the first one seen) supplies the fields. One catalogue item (`Catalogue.item`),
        prepared statements: this runs once per captured report, on the crawl's event loop.
        """
        row = {k: v for k, v in row.items() if k in REPORT_COLUMNS}
        rid, chash = row["id"], content_hash(row, details)
        seen = seen_fields(run_id, row.get("fetched_at"), listed)
        conn = self.db.conn
        with self.item():
            found = conn.execute("select portal, content_hash, version, issuer_copy, published "
                                 "from reports where id = ?", [rid]).fetchone()
            existing = dict(zip(("portal", "content_hash", "version", "issuer_copy", "published"), found,
                                strict=True)) if found else None
            self._write("report_captures", {
                "report_id": rid, "url": row["url"], "portal": row["portal"], "warc_filename": row["warc_filename"],
                "warc_offset": row["warc_offset"], "fetched_at": row["fetched_at"]}, ("report_id", "url"))
            row["issuer_copy"] = int(issuer_portal)
            if existing is None:
                self._replaced_at(row["url"], row["portal"], rid, run_id)
                self._write("reports", {**row, **seen, "content_hash": chash, "version": 1,
                                        "first_seen_run": run_id}, ("id",))
                self._add_version(rid, 1, chash, run_id, row)
                self._replace_details(rid, details or {})
                return rid, "new"
            if not self._is_primary(existing, row, issuer_portal):
                self._update("reports", rid, seen)  # a re-post elsewhere: the primary copy stays
                return rid, "unchanged"
            if existing["content_hash"] == chash:
                # Same content: refresh the pointers, leave the text (and its FTS entry) alone.
                keep = {k: v for k, v in row.items() if k not in ("text", "title", "agency")}
                self._update("reports", rid, {**keep, **seen})
                if existing["portal"] != row["portal"]:  # a preferred copy of the same version
                    conn.execute("update report_versions set url = ?, seen_at = ?, warc_filename = ?, "
                                 "warc_offset = ? where report_id = ? and version = ?",
                                 [row["url"], row.get("fetched_at"), row["warc_filename"], row["warc_offset"],
                                  rid, existing["version"]])
                return rid, "unchanged"
            version = existing["version"] + 1
            self._update("reports", rid, {**row, **seen, "content_hash": chash, "version": version})
            self._add_version(rid, version, chash, run_id, row)
            self._replace_details(rid, details or {})
            return rid, "changed"

    @staticmethod
    def _is_primary(existing: dict[str, Any], row: dict[str, Any], issuer_portal: bool) -> bool:
        """The issuer's own copy wins; between re-posts, the first published (the original)."""
        if issuer_portal or existing["portal"] == row["portal"]:
            return True
        if existing["issuer_copy"]:
            return False
        return bool(row.get("published")) and (not existing["published"] or row["published"] < existing["published"])

    def _replaced_at(self, url: str, portal: str, rid: str, run_id: int) -> None:
        """A new report at the URL of another on the same portal (its title, issuer or year now
        read otherwise: the portal corrected it, or a better reader did): the other no longer
        stands there. It is withdrawn, its history kept, and its captures on this portal are
        handed over, so that an unchanged capture of the URL never stands it up again."""
        conn = self.db.conn
        for (old,) in conn.execute("select id from reports where url = ? and portal = ? and id != ? "
                                   "and status = 'current'", [url, portal, rid]).fetchall():
            self._update("reports", old, {"status": "withdrawn", "withdrawn_on": today(),
                                          "withdrawn_run": run_id})
            conn.execute("delete from report_captures where report_id = ? and portal = ?", [old, portal])

    def touch_report(self, url: str, run_id: int, seen_at: str | None, listed: bool) -> str | None:
        """A capture that proves a known report still stands unchanged (304, same digest)."""
        row = next(self.db.query("select report_id from report_captures where url = ?", [url]), None)
        if row is None:
            return None
        with self.item():
            self._update("reports", row["report_id"], seen_fields(run_id, seen_at, listed))
        return row["report_id"]

    def link_page(self, rid: str, url: str, portal: str) -> None:
        """The page that links an attachment-only report is one more place the report is at."""
        with self.item():
            self._write("report_captures", {"report_id": rid, "url": url, "portal": portal}, ("report_id", "url"))

    def mark_listed(self, run_id: int, urls: set[str]) -> None:
        """Reports whose link appeared on a listing this run (the rest may be withdrawn later)."""
        with self.item():
            conn = self.db.conn
            conn.execute("create temp table if not exists listed_urls (url text primary key)")
            conn.execute("delete from listed_urls")
            conn.executemany("insert or ignore into listed_urls values (?)", [(u,) for u in urls])
            conn.execute("update reports set last_listed_run = ? where id in (select report_id from "
                         "report_captures join listed_urls using (url))", [run_id])

    def report_gone(self, url: str, run_id: int) -> str | None:
        """The report's own URL answered 404/410: withdrawn now, with the date last seen kept."""
        row = next(self.db.query(
            "select r.id from reports r where r.url = ? and r.status = 'current'", [url]), None)
        if row is None:
            return None
        with self.item():
            self._update("reports", row["id"], {"status": "withdrawn", "withdrawn_on": today(),
                                                "withdrawn_run": run_id})
        return row["id"]

    def withdraw_unlisted(self, run_id: int, portals: list[str], after_runs: int) -> int:
        """Reports gone from their portal's listing for `after_runs` finished runs: withdrawn."""
        withdrawn = 0
        for portal in portals:
            runs = [r["id"] for r in self.db.query(
                "select id from crawl_runs where (status = 'finished' or id = ?) and portals like ? "
                "order by id desc limit ?", [run_id, f'%"{portal}"%', after_runs])]
            if len(runs) < after_runs:
                continue
            oldest = min(runs)
            cursor = self.db.execute(
                "update reports set status = 'withdrawn', withdrawn_on = ?, withdrawn_run = ? "
                "where portal = ? and status = 'current' and coalesce(last_listed_run, 0) < ?",
                [today(), run_id, portal, oldest])
            withdrawn += cursor.rowcount
        self.db.conn.commit()
        return withdrawn

    def _add_version(self, rid: str, version: int, chash: str, run_id: int, row: dict[str, Any]) -> None:
        self._write("report_versions", {
            "report_id": rid, "version": version, "content_hash": chash, "run_id": run_id,
            "seen_at": row.get("fetched_at"), "url": row["url"], "title": row.get("title"),
            "text": row.get("text"), "warc_filename": row["warc_filename"], "warc_offset": row["warc_offset"]},
            ("report_id", "version"))

    def _replace_details(self, rid: str, details: dict[str, list[dict[str, Any]]]) -> None:
        conn = self.db.conn
        for table in ("report_stats", "report_checks", "report_sections"):
            conn.execute(f"delete from {table} where report_id = ?", [rid])
        conn.executemany(
            "insert into report_stats (report_id, ordinal, table_no, row_key, col_key, row_label, col_label, "
            "raw, value, unit, origin, ocr, confidence) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(rid, i, c["table"], c.get("row_key"), c.get("col_key"), c["row_label"], c["col_label"],
              c.get("raw"), c.get("value"), c.get("unit"), c.get("origin"), int(bool(c.get("ocr"))),
              c.get("confidence"))
             for i, c in enumerate(details.get("cells", []))])
        conn.executemany(
            "insert or replace into report_checks (report_id, name, passed, detail) values (?, ?, ?, ?)",
            [(rid, c["name"], c["passed"], c.get("detail")) for c in details.get("checks", [])])
        conn.executemany(
            "insert into report_sections (report_id, ordinal, heading, text) values (?, ?, ?, ?)",
            [(rid, i, sec["heading"], sec["text"]) for i, sec in enumerate(details.get("sections", []))])

    def changes(self, since: str) -> dict[str, list[dict[str, Any]]]:
        """New, changed (with a unified text diff) and withdrawn reports since a date."""
        new = list(self.db.query(
            "select v.report_id, r.title, r.agency, r.year, v.url, v.seen_at from report_versions v "
            "join reports r on r.id = v.report_id where v.version = 1 and v.seen_at >= ? order by v.seen_at",
            [since]))
        changed = []
        for v in self.db.query(
                "select v.report_id, v.version, v.text, v.seen_at, v.url, r.title, r.agency, r.year, "
                "p.text as previous from report_versions v join reports r on r.id = v.report_id "
                "join report_versions p on p.report_id = v.report_id and p.version = v.version - 1 "
                "where v.version > 1 and v.seen_at >= ? order by v.seen_at", [since]):
            diff = difflib.unified_diff((v.pop("previous") or "").splitlines(), (v.pop("text") or "").splitlines(),
                                        f"v{v['version'] - 1}", f"v{v['version']}", lineterm="", n=1)
            changed.append({**v, "diff": "\n".join(diff)})
        withdrawn = list(self.db.query(
            "select id as report_id, title, agency, year, url, last_seen, withdrawn_on from reports "
            "where status = 'withdrawn' and withdrawn_on >= ? order by withdrawn_on", [since]))
        return {"new": new, "changed": changed, "withdrawn": withdrawn}
