"""Reports printed to PDF from their web pages by a browser (Chromium, the cells' borders off):
a producer the reading of tables without rules was not written against. Chromium pads cells
a pixel or two (rows set close), centres heads over their figures, wraps labels in narrow
columns, and sets the heading between two tables no larger than their cells.

Not every table of these is read yet (benchmarks/RESULTS.md, "Tables printed by a browser").
What these tests hold: what is read is right where the tables are simple, and a document
whose figures are not all read says so — nothing is wrong in silence."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract import extract_page
from simportals.browser_print import CHROMIUM, RULED, STYLES, BrowserPrinter
from simportals.plan import plan
from tests.extract.test_pdf_unruled import _keyed, _twin

SPECS = {s.key: s for s in plan(0, 2, 1)} | {s.key: s for s in plan(0, 1, 0)}


@pytest.fixture(scope="module")
def printer():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is not installed (apt-get install -y chromium; .ci/run does)")
    with BrowserPrinter() as p:
        yield p


@pytest.mark.parametrize("style", sorted(STYLES))
def test_a_statistics_table_printed_by_a_browser(printer, style):
    spec = SPECS["330206-038794516-2014"]
    page = extract_page(printer.pdf(spec, style), url="http://x.gov.cn/P0.pdf")
    assert _keyed(page) == _keyed(_twin(spec)) and len(_keyed(page)) >= 8


def test_captions_between_the_parts_of_table_two_rows_set_close(printer):
    """Left-aligned, a pixel of padding: 第二十条第（五）项 stands right under 行政规范性文件 and
    right above the next part's head; it is a row of its own, not the end of that label; and
    the heading between tables 三 and 四 is no larger than their cells, yet 四 is a table of
    its own (its figures stand where 三 has only labels)."""
    spec = SPECS["330206-038794516-2021"]
    page = extract_page(printer.pdf(spec, "left"), url="http://x.gov.cn/P0.pdf")
    want = {k: v for k, v in _keyed(_twin(spec)).items() if k[0] == "二"}
    assert want and {k: v for k, v in _keyed(page).items() if k[0] == "二"} == want
    assert "行政规范性文件\t" in page.text and "\n第二十条第（五）项\n" in page.text


def test_a_caption_centred_over_the_heads_is_no_head_cells_first_line(printer):
    """Centred: 第二十条第（一）项, a caption across table 二, stands right over 本年制发件数 and
    its neighbours; it heads them all, it is not the first line of one of them."""
    spec = SPECS["330206-038794516-2021"]
    page = extract_page(printer.pdf(spec, "centred"), url="http://x.gov.cn/P0.pdf")
    want = {k: v for k, v in _keyed(_twin(spec)).items() if k[0] == "二"}
    assert want and {k: v for k, v in _keyed(page).items() if k[0] == "二"} == want
    assert "第二十条第（一）项\n" in page.text and "本年制发件数\t本年废止件数\t现行有效件数" in page.text


@pytest.mark.parametrize("key", ["330206-038794516-2021", "330206-096866389-2020"])
def test_what_a_browser_print_does_not_give_is_said(printer, key):
    spec = SPECS[key]
    want = _keyed(_twin(spec))
    for style in sorted(STYLES):
        page = extract_page(printer.pdf(spec, style), url="http://x.gov.cn/P0.pdf")
        got = _keyed(page)
        if got != want:
            assert any(w.startswith("tables:") for w in page.warnings) or \
                any(c.passed is False for c in page.checks), style


@pytest.mark.parametrize("style", sorted(RULED))
@pytest.mark.parametrize("key", ["330206-038794516-2021", "330206-096866389-2020", "330206-038794516-2014",
                                 "330206-081540669-2021"])
def test_a_ruled_table_printed_by_a_browser_is_read_whole(printer, key, style):
    """The page printed with its tables' borders, as a portal's page prints: Chromium draws
    each cell's borders apart, so under a cell spanning columns (本年处理决定数量) a rule's
    pieces meet no column rule; they are one rule all the same, and every cell is read. And
    so with every cell's text underlined a point from its cell's sides: a head cell cut at the
    page's foot (自然 / 人) ends at its last row's text, not at the line under 自然."""
    spec = SPECS[key]
    page = extract_page(printer.pdf(spec, style), url="http://x.gov.cn/P0.pdf")
    assert _keyed(page) == _keyed(_twin(spec)) and len(_keyed(page)) >= 8
    assert not [w for w in page.warnings if w.startswith("tables:")]


@pytest.mark.parametrize("key", ["330206-081540669-2021", "330206-038794516-2014"])
def test_a_scan_of_an_underlined_print_is_read_whole(printer, key):
    """The underlined print scanned (200 dpi, no text layer). On the page image an underline
    is a long level stroke as dark as a rule: taken for one it cut cells in two, and the
    characters' upright strokes standing on it became column rules (3 of 200 cells right);
    left under the text, 0 over its line was read as nothing, p or Q, （一） as （二）, 人 as 1.
    Lines under text are no rules (free at an end, text standing on them, crossing none),
    and in a table whose lines of text are underlined they are erased before reading, the
    strokes that run into them kept. The 2014 report's 统计表 once read its underlined 0s as
    blank cells and said nothing."""
    from simportals.attachments import scanned

    spec = SPECS[key]
    page = extract_page(scanned(printer.pdf(spec, "ruled underlined")), url="http://x.gov.cn/P0.pdf")
    assert any(w.startswith("ocr:") for w in page.warnings)
    assert _keyed(page) == _keyed(_twin(spec)) and len(_keyed(page)) >= 8
    assert not [w for w in page.warnings if w.startswith("tables:")] and "□" not in page.text


@pytest.mark.parametrize("seed,key,paper", [(0, "321322-045674537-2023", "A4"), (2, "341523-033392196-2022", "A4"),
                                            (0, "341523-034335962-2021", "A5"), (0, "330206-096866389-2022", "A5")])
def test_a_ruled_table_broken_across_pages_is_read_whole(printer, seed, key, paper):
    """Chromium breaking a ruled table across pages draws rules only down to the last whole
    row: a head cell spanning two rows (自然人) prints 自 / 然 down the column, 然 below the last
    rule at the page's foot and 人 on the next page beside the head's next level; and a first
    column merged down across a whole page (三、本年度办理结果) gets no rule across it there,
    only its side; and table 四's head cells 结果 / 维持, merged down two rows, cut after 结果
    (two cells side by side both 结果 are two cells, not one across two columns). All are
    read as drawn: 自然人 whole (自 / 然 / 人 all at the foot are no vertical writing), the
    page's rows under their group, 结果维持 and 结果纠正."""
    spec = next(s for s in plan(seed, 2, 1) if s.key == key)
    page = extract_page(printer.pdf(spec, "ruled", paper=paper), url="http://x.gov.cn/P0.pdf")
    assert _keyed(page) == _keyed(_twin(spec)) and len(_keyed(page)) == 200
    assert not [w for w in page.warnings if w.startswith("tables:")]
