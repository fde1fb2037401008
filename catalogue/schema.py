"""The catalogue's tables, views and indexes, created idempotently (docs/catalogue.md)."""

from __future__ import annotations

import sqlite_utils

from extract.model import STATS_KEYS

REPORT_COLUMNS: dict[str, type] = {
    "id": str, "url": str, "portal": str, "title": str, "agency": str, "year": int,
    "published": str, "signed": str, "index_no": str, "doc_no": str, "publisher": str,
    "template_version": str, "scope": str, "published_as": str,
    "province": str, "prefecture": str, "county": str, "township": str,
    "region_code": str, "level": str, "text": str,
    "warc_filename": str, "warc_offset": int, "warc_length": int, "fetched_at": str,
    # change tracking (issue 6): content versions and withdrawal, never deletion
    "content_hash": str, "version": int, "status": str, "withdrawn_on": str, "withdrawn_run": int,
    "issuer_copy": int,  # 1 when the primary capture is on the issuing body's own portal
    "last_seen": str, "first_seen_run": int, "last_seen_run": int, "last_listed_run": int,
    **{key: float for key in STATS_KEYS},
    # added after release 0.1 (migration 4): at the end, where ALTER TABLE puts them
    "ocr": int,  # some of the report was read by OCR (a scan or an image)
    "disagreements": str,  # fields where the linking page and the document differ (JSON)
}

SUMMARY_VIEW = """
select id, title, agency, year, province, prefecture, county, township, region_code, level,
       template_version, published, status, {stats}, url
from reports
""".format(stats=", ".join(STATS_KEYS))

TABLES: dict[str, tuple[dict[str, type], str | tuple[str, ...]]] = {
    "crawl_runs": ({
        "id": int, "started": str, "finished": str, "command": str, "portals": str, "status": str,
        "pages_fetched": int, "captures": int, "reports_new": int, "reports_changed": int,
        "reports_unchanged": int, "reports_withdrawn": int, "reports_seen": int, "failed": int,
        "warc_bytes": int, "errors": str, "stats": str,
        # issue 11: requests refused (off-portal redirects, private addresses) and one line per
        # limit the run hit (page budget, spider trap, page too deep to parse)
        "refused": int, "warnings": str,
    }, "id"),
    "captures": ({
        "url": str, "run_id": int, "portal": str, "kind": str, "page_kind": str, "status": int,
        "content_type": str, "title": str, "report_id": str, "listed": int, "etag": str,
        "last_modified": str, "warc_filename": str, "warc_offset": int, "warc_length": int,
        "record_type": str, "record_id": str, "payload_digest": str, "fetched_at": str, "error": str,
    }, ("url", "run_id")),
    "reports": (REPORT_COLUMNS, "id"),
    "report_versions": ({
        "report_id": str, "version": int, "content_hash": str, "run_id": int, "seen_at": str,
        "url": str, "title": str, "text": str, "warc_filename": str, "warc_offset": int,
    }, ("report_id", "version")),
    "report_captures": ({
        "report_id": str, "url": str, "portal": str, "warc_filename": str, "warc_offset": int,
        "fetched_at": str,
    }, ("report_id", "url")),
    "report_stats": ({
        "report_id": str, "ordinal": int, "table_no": str, "row_key": str, "col_key": str,
        "row_label": str, "col_label": str, "raw": str, "value": float, "unit": str, "origin": str,
        "ocr": int, "confidence": float,  # read by OCR, and the engine's score (issue 14)
    }, ("report_id", "ordinal")),
    "report_checks": ({"report_id": str, "name": str, "passed": int, "detail": str}, ("report_id", "name")),
    "report_sections": ({"report_id": str, "ordinal": int, "heading": str, "text": str},
                        ("report_id", "ordinal")),
}

INDEXES = {
    # url: a 404 of a report's URL, and a new report at the URL of another (catalogue/versions.py)
    "reports": (["year"], ["agency"], ["status"], ["url"]),
    "report_captures": (["url"],),  # an unchanged capture stands its report (touch_report)
    "captures": (["report_id"], ["run_id"]),
    "report_stats": (["row_key", "col_key"],),
    "report_versions": (["run_id"],),
}


def create_schema(db: sqlite_utils.Database) -> None:
    """Missing tables, the FTS index, the view and indexes; columns come by migrations."""
    for name, (columns, pk) in TABLES.items():
        db[name].create(columns, pk=pk, if_not_exists=True)
    index_text(db)
    db.create_view("report_summary", SUMMARY_VIEW, replace=True)
    for table, indexes in INDEXES.items():
        for columns in indexes:
            db[table].create_index(columns, if_not_exists=True)


FTS_COLUMNS = ("title", "agency", "text")
_OCR_FTS = "reports_ocr_fts"


def index_text(db: sqlite_utils.Database) -> None:
    """The full-text indexes of reports and the triggers that keep them, made or mended.

    reports_fts indexes every report (trigram: Chinese has no spaces, so word tokenizers would
    index whole sentences). Its update trigger fires only when title, agency or text are set:
    sqlite-utils' fires on any column, so marking 100,000 reports seen in a recrawl re-indexed
    every text (10,000 reports: 7.8 s instead of 0.35). reports_ocr_fts indexes the reports
    read by OCR only, so the approximate search ranks its candidates among those, not among
    every report sharing a trigram of the term. Idempotent: nothing is written when all is
    in place."""
    columns = ", ".join(f"[{c}]" for c in FTS_COLUMNS)
    if "reports_fts" not in db.table_names():
        db["reports"].enable_fts(list(FTS_COLUMNS), tokenize="trigram")  # commits; no trigger yet
    conn = db.conn
    with conn:  # one transaction: an index without its rows, or a table without its trigger, is never left
        if not conn.in_transaction:
            conn.execute("begin")
        if _OCR_FTS not in db.table_names():
            conn.execute(f"create virtual table [{_OCR_FTS}] using fts5({columns}, content=[reports], "
                         f"content_rowid=[rowid], tokenize='trigram')")
            conn.execute(f"insert into [{_OCR_FTS}] (rowid, {columns}) select rowid, {columns} from reports where ocr = 1")
        for name, sql in _triggers().items():
            present = conn.execute("select sql from sqlite_master where type = 'trigger' and name = ?", [name]).fetchone()
            if present is None or present[0] != sql:
                conn.execute(f"drop trigger if exists [{name}]")
                conn.execute(sql)


def _triggers() -> dict[str, str]:
    """Trigger name → its SQL as sqlite_master keeps it (compared to mend an older one)."""
    columns = ", ".join(f"[{c}]" for c in FTS_COLUMNS)
    old = ", ".join(f"old.[{c}]" for c in FTS_COLUMNS)
    new = ", ".join(f"new.[{c}]" for c in FTS_COLUMNS)

    def delete(table: str, when: str = "") -> str:
        return (f"insert into [{table}] ([{table}], rowid, {columns}) "
                f"select 'delete', old.rowid, {old}{when};")

    def insert(table: str, when: str = "") -> str:
        return f"insert into [{table}] (rowid, {columns}) select new.rowid, {new}{when};"

    ocr_old, ocr_new = " where old.ocr = 1", " where new.ocr = 1"
    return {
        "reports_ai": f"CREATE TRIGGER [reports_ai] AFTER INSERT ON [reports] BEGIN\n  {insert('reports_fts')}\nEND",
        "reports_ad": f"CREATE TRIGGER [reports_ad] AFTER DELETE ON [reports] BEGIN\n  {delete('reports_fts')}\nEND",
        "reports_au": (f"CREATE TRIGGER [reports_au] AFTER UPDATE OF {columns} ON [reports] BEGIN\n"
                       f"  {delete('reports_fts')}\n  {insert('reports_fts')}\nEND"),
        "reports_ocr_ai": (f"CREATE TRIGGER [reports_ocr_ai] AFTER INSERT ON [reports] BEGIN\n"
                           f"  {insert(_OCR_FTS, ocr_new)}\nEND"),
        "reports_ocr_ad": (f"CREATE TRIGGER [reports_ocr_ad] AFTER DELETE ON [reports] BEGIN\n"
                           f"  {delete(_OCR_FTS, ocr_old)}\nEND"),
        "reports_ocr_au": (f"CREATE TRIGGER [reports_ocr_au] AFTER UPDATE OF {columns}, [ocr] ON [reports] BEGIN\n"
                           f"  {delete(_OCR_FTS, ocr_old)}\n  {insert(_OCR_FTS, ocr_new)}\nEND"),
    }
