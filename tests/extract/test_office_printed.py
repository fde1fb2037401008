"""Reports printed to PDF from their web pages by LibreOffice Writer (the tables given no
borders; simportals/office_print.py): a producer the reading was not written against.
LibreOffice makes columns as narrow as their widest word, so a head's words stand a space
apart; it leaves a table's head and first row at a page's foot, sets a wrapped label's lines
around its figures, and pushes a run of digits down whole to the next line.

Not every table of these is read yet (benchmarks/RESULTS.md, "Session 15: figures lost in
silence, and a third producer"). What these tests hold: the legacy 统计表 is read whole,
every sentence is whole, and a document whose figures are not all read says so."""

from __future__ import annotations

import re
import shutil

import pytest

from extract import extract_page
from simportals.office_print import RULED, STYLES, office_pdf
from simportals.plan import plan
from tests.extract.test_pdf_unruled import _keyed, _lost, _table_texts, _twin

SPECS = {s.key: s for s in plan(0, 1, 0)}


@pytest.fixture(autouse=True)
def _libreoffice():
    assert shutil.which("soffice"), "LibreOffice is needed (see .ci/debian-packages.txt)"


@pytest.mark.parametrize("style", sorted(STYLES))
def test_a_statistics_table_printed_by_libreoffice(style):
    """Its head (指标名称 / 计量单位 数量, the last two a space apart) ends a page and its rows
    begin the next; the first row's label wraps around its figures."""
    spec = SPECS["330206-038794516-2014"]
    page = extract_page(office_pdf(spec, style), url="http://x.gov.cn/P0.pdf")
    want = _keyed(_twin(spec))
    assert len(want) >= 8 and _keyed(page) == want
    assert "指标名称\t计量单位\t数量" in page.text
    assert "主动公开政府信息数（不同渠道和方式公开相同信息计1条）\t条\t5495" in page.text
    assert [c.passed for c in page.checks if c.name == "figures_read"] == [True]


@pytest.mark.parametrize("key", ["330206-038794516-2021", "330206-096866389-2020"])
def test_what_a_libreoffice_print_does_not_give_is_said(key):
    spec = SPECS[key]
    want = _keyed(_twin(spec))
    for style in sorted(STYLES):
        page = extract_page(office_pdf(spec, style), url="http://x.gov.cn/P0.pdf")
        got = _keyed(page)
        # no figure misread (a label split from its row's figures leaves its cells blank)
        assert all(got[k] in (v, None) for k, v in want.items() if k in got), style
        if got != want:
            assert any(w.startswith("tables:") for w in page.warnings), style


@pytest.mark.parametrize("key", ["330206-038794516-2017", "330206-093785157-2022", "330206-038794516-2021"])
def test_every_sentence_of_a_libreoffice_print_is_whole(key):
    """LibreOffice pushes a run of digits down whole with the punctuation that may not start a
    line (统计期限自 / 2023年…, 占 / 50.0%；): the line above ends short of the margin, and
    the paragraph runs on."""
    spec = SPECS[key]
    sentences = [s for line in _twin(spec).text.split("\n") if "\t" not in line
                 for s in re.findall(r"[^。；]{6,}[。；]", line)]
    page = extract_page(office_pdf(spec, "plain"), url="http://x.gov.cn/P0.pdf")
    assert len(sentences) > 15 and [s for s in sentences if s not in page.text] == []


@pytest.mark.parametrize("style", sorted(RULED))
@pytest.mark.parametrize("key", ["330206-038794516-2021", "330206-096866389-2020"])
def test_a_ruled_table_printed_by_libreoffice_is_read_whole(key, style):
    """The page printed with its tables' borders on, as a portal page prints; and so with
    every cell's text underlined against its cell's side (a portal's stylesheet): the lines
    under the text are no rules, so no cell is cut into a row per line of its text."""
    spec = SPECS[key]
    twin = _twin(spec)
    page = extract_page(office_pdf(spec, style), url="http://x.gov.cn/P0.pdf")
    assert _keyed(page) == _keyed(twin) and len(_keyed(page)) >= 100
    assert not [w for w in page.warnings if w.startswith("tables:")]
    assert len(_table_texts(twin)) > 40 and _lost(twin, page) == []


@pytest.mark.parametrize("key", ["330206-096866389-2020", "330206-038794516-2014"])
def test_a_scan_of_an_underlined_libreoffice_print_is_read_whole(key):
    """LibreOffice's underlined print (cells set with no padding) scanned: its hairline
    underlines scan as a dark row between two grey ones with gaps, close over the cell's
    rule. Erased with their grey rows (specks left read 0 as `0.`, a figure no check
    counted), strokes running into them drawn on through them only where they come down into
    them (a rule right under the line is no stroke going on: 1 of / and a foot read as 1)."""
    from simportals.attachments import scanned

    spec = SPECS[key]
    page = extract_page(scanned(office_pdf(spec, "ruled underlined")), url="http://x.gov.cn/P0.pdf")
    assert _keyed(page) == _keyed(_twin(spec)) and len(_keyed(page)) >= 8
    assert not [w for w in page.warnings if w.startswith("tables:")] and "□" not in page.text


def test_a_scan_of_a_libreoffice_print_keeps_its_hairline_rules():
    """The ruled print scanned (its pages at 200 dpi, no text layer): LibreOffice's hairline
    rules come out two rows of light grey that no pixel of passes the ink threshold. Read as
    rules all the same (before: the rows of table 三 ran together, and the page's smaller text
    was measured at 8 px, so the page was enlarged 2.5× and characters' strokes became
    rules), and table 三's head, cut at a page's foot, is joined to its rows."""
    from simportals.attachments import scanned

    spec = SPECS["330206-096866389-2020"]
    page = extract_page(scanned(office_pdf(spec, "ruled")), url="http://x.gov.cn/P0.pdf")
    assert any(w.startswith("ocr:") for w in page.warnings)
    assert _keyed(page) == _keyed(_twin(spec)) and len(_keyed(page)) >= 190
    assert not [w for w in page.warnings if w.startswith("tables:")]
