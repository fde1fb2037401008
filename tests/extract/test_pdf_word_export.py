"""PDFs as Word and WPS export them, the layout of the real county reports this was first tried
on (issue 14): every paragraph printed over a white box, every table cell a white box under
its own rules, heading rows shaded, a table broken by a page left open at the foot of the page
(a white rule, no black one), justified lines widening the gaps round Chinese punctuation.

Read as rules, the white boxes made each page of prose a one-column table whose lines were
never joined into sentences; the open last row before a break fell out of its table. The
report is checked against its HTML twin: the same keyed cells, every sentence whole, every
table row printed as HTML prints it (a merged cell once)."""

from __future__ import annotations

import re

import pytest

from extract import extract_page
from extract.layout import clean
from simportals.attachments import pdf_bytes
from simportals.render_report import report_html
from tests.extract.test_pdf_pictures import SPEC, _keyed, _read


@pytest.fixture(scope="module")
def reference():
    html = f"<html><body><div class='TRS_Editor'>{report_html(SPEC)}</div></body></html>"
    return extract_page(html.encode(), url="http://x.gov.cn/a.html")


@pytest.fixture(scope="module")
def exported():
    return _read(pdf_bytes(SPEC, word=True))


def test_the_white_boxes_are_no_tables(exported, reference):
    assert len(exported.tables) == len(reference.tables)
    assert not [t for t in exported.tables if any(len(cell) > 60 and "。" in cell for row in t for cell in row)]


def test_every_sentence_whole(exported, reference):
    sentences = [s for line in reference.text.split("\n") if "\t" not in line
                 for s in re.findall(r"[^。；]{6,}[。；]", line)]
    assert len(sentences) >= 10
    assert [s for s in sentences if s not in exported.text] == []


def test_every_cell_and_figure_as_in_html(exported, reference):
    assert len(_keyed(reference)) > 150 and _keyed(exported) == _keyed(reference)
    assert exported.stats == reference.stats
    plain = _read(pdf_bytes(SPEC, word=False))
    assert exported.title == SPEC.title
    for f in ("title", "agency", "year", "signed", "region", "text", "tables"):
        assert getattr(exported, f) == getattr(plain, f), f
    assert not [c for c in exported.checks if c.passed is False]


def test_table_rows_as_html_prints_them(exported, reference):
    """A figure in a cell merged across three columns (`本年处理决定数量`) is printed once."""
    rows = [line for line in reference.text.split("\n") if "\t" in line]
    assert len(rows) > 30
    assert [r for r in rows if r not in exported.text.split("\n")] == []


def test_the_row_before_a_page_break_stays_in_its_table():
    from extract.pdf import read_pdf

    pages, _ = read_pdf(pdf_bytes(SPEC, word=True))
    tables = [t for p in pages for t in p.tables]
    assert [p for p in pages if p.tables and p.tables[-1].bottom > 0.8 * p.height], "no table at a page's foot"
    assert [t.grid for t in tables if len(t.grid) < 2] == []  # the open row, a table of its own


def test_no_gap_round_chinese_punctuation():
    assert clean("洪泽湖大道90号 ， 邮编 ：223100， 电话 ：0517-87222589") == \
        "洪泽湖大道90号，邮编：223100，电话：0517-87222589"
    assert clean("落实 “三审三校” 制度 。") == "落实“三审三校”制度。"
    assert clean("Page 1 of 2, see “annex” here") == "Page 1 of 2, see “annex” here"
