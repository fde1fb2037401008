"""The catalogue's side of `nianbao verify` (archive/verify.py, archive/runcheck.py): rows that
point into WARCs, rows whose report or capture is gone, and the crawl runs. Read-only."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

WARC_POINTERS = {
    "captures": "select url, warc_filename, warc_offset, warc_length, payload_digest, run_id from captures "
                "where warc_filename is not null",
    "reports": "select url, warc_filename, warc_offset, warc_length, null, last_seen_run from reports "
               "where warc_filename is not null",
    "report_captures": "select url, warc_filename, warc_offset, null, null, null from report_captures "
                       "where warc_filename is not null",
}


def warc_pointers(db_path: Path) -> Iterator[tuple[str, tuple]]:
    """(table, (url, filename, offset, length, digest, run)) for every row that points into a WARC."""
    import sqlite_utils

    db = sqlite_utils.Database(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True))
    try:
        tables = set(db.table_names())
        for table, sql in WARC_POINTERS.items():
            if table in tables:
                for row in db.execute(sql).fetchall():
                    yield table, row
    finally:
        db.close()


ORPHAN_QUERIES = {
    # (table, what is missing): rows whose report (or capture) is gone
    ("report_stats", "report"): "select report_id, count(*) from report_stats where report_id not in "
                                "(select id from reports) group by report_id",
    ("report_checks", "report"): "select report_id, count(*) from report_checks where report_id not in "
                                 "(select id from reports) group by report_id",
    ("report_sections", "report"): "select report_id, count(*) from report_sections where report_id not in "
                                   "(select id from reports) group by report_id",
    ("report_versions", "report"): "select report_id, count(*) from report_versions where report_id not in "
                                   "(select id from reports) group by report_id",
    ("report_captures", "report"): "select report_id, count(*) from report_captures where report_id not in "
                                   "(select id from reports) group by report_id",
    ("report_captures", "capture"): "select report_id || ' ' || url, count(*) from report_captures rc "
                                    "where not exists (select 1 from captures c where c.url = rc.url) "
                                    "group by rc.report_id, rc.url",
    ("captures", "report"): "select report_id, count(*) from captures where report_id is not null and "
                            "report_id not in (select id from reports) group by report_id",
}


def orphans(db_path: Path) -> Iterator[tuple[str, str, str, int]]:
    """(table, "report" | "capture", key, rows) for rows that lost the report or capture they belong to."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        tables = {name for (name,) in conn.execute("select name from sqlite_master where type = 'table'")}
        for (table, parent), sql in ORPHAN_QUERIES.items():
            if table not in tables or not {"reports", "captures"} <= tables:
                continue
            for key, count in conn.execute(sql):
                yield table, parent, key, count
    finally:
        conn.close()


def crawl_runs(db_path: Path) -> list[dict]:
    """Every crawl run, oldest first (none when the catalogue has no runs table)."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        if not conn.execute("select 1 from sqlite_master where name = 'crawl_runs'").fetchone():
            return []
        return [dict(r) for r in conn.execute("select * from crawl_runs order by id")]
    finally:
        conn.close()
