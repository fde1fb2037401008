"""Reports that are pictures, crawled from the simulated image-report portal (issue 14):
statistics tables pasted as images in an HTML report, and a report published as JPG pages.
Every statistic is compared with the truth, the OCR'd ones flagged, chrome images left alone,
and replay gives the same catalogue from the archive."""

from __future__ import annotations

import shutil

import pytest
import sqlite_utils

from extract import extract_page
from simportals.image_reports import ICONS, LOGO, serve_image_portal
from simportals.render_report import report_html
from tests.conftest import run_nianbao


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data = tmp_path_factory.mktemp("image-reports")
    with serve_image_portal() as running:
        registry = data / "portals.toml"
        registry.write_text(running.registry_toml(), encoding="utf-8")
        result = run_nianbao("crawl", "--portals", str(registry), "--data", str(data))
        yield running, data, result, running.requests()


def _report(db, running, truth) -> dict:
    [row] = list(db.query("select r.* from reports r join report_captures rc on rc.report_id = r.id "
                          "where rc.url = ?", [running.url_for(truth["path"])]))
    return row


def _reference(running, truth) -> dict:
    """The report's statistics from its all-HTML rendering, by codebook key."""
    spec = next(r.spec for r in running.portal.reports if r.spec.key == truth["key"])
    html = f"<html><body><div class='TRS_Editor'>{report_html(spec)}</div></body></html>"
    page = extract_page(html.encode(), url="http://x.gov.cn/a.html")
    return {(c.table, c.row_key, c.col_key): c.value for c in page.cells if c.row_key}


def test_one_report_per_page_with_its_images(site):
    running, data, _result, requests = site
    db = sqlite_utils.Database(data / "catalogue.db")
    assert db["reports"].count == len(running.truth())
    for truth in running.truth():
        row = _report(db, running, truth)
        assert (row["title"], row["agency"], row["year"]) == (truth["title"], truth["agency"], truth["year"])
        images = [running.url_for(p) for p in truth["images"]]
        captured = {r["url"]: r for r in db.query("select url, kind, status from captures where kind = 'image'")}
        assert all(captured[u]["status"] == 200 for u in images), truth["form"]
        # the pages of a JPG report are the page's report, not reports (or fragments) of their own
        marks = ",".join("?" * len(images))
        assert not list(db.query(f"select 1 from report_captures where url in ({marks})", images))
    assert not {LOGO, *ICONS} & set(requests), "chrome images are not report content"


def test_every_statistic_from_the_images(site):
    running, data, *_ = site
    db = sqlite_utils.Database(data / "catalogue.db")
    for truth in running.truth():
        row = _report(db, running, truth)
        assert {k: row[k] for k in truth["stats"]} == truth["stats"], truth["form"]
        want = _reference(running, truth)
        cells = list(db.query("select table_no, row_key, col_key, value, origin, ocr, confidence "
                              "from report_stats where report_id = ?", [row["id"]]))
        got = {(c["table_no"], c["row_key"], c["col_key"]): c["value"] for c in cells}
        right = sum(1 for k, v in want.items() if got.get(k) == v)
        assert right >= 0.99 * len(want), (truth["form"], right, len(want))
        assert row["ocr"] == 1
        tables = [c for c in cells if c["origin"] == "table" and c["row_key"]]
        assert tables and all(c["ocr"] == 1 and 0 < c["confidence"] <= 1 for c in tables), truth["form"]
        if truth["form"] == "html-images":  # the prose is the page's own HTML: not OCR
            assert all(c["ocr"] == 0 for c in cells if c["origin"] == "prose")
            checks = list(db.query("select name, passed from report_checks where report_id = ?", [row["id"]]))
            assert any(c["passed"] == 1 for c in checks) and all(c["passed"] in (1, None) for c in checks)


def test_pages_in_page_order(site):
    running, data, *_ = site
    db = sqlite_utils.Database(data / "catalogue.db")
    truth = next(t for t in running.truth() if t["form"] == "jpg-pages")
    text = _report(db, running, truth)["text"]
    spec = next(r.spec for r in running.portal.reports if r.spec.key == truth["key"])
    from simportals.document import build

    paragraphs = [p for kind, p in build(spec) if kind in ("h", "p")]
    found = [text.find(p) for p in paragraphs if p in text]
    assert len(found) >= 0.8 * len(paragraphs) and found == sorted(found)


def test_replay_gives_the_same_catalogue(site, tmp_path):
    _running, data, *_ = site
    copy = tmp_path / "data"
    shutil.copytree(data, copy)
    run_nianbao("replay", "--data", str(copy), "--to", str(copy / "replayed.db"), "-s", "DOWNLOAD_TIMEOUT=1")
    query = "select title, agency, year, ocr, text from reports order by title"
    stats = ("select r.title, s.table_no, s.row_key, s.col_key, s.value, s.ocr, s.confidence "
             "from report_stats s join reports r on r.id = s.report_id order by 1, 2, 3, 4")
    live, replayed = sqlite_utils.Database(data / "catalogue.db"), sqlite_utils.Database(copy / "replayed.db")
    assert list(replayed.query(query)) == list(live.query(query))
    assert list(replayed.query(stats)) == list(live.query(stats))


def test_an_image_replaced_under_an_unchanged_page_is_read_again(site, tmp_path):
    """An erratum: the portal replaces a table screenshot, the page's HTML stays as it was.
    The next crawls ask for the images of unchanged pages again; an unchanged image stays a
    revisit, a replaced one is captured and the page's report read again with it."""
    running, data, *_ = site
    copy = tmp_path / "data"
    shutil.copytree(data, copy)
    registry = copy / "portals.toml"
    truth = next(t for t in running.truth() if t["form"] == "html-images")
    page_url = running.url_for(truth["path"])
    saved = dict(running.portal.files)
    try:
        run_nianbao("crawl", "--portals", str(registry), "--data", str(copy))  # nothing changed
        db = sqlite_utils.Database(copy / "catalogue.db")
        row = _report(db, running, truth)
        assert row["version"] == 1
        images = [running.url_for(p) for p in truth["images"]]
        second = {r["url"]: r["record_type"] for r in db.query(
            "select url, record_type from captures where run_id = 2 and kind = 'image'")}
        assert set(images) <= set(second) and {second[u] for u in images} == {"revisit"}

        label, old, new = running.portal.revise_table()
        run_nianbao("crawl", "--portals", str(registry), "--data", str(copy))
        db = sqlite_utils.Database(copy / "catalogue.db")
        [page] = list(db.query("select record_type from captures where run_id = 3 and url = ?", [page_url]))
        assert page["record_type"] == "revisit"  # the page itself did not change
        row = _report(db, running, truth)
        assert row["version"] == 2
        raws = {c["raw"] for c in db.query("select raw from report_stats where report_id = ? and row_label = ?",
                                           [row["id"], label])}
        assert new in raws and old not in raws
    finally:
        running.portal.files.clear()
        running.portal.files.update(saved)
