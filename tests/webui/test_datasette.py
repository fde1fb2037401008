"""The web UI in-process (Datasette's own test client): every report page renders, the
canned queries answer what SQL answers, search works for short and long Chinese terms."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from webui.app import make_datasette
from webui.plugin import replay_link, rewrite_short_search


@pytest.fixture(scope="module")
def ds(crawled):
    return make_datasette(crawled.data / "catalogue.db", replay_url="http://127.0.0.1:9/nianbao/")


@pytest.fixture(scope="module")
def db(crawled):
    return sqlite3.connect(f"file:{crawled.data / 'catalogue.db'}?mode=ro", uri=True)


def get(ds, path, **params):
    async def fetch():
        return await ds.client.get(path, params=params)

    return asyncio.run(fetch())


def test_every_report_page_renders_its_tables(ds, db):
    for rid, title, url, fetched, version in db.execute(
            "select id, title, url, fetched_at, template_version from reports"):
        response = get(ds, f"/-/report/{rid}")
        assert response.status_code == 200, rid
        assert title in response.text
        assert replay_link("http://127.0.0.1:9/nianbao/", url, fetched) in response.text.replace("&amp;", "&")
        cells = db.execute("select count(*) from report_stats where report_id = ? and table_no = '三'", [rid]).fetchone()[0]
        assert ('class="ogi table-三"' in response.text) == bool(cells), (rid, version)
    assert get(ds, "/-/report/nosuchreport").status_code == 404


def test_canned_queries(ds, db):
    rows = get(ds, "/catalogue/applications_by_body.json", _shape="array", agency="", _size="max").json()
    assert len(rows) == db.execute("select count(*) from reports where status != 'withdrawn'").fetchone()[0]
    year = db.execute("select year from reports group by year order by count(*) limit 1").fetchone()[0]
    missing = get(ds, "/catalogue/bodies_without_report.json", _shape="array", year=str(year)).json()
    expected = db.execute("select count(distinct agency) from reports where agency not in "
                          "(select agency from reports where year = ? and status != 'withdrawn')", [year]).fetchone()[0]
    assert len(missing) == expected > 0
    province = db.execute("select province from reports limit 1").fetchone()[0]
    reasons = get(ds, "/catalogue/refusal_reasons.json", _shape="array", province=province, year="").json()
    process = next(r for r in reasons if r["理由"] == "6.属于四类过程性信息")
    assert process["件数"] == db.execute(
        "select sum(s.value) from report_stats s join reports r on r.id = s.report_id where r.province = ? "
        "and s.row_key like 't3_v%.deny_process' and s.col_key = 'total'", [province]).fetchone()[0]
    changed = get(ds, "/catalogue/changed_since.json", _shape="array", since="2000-01-01").json()
    assert len(changed) == db.execute(
        "select (select count(*) from reports where status = 'withdrawn') + "
        "(select count(*) from report_versions where version > 1)").fetchone()[0]


def test_coverage_canned_query_agrees_with_coverage(ds, crawled):
    """The web UI's coverage question gives the body-years `nianbao coverage` gives."""
    from archive.coverage import coverage
    from catalogue.catalogue import Catalogue

    rows = get(ds, "/catalogue/coverage.json", _shape="array", year="", _size="max").json()
    by_python = coverage(Catalogue(crawled.data / "catalogue.db")).rows()
    assert sorted((r["name"], r["year"], r["status"]) for r in rows) == \
        sorted((r["name"], r["year"], r["status"]) for r in by_python if r["kind"] == "body")
    assert any(r["status"] == "missing" for r in rows)


@pytest.mark.parametrize("term", ["过程性信息", "城关", "复议", "政府信息 城关"])
def test_search_any_length(ds, db, term):
    found = get(ds, "/catalogue/reports.json", _search=term, _shape="array", _col="title", _size="max").json()
    where = " and ".join(["(title like ? or agency like ? or text like ?)"] * len(term.split()))
    params = [f"%{t}%" for t in term.split() for _ in range(3)]
    assert len(found) == db.execute(f"select count(*) from reports where {where}", params).fetchone()[0] > 0


def test_short_search_rewrite():
    assert rewrite_short_search(b"_search=%E5%9F%8E%E5%85%B3&_sort=year") == \
        b"_like=%E5%9F%8E%E5%85%B3&_sort=year"
    long = b"_search=%E8%BF%87%E7%A8%8B%E6%80%A7"
    assert rewrite_short_search(long) == long


def test_the_web_ui_cannot_change_the_catalogue(ds, db):
    before = db.execute("select count(*) from reports").fetchone()[0]
    for sql in ("delete from reports", "drop table report_checks", "attach 'x.db' as x"):
        response = get(ds, "/catalogue.json", sql=sql)
        assert response.status_code == 400 and "Statement must be a SELECT" in response.text, sql
    assert db.execute("select count(*) from reports").fetchone()[0] == before
