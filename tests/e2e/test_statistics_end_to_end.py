"""Statistics through the whole path: every generated figure lands in report_stats exactly,
the headline figures in report_summary, and the template's checks flag the inconsistent report.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlite_utils

from extract.model import STATS_KEYS

DOCS = Path(__file__).resolve().parents[2] / "docs" / "queries.md"


@pytest.fixture(scope="module")
def db(crawled):
    return sqlite_utils.Database(crawled.data / "catalogue.db")


def report_id(db, crawled, truth) -> str:
    urls = [crawled.urls[tuple(loc)] for loc in truth.locations]
    marks = ",".join("?" * len(urls))
    (row,) = list(db.query(f"select distinct report_id from report_captures where url in ({marks})", urls))
    return row["report_id"]


def test_every_statistic_lands_in_report_stats(crawled, db):
    failures = []
    for truth in crawled.testbed.reports:
        rid = report_id(db, crawled, truth)
        stored = {(r["table_no"], r["row_label"], r["col_label"]): r["value"]
                  for r in db.query("select * from report_stats where report_id = ?", [rid])}
        for table, row, col, value in truth.cells:
            got = stored.get((table, row, col), "missing")
            if got != value and not (isinstance(got, float) and value is not None and abs(got - value) < 1e-6):
                failures.append(f"{truth.key}: {table}/{row}/{col}: {got!r} != {value!r}")
    assert not failures, f"{len(failures)} cells differ:\n" + "\n".join(failures[:40])


def test_headline_figures_in_report_summary(crawled, db):
    failures = []
    for truth in crawled.testbed.reports:
        row = db["report_summary"].get(report_id(db, crawled, truth)) if False else next(
            db.query("select * from report_summary where id = ?", [report_id(db, crawled, truth)]))
        wrong = {k: (row[k], truth.stats[k]) for k in STATS_KEYS if row[k] != truth.stats[k]}
        if wrong or row["template_version"] != truth.template_version:
            failures.append(f"{truth.key}: {wrong} {row['template_version']} vs {truth.template_version}")
    assert not failures, "\n".join(failures)


def test_checks_flag_only_the_inconsistent_report(crawled, db):
    failing = {r["report_id"] for r in db.query("select report_id from report_checks where passed = 0")}
    expected = {report_id(db, crawled, t) for t in crawled.testbed.reports if not t.consistent}
    assert expected and failing == expected


def test_documented_research_query_answers_the_question(crawled, db):
    """docs/queries.md: requests received and refused as 过程性信息, Zhejiang counties, 2019–2023."""
    sql = re.search(r"## How many disclosure requests.*?```sql\n(.*?)```", DOCS.read_text(), re.S).group(1)
    rows = list(db.query(sql))
    expected = [t for t in crawled.testbed.reports
                if t.region["province"] == "浙江省" and t.region["level"] == "county" and 2019 <= t.year <= 2023]
    assert expected and len(rows) == len(expected)
    by_key = {(t.agency, t.year): t for t in expected}
    for row in rows:
        truth = by_key[(row["agency"], row["year"])]
        assert row["applications_received"] == truth.stats["applications_received"]
        process = [v for table, label, col, v in truth.cells
                   if table == "三" and label.endswith("属于四类过程性信息") and col == "总计"]
        assert row["refused_process_information"] == (process[0] if process else None)
