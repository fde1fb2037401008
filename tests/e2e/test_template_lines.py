"""Template lines end to end (issue 12): a line the portal's CMS stamps into the body of every
article is taken out once the crawl has seen enough of the portal's pages, no report sentence
goes, and the lines each page was given are in the archive for replay."""

from __future__ import annotations

import json

import pytest
import sqlite_utils
from warcio.archiveiterator import ArchiveIterator

from crawler.templates import KEY, RECORD_URI, TEMPLATE_MIN_PAGES
from simportals.chrome import BODY_STAMPS
from simportals.render_report import report_text
from tests.conftest import run_nianbao
from tests.extract.test_layouts import missing_lines

STAMP = BODY_STAMPS["beilun"]


def template_records(warc_dir) -> dict[str, dict]:
    """Response record id → the JSON template record written beside it."""
    found = {}
    for path in sorted(warc_dir.glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "metadata" and \
                        record.rec_headers.get_header("Content-Type") == "application/json":
                    data = json.loads(record.content_stream().read())
                    data["_uri"] = record.rec_headers.get_header("WARC-Target-URI")
                    found[record.rec_headers.get_header("WARC-Concurrent-To")] = data
    return found


def catalogued_html_reports(crawled, db):
    """(truth, report row, the record id of the capture its text came from) of every HTML report."""
    specs = {s.key: s for s in crawled.testbed.specs}
    for truth in crawled.testbed.reports:
        if truth.published_as != "html":
            continue
        url = crawled.urls[tuple(truth.locations[0])]
        (capture,) = db.query("select record_id, report_id from captures where url = ?", [url])
        yield truth, specs[truth.key], db["reports"].get(capture["report_id"]), capture["record_id"]


@pytest.fixture(scope="module")
def db(crawled):
    return sqlite_utils.Database(crawled.data / "catalogue.db")


@pytest.fixture(scope="module")
def records(crawled):
    return template_records(crawled.data / "warc")


def test_stamp_in_every_article_body_is_template_once_the_portal_is_known(crawled, db, records):
    """Every beilun report loses the stamp: pages that came before the portal had enough
    siblings waited for the end of the crawl and were extracted with all of them."""
    checked = 0
    for truth, _spec, row, record_id in catalogued_html_reports(crawled, db):
        if truth.locations[0][0] != "beilun":
            continue
        given = records[record_id]
        assert given["pages"] >= TEMPLATE_MIN_PAGES and STAMP in given[KEY], (truth.key, given["pages"])
        assert STAMP not in row["text"], truth.key
        assert given["_uri"] == RECORD_URI + row["url"]  # off the page's own CDXJ key
        checked += 1
    beilun = [t for t in crawled.testbed.reports if t.published_as == "html" and t.locations[0][0] == "beilun"]
    assert checked == len(beilun) >= 25


def test_no_report_sentence_lost_to_template_lines(crawled, db, records):
    """Every gold line of every HTML report on every portal, with the template lines in use."""
    lost, hinted = {}, 0
    for truth, spec, row, record_id in catalogued_html_reports(crawled, db):
        hinted += bool(records[record_id][KEY])
        missing = missing_lines(row["text"], report_text(spec))
        if missing:
            lost[truth.key] = missing[:3]
    assert lost == {}
    assert hinted > len(crawled.testbed.reports) // 2  # the lines were in use on most pages
    assert {r["portal"] for r in records.values()} >= {"beilun", "shuyang", "shucheng", "xinqi"}


@pytest.fixture(scope="module")
def few_pages(tmp_path_factory):
    """A crawl in which every portal has fewer pages than the minimum (TEMPLATE_MIN_PAGES=60)."""
    from simportals import build_testbed, serve_testbed

    data = tmp_path_factory.mktemp("few") / "data"
    data.mkdir()
    testbed = build_testbed()
    with serve_testbed(testbed) as running:
        registry = data / "portals.toml"
        registry.write_text(running.registry_toml(), encoding="utf-8")
        run_nianbao("crawl", "--portals", str(registry), "--data", str(data), "--only", "beilun",
                    "-s", "TEMPLATE_MIN_PAGES=60")
    return data


def test_a_portal_with_fewer_pages_than_the_minimum_loses_nothing(few_pages):
    from simportals import build_testbed

    records = template_records(few_pages / "warc")
    assert records and all(r[KEY] == [] and r["pages"] < 60 for r in records.values())
    texts = [r["text"] for r in sqlite_utils.Database(few_pages / "catalogue.db")["reports"].rows
             if r["published_as"] == "html"]  # the stamp is in article bodies, not in documents
    beilun = [t for t in build_testbed().reports if t.published_as == "html" and "beilun" in
              {portal for portal, _path in t.locations}]
    assert len(texts) == len(beilun) >= 25 and all(STAMP in t for t in texts)  # kept, as without template lines
