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
    if "reports_fts" not in db.table_names():
        # trigram: Chinese has no spaces, so word tokenizers would index whole sentences.
        db["reports"].enable_fts(["title", "agency", "text"], tokenize="trigram", create_triggers=True)
    db.create_view("report_summary", SUMMARY_VIEW, replace=True)
    for table, indexes in INDEXES.items():
        for columns in indexes:
            db[table].create_index(columns, if_not_exists=True)
