"""Reports published as documents (every form of simportals FORMS: PDFs, scans, JPG, TIFF, OFD,
DOCX, DOC, WPS, ODT, XLS), crawled from the simulated portals: fields, statistics (OCR'd ones
flagged with their confidence), no page furniture in the text, and every sentence found whole
by `nianbao search` (issue 14)."""

from __future__ import annotations

import re

import pytest
import sqlite_utils

from catalogue import Catalogue
from extract import extract_page
from extract.layout import PAGE_NUMBER
from simportals.attachments import FORMS
from simportals.document import build
from simportals.render_report import report_html
from tests.conftest import run_nianbao

FIELDS = ("title", "agency", "year", "signed")
REGION = ("province", "prefecture", "county", "township", "level")


@pytest.fixture(scope="module")
def db(crawled):
    return sqlite_utils.Database(crawled.data / "catalogue.db")


def documents(crawled) -> list:
    return [t for t in crawled.testbed.reports if t.published_as in FORMS]


def _spec(crawled, truth):
    return next(s for s in crawled.testbed.specs if s.key == truth.key)


def _row(db, crawled, truth) -> dict:
    urls = [crawled.urls[tuple(loc)] for loc in truth.locations]
    marks = ",".join("?" * len(urls))
    [rid] = {r["report_id"] for r in db.query(
        f"select report_id from report_captures where url in ({marks})", urls)}
    return db["reports"].get(rid)


def _reference(spec) -> dict:
    """The same report's statistics extracted from its HTML rendering, by codebook key."""
    html = f"<html><body><div class='TRS_Editor'>{report_html(spec)}</div></body></html>"
    page = extract_page(html.encode(), url="http://x.gov.cn/a.html")
    return {(c.table, c.row_key, c.col_key): c.value for c in page.cells if c.row_key}


def test_every_form_crawled(crawled):
    assert {t.published_as for t in documents(crawled)} == set(FORMS)


def test_document_fields_and_region(crawled, db):
    wrong = []
    for truth in documents(crawled):
        row = _row(db, crawled, truth)
        for f in FIELDS:
            if row[f] != getattr(truth, f):
                wrong.append((truth.published_as, f, row[f], getattr(truth, f)))
        for f in REGION:
            if row[f] != truth.region.get(f):
                wrong.append((truth.published_as, f, row[f], truth.region.get(f)))
    assert not wrong


def test_document_statistics_and_ocr_flags(crawled, db):
    for truth in documents(crawled):
        row = _row(db, crawled, truth)
        assert {k: row[k] for k in truth.stats} == truth.stats, truth.published_as
        want = _reference(_spec(crawled, truth))
        cells = list(db.query("select table_no, row_key, col_key, value, ocr, confidence "
                              "from report_stats where report_id = ?", [row["id"]]))
        got = {(c["table_no"], c["row_key"], c["col_key"]): c["value"] for c in cells}
        right = sum(1 for k, v in want.items() if got.get(k) == v)
        assert right >= 0.99 * len(want), (truth.published_as, right, len(want))
        ocr = truth.published_as in ("scan", "searchable", "jpg", "tiff")
        assert row["ocr"] == int(ocr or truth.published_as == "pictures")
        if truth.published_as == "pictures":  # the tables read by OCR, the prose from the text layer
            assert all(c["ocr"] == int(c["table_no"] != "prose") for c in cells)
        else:
            assert all(c["ocr"] == int(ocr) for c in cells), truth.published_as
        if ocr:
            assert all(0 < c["confidence"] <= 1 for c in cells if c["row_key"])
        checks = list(db.query("select name, passed from report_checks where report_id = ?", [row["id"]]))
        assert all(c["passed"] in (1, None) for c in checks), checks
        if truth.template_version != "legacy":  # the template's own cross-checks ran
            assert any(c["passed"] == 1 for c in checks), (truth.published_as, checks)


def _sentences(spec) -> list[str]:
    """Every sentence of the report's prose, headings and 落款 (tables and title left out)."""
    lines = [p for kind, p in build(spec) if kind in ("h", "sub", "p")]
    lines += [line for kind, p in build(spec) if kind == "sign" for line in p]
    return [s for line in lines for s in re.findall(r"[^。；]+[。；]?", line) if len(s) >= 4]


def test_every_sentence_found_whole_by_search(crawled, db):
    catalogue = Catalogue(crawled.data / "catalogue.db")
    try:
        for truth in documents(crawled):
            row = _row(db, crawled, truth)
            assert not [line for line in row["text"].splitlines() if PAGE_NUMBER.match(line)]
            sentences = _sentences(_spec(crawled, truth))
            found = {s: {h["id"]: h["match"] for h in catalogue.search(s, year=truth.year, limit=1000)}
                     for s in sentences}
            missing = [s for s in sentences if row["id"] not in found[s]]
            assert not missing, (truth.published_as, missing)
            if truth.published_as not in ("scan", "searchable", "jpg", "tiff"):  # read from a text layer: exactly
                assert all(found[s][row["id"]] == "exact" for s in sentences), truth.published_as
    finally:
        catalogue.close()


def test_search_cli_finds_a_scanned_report_sentence(crawled, db):
    truth = next(t for t in documents(crawled) if t.published_as == "scan")
    text = _row(db, crawled, truth)["text"]
    sentence = max((s for s in _sentences(_spec(crawled, truth)) if s in text), key=len)
    result = run_nianbao("search", sentence, "--year", str(truth.year), "--data", str(crawled.data))
    assert truth.title in result.stdout.replace("\n", "").replace(" ", "")
