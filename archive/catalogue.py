"""The SQLite catalogue (sqlite-utils): the only module that writes SQL. See docs/catalogue.md.

Rows are derived from archived records, so the whole catalogue can be rebuilt from the
WARCs (`nianbao replay`). Writes happen in one process; WAL lets readers query meanwhile.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from extract.model import STATS_KEYS

SCHEMA_VERSION = 1

REPORT_COLUMNS: dict[str, type] = {
    "id": str, "url": str, "portal": str, "title": str, "agency": str, "year": int,
    "published": str, "signed": str, "index_no": str, "doc_no": str, "publisher": str,
    "template_version": str, "scope": str, "published_as": str,
    "province": str, "prefecture": str, "county": str, "township": str,
    "region_code": str, "level": str, "text": str,
    "warc_filename": str, "warc_offset": int, "warc_length": int,
    "fetched_at": str, "first_seen_run": int, "last_seen_run": int,
    **{key: float for key in STATS_KEYS},
}

SUMMARY_VIEW = """
select id, title, agency, year, province, prefecture, county, township, region_code, level,
       template_version, published, {stats}, url
from reports
""".format(stats=", ".join(STATS_KEYS))


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def report_key(agency: str | None, year: int | None, title: str | None) -> str:
    """One logical report whatever portal re-posts it: issuing body + year + title."""
    norm = re.sub(r"[\s（）()【】\[\]《》]|\u3000", "", title or "")
    norm = re.sub(r"(年度?)政府信息公开工作年度报告$", r"\1报告", norm)
    raw = f"{agency or ''}|{year or ''}|{norm}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


class Catalogue:
    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = str(path)
        self.db = sqlite_utils.Database(self.path)
        self.db.enable_wal()
        self.db.execute("pragma synchronous = normal")
        self._create()

    def _create(self) -> None:
        db = self.db
        db["crawl_runs"].create({
            "id": int, "started": str, "finished": str, "command": str, "portals": str,
            "status": str, "pages_fetched": int, "reports_new": int, "reports_seen": int,
            "captures": int, "warc_bytes": int, "errors": str, "stats": str,
        }, pk="id", if_not_exists=True)
        db["captures"].create({
            "url": str, "run_id": int, "portal": str, "kind": str, "page_kind": str,
            "status": int, "content_type": str, "title": str, "report_id": str,
            "warc_filename": str, "warc_offset": int, "warc_length": int,
            "payload_digest": str, "fetched_at": str, "error": str,
        }, pk=("url", "run_id"), if_not_exists=True)
        db["reports"].create(REPORT_COLUMNS, pk="id", if_not_exists=True)
        db["report_stats"].create({
            "report_id": str, "table_no": str, "row_key": str, "col_key": str, "row_label": str,
            "col_label": str, "raw": str, "value": float, "unit": str, "origin": str, "ordinal": int,
        }, pk=("report_id", "ordinal"), if_not_exists=True)
        db["report_checks"].create({"report_id": str, "name": str, "passed": int, "detail": str},
                                   pk=("report_id", "name"), if_not_exists=True)
        db["report_sections"].create({"report_id": str, "ordinal": int, "heading": str, "text": str},
                                     pk=("report_id", "ordinal"), if_not_exists=True)
        db["report_captures"].create({
            "report_id": str, "url": str, "portal": str, "warc_filename": str,
            "warc_offset": int, "fetched_at": str,
        }, pk=("report_id", "url"), if_not_exists=True)
        if "reports_fts" not in db.table_names():
            # trigram: Chinese has no spaces, so word tokenizers would index whole sentences.
            db["reports"].enable_fts(["title", "agency", "text"], tokenize="trigram", create_triggers=True)
        db.create_view("report_summary", SUMMARY_VIEW, ignore=True)
        db["reports"].create_index(["year"], if_not_exists=True)
        db["reports"].create_index(["agency"], if_not_exists=True)
        db["captures"].create_index(["report_id"], if_not_exists=True)
        db["report_stats"].create_index(["row_key", "col_key"], if_not_exists=True)

    # -- crawl runs ----------------------------------------------------------------------------

    def start_run(self, command: str, portals: list[str]) -> int:
        table = self.db["crawl_runs"]
        table.insert({"started": now(), "command": command, "portals": json.dumps(portals, ensure_ascii=False),
                      "status": "running"})
        return table.last_pk

    def finish_run(self, run_id: int, status: str, stats: dict[str, Any]) -> dict[str, Any]:
        errors = {k.split("/", 2)[-1]: v for k, v in stats.items() if k.startswith("nianbao/errors/")}
        row = {
            "finished": now(), "status": status,
            "pages_fetched": stats.get("downloader/response_count", 0),
            "warc_bytes": stats.get("warc/bytes_written", 0),
            "captures": self.db.execute("select count(*) from captures where run_id = ?", [run_id]).fetchone()[0],
            "reports_new": self.db.execute("select count(*) from reports where first_seen_run = ?", [run_id]).fetchone()[0],
            "reports_seen": self.db.execute("select count(*) from reports where last_seen_run = ?", [run_id]).fetchone()[0],
            "errors": json.dumps(errors), "stats": json.dumps(stats, default=str),
        }
        self.db["crawl_runs"].update(run_id, row)
        return self.db["crawl_runs"].get(run_id)

    # -- captures and reports ------------------------------------------------------------------

    def add_capture(self, row: dict[str, Any]) -> None:
        self.db["captures"].upsert(row, pk=("url", "run_id"), alter=True)

    def upsert_report(self, row: dict[str, Any], run_id: int, issuer_portal: bool,
                      details: dict[str, list[dict[str, Any]]] | None = None) -> tuple[str, bool]:
        """Insert or refresh one report and its statistics; returns (id, is_new).

        A report re-posted on another body's portal stays one row; the issuer's own capture
        (or the first one seen) supplies the fields.
        """
        reports = self.db["reports"]
        row = {k: v for k, v in row.items() if k in REPORT_COLUMNS}
        rid = row["id"]
        with self.db.conn:
            existing = next(reports.rows_where("id = ?", [rid], select="id, portal, first_seen_run"), None)
            capture = {"report_id": rid, "url": row["url"], "portal": row["portal"],
                       "warc_filename": row["warc_filename"], "warc_offset": row["warc_offset"],
                       "fetched_at": row["fetched_at"]}
            self.db["report_captures"].upsert(capture, pk=("report_id", "url"))
            if existing is None:
                reports.insert({**row, "first_seen_run": run_id, "last_seen_run": run_id})
                self._replace_details(rid, details or {})
                return rid, True
            if issuer_portal or existing["portal"] == row["portal"]:
                reports.update(rid, {**row, "last_seen_run": run_id})
                self._replace_details(rid, details or {})
            else:
                reports.update(rid, {"last_seen_run": run_id})
        return rid, False

    def _replace_details(self, rid: str, details: dict[str, list[dict[str, Any]]]) -> None:
        for table in ("report_stats", "report_checks", "report_sections"):
            self.db[table].delete_where("report_id = ?", [rid])
        self.db["report_stats"].insert_all(
            ({"report_id": rid, "ordinal": i, "table_no": c["table"], "row_key": c.get("row_key"),
              "col_key": c.get("col_key"), "row_label": c["row_label"], "col_label": c["col_label"],
              "raw": c.get("raw"), "value": c.get("value"), "unit": c.get("unit"), "origin": c.get("origin")}
             for i, c in enumerate(details.get("cells", []))), pk=("report_id", "ordinal"))
        self.db["report_checks"].insert_all(
            ({"report_id": rid, "name": c["name"], "passed": c["passed"], "detail": c.get("detail")}
             for c in details.get("checks", [])), pk=("report_id", "name"), replace=True)
        self.db["report_sections"].insert_all(
            ({"report_id": rid, "ordinal": i, "heading": s["heading"], "text": s["text"]}
             for i, s in enumerate(details.get("sections", []))), pk=("report_id", "ordinal"))

    def search(self, text: str, year: int | None = None, province: str | None = None,
               level: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
        """Full-text search over title, agency and text; works for Chinese of any length.

        The trigram index answers terms of three characters or more; shorter terms (年报,
        复议) fall back to a substring scan, which trigram cannot index.
        """
        terms = text.split()
        if not terms:
            raise ValueError("search needs at least one term")
        where, params = [], []
        for column, value in (("r.year", year), ("r.province", province), ("r.level", level)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        fts_terms = [t for t in terms if len(t) >= 3]
        for term in terms:
            if len(term) < 3:
                where.append("(r.title like ? or r.agency like ? or r.text like ?)")
                params += [f"%{term}%"] * 3
        select = ("select r.id, r.title, r.agency, r.year, r.province, r.level, r.url, "
                  "{snippet} as snippet from reports r {join} {where} {order} limit ?")
        if fts_terms:
            match = " ".join('"' + t.replace('"', '""') + '"' for t in fts_terms)
            sql = select.format(
                snippet="snippet(reports_fts, 2, '[', ']', '…', 12)",
                join="join reports_fts on reports_fts.rowid = r.rowid",
                where="where reports_fts match ?" + "".join(f" and {w}" for w in where),
                order="order by reports_fts.rank")
            params = [match, *params]
        else:
            sql = select.format(snippet="substr(r.text, 1, 60)", join="",
                                where=("where " + " and ".join(where)) if where else "",
                                order="order by r.year desc")
        cursor = self.db.execute(sql, [*params, limit])
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def query(self, sql: str, params: Any = None) -> tuple[list[str], list[tuple]]:
        cursor = self.db.execute(sql, params or [])
        columns = [d[0] for d in cursor.description or []]
        return columns, cursor.fetchall()

    def close(self) -> None:
        self.db.close()
