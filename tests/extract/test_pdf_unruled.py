"""Statistics tables printed without rules (borders turned off, or only a rule under each row
as a spreadsheet prints its bottom borders): no lattice to read, only text placed in rows and
columns, neighbouring cells run together in the text layer, labels wrapped over several lines
around their row's figures, group labels printed once beside their rows, heads spanning
columns, and tables broken by a page, their head on one page and their rows on the next.

Before, such a table was "rebuilt from text positions" into rows of pieces whose columns did
not line up: 43 of a report's 202 keyed cells were read, the rest said missing. Each case is
checked against the same report's HTML twin, with the text left-aligned in its cells (as a
word processor's default) and centred (as the national template sets it)."""

from __future__ import annotations

import re

import pytest

from extract import extract_page
from simportals.attachments import ofd_bytes, pdf_bytes
from simportals.plan import plan
from simportals.render_report import report_html

SPECS = {s.key: s for s in plan(0, 1, 0)}
# a 2021-format report; one whose tables 三 and 四 break with their heads at a page's foot;
# one whose table 二 ends with a head on one page and its one row on the next; a 统计表 split
CASES = ["330206-038794516-2021", "330206-038794516-2022", "330206-096866389-2019",
         "330206-038794516-2014"]


def _keyed(page) -> dict:
    return {(c.table, c.row_key, c.col_key): c.value for c in page.cells if c.row_key and c.col_key}


def _read(body: bytes, name: str = "P020240101.pdf"):
    return extract_page(body, url=f"http://x.gov.cn/{name}")


def _twin(spec):
    html = f"<html><body><div class='TRS_Editor'>{report_html(spec)}</div></body></html>"
    return extract_page(html.encode(), url="http://x.gov.cn/a.html")


def _table_texts(reference) -> set[str]:
    """Cell texts of the reference's tables (heads, labels, captions), whitespace taken out."""
    return {re.sub(r"\s+", "", c) for grid in reference.tables for row in grid for c in row if c.strip()}


def _lost(reference, page) -> list[str]:
    """Cell texts of the reference's tables (heads, labels, captions) not in the page's text."""
    squeezed = re.sub(r"\s+", "", page.text)
    return sorted(t for t in _table_texts(reference) if t not in squeezed)


def _sentences(page) -> list[str]:
    return [s for line in page.text.split("\n") if "\t" not in line
            for s in re.findall(r"[^。；]{6,}[。；]", line)]


@pytest.mark.parametrize("centred", [False, True], ids=["left", "centred"])
@pytest.mark.parametrize("key", CASES)
def test_every_cell_of_a_table_printed_without_rules(key, centred):
    spec = SPECS[key]
    reference = _twin(spec)
    page = _read(pdf_bytes(spec, word=centred, rules="none"))
    assert len(_keyed(reference)) >= 7 and _keyed(page) == _keyed(reference)
    assert page.stats == reference.stats and page.template_version == reference.template_version
    assert not [w for w in page.warnings if w.startswith("tables:")]
    assert [s for s in _sentences(reference) if s not in page.text] == []
    assert _lost(reference, page) == []  # 第二十条第（五）项 between two parts of table 二: a row
    ruled = _read(pdf_bytes(spec, word=centred, rules="grid"))
    for f in ("title", "agency", "year", "signed", "region"):
        assert getattr(page, f) == getattr(ruled, f), f


@pytest.mark.parametrize("key", CASES[:2])
def test_rules_under_the_rows_only(key):
    """No column rules: the lattice reader finds no table, the rows' rules are no help."""
    spec = SPECS[key]
    page = _read(pdf_bytes(spec, word=True, rules="rows"))
    assert _keyed(page) == _keyed(_twin(spec))
    assert not [w for w in page.warnings if w.startswith("tables:")]


def test_a_table_split_by_a_page_is_one_table():
    """The head of table 四 ends page 2, its row of figures starts page 3; the 统计表 runs over
    a page break: each is one table in the text, its head once."""
    spec = SPECS["330206-038794516-2022"]
    page = _read(pdf_bytes(spec, word=False, rules="none"))
    heads = [t for t in page.tables if any("行政复议" in c for c in t[0])]
    assert len(heads) == 1 and any(c == "2" or c.isdigit() for c in heads[0][-1])
    assert page.text.count("未经复议直接起诉") == 1
    spec = SPECS["330206-038794516-2014"]
    legacy = _read(pdf_bytes(spec, word=True, rules="none"))
    assert len(legacy.tables) == 1 and legacy.tables == _twin(spec).tables


@pytest.mark.parametrize("key", ["330206-038794516-2021", "330206-038794516-2014"])
def test_an_ofd_without_rules(key):
    """OFD glyphs are placed by their advances: each is taken no wider than itself, so a
    cell's text ending where the next begins leaves its gap; the 统计表's first label, wrapped
    above its figures, is the row's label and no head."""
    spec = SPECS[key]
    for centred in (False, True):
        page = _read(ofd_bytes(spec, word=centred, rules="none"), "P1.ofd")
        assert _keyed(page) == _keyed(_twin(spec))


@pytest.mark.parametrize("centred", [False, True], ids=["left", "centred"])
def test_cells_and_rows_left_blank(centred):
    """A report that leaves cells empty (no 0) and whole rows blank: the columns the fullest
    rows leave blank come from the head's lowest cells and the page before, a row of labels
    without a figure is a row, and no figure moves to another column."""
    spec = next(s for s in plan(2, 2, 1) if s.key == "321322-036805407-2019")
    reference = _twin(spec)
    assert any(c.value is None for c in reference.cells if c.row_key)  # blanks in the truth
    page = _read(pdf_bytes(spec, word=centred, rules="none"))
    assert _keyed(page) == _keyed(reference)
    assert not [w for w in page.warnings if w.startswith("tables:")]


def test_rows_set_close_keep_their_own_labels():
    """Cells without padding (a web page printed with its borders off): each row's label runs
    into the next one's as one block of lines; every row keeps its own label."""
    from extract.layout import Line
    from extract.stream import stream_tables

    def line(x0: float, top: float, text: str) -> Line:
        glyphs = tuple((x0 + 10 * i, x0 + 10 * i + 9, ch) for i, ch in enumerate(text))
        return Line(x0, top, x0 + 10 * len(text), top + 10, text, 10.0, glyphs=glyphs)

    rows = [("收到申请数", "15"), ("办结数", "12"), ("行政复议数量", "3"), ("行政诉讼数量", "1")]
    lines = [line(60, 100, "指标名称"), line(300, 100, "数量")]
    for n, (label, figure) in enumerate(rows):
        lines += [line(60, 112 + 12 * n, label), line(300, 112 + 12 * n, figure)]
    grid = stream_tables(lines, 842.0).tables[0].grid
    assert [row for row in grid if row[-1].isdigit()] == [list(r) for r in rows]


@pytest.mark.parametrize("form", ["pdf", "ofd"])
def test_a_head_at_the_top_of_a_page_is_no_running_head(form):
    """Table 三 breaks after its first head line (申请人情况): on the next page that line stands
    alone above the rest of the head, in the table's smaller type. It begins the page's text
    where every page begins it, so it is no running head to drop (here it stays a line of text
    above the table: the gap under it is wider than a row's)."""
    spec = next(s for s in plan(0, 2, 1) if s.key == "321322-057448084-2023")
    reference = _twin(spec)
    page = _read(ofd_bytes(spec, word=False, rules="none"), "P1.ofd") if form == "ofd" else \
        _read(pdf_bytes(spec, word=False, rules="none"))
    assert "申请人情况" not in page.removed.get("running_header", [])
    assert _lost(reference, page) == [] and _keyed(page) == _keyed(reference)


@pytest.mark.parametrize("form", ["pdf", "ofd"])
def test_a_label_wrapped_under_a_merged_cell_stays_in_it(form):
    """（二）部分公开（区分处理的，…不计其他情形） spans two label columns, centred: its last line
    (形）) sits under the middle of the merged cell, right of where the columns part. It ends
    that label, not the next row's."""
    spec = next(s for s in plan(1, 2, 1) if s.key == "321300-030406123-2020")
    reference = _twin(spec)
    page = _read(ofd_bytes(spec, word=True, rules="none"), "P1.ofd") if form == "ofd" else \
        _read(pdf_bytes(spec, word=True, rules="none"))
    assert _lost(reference, page) == [] and _keyed(page) == _keyed(reference)
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in page.text.replace(" ", "")


def test_two_labels_over_one_another_in_the_head_both_stay():
    """A caption over the label column (第二十条第（一）项) and the label beside the heads under it
    (信息内容) take the same slot of the head: each keeps a row, in the order they stand."""
    from extract.layout import Line
    from extract.stream import stream_tables

    def line(x0: float, top: float, text: str) -> Line:
        glyphs = tuple((x0 + 10 * i, x0 + 10 * i + 9, ch) for i, ch in enumerate(text))
        return Line(x0, top, x0 + 10 * len(text), top + 10, text, 10.0, glyphs=glyphs)

    lines = [line(60, 100, "第二十条第（一）项"), line(60, 116, "信息内容"), line(300, 116, "本年制发件数"),
             line(420, 116, "现行有效件数")]
    for n, (label, a, b) in enumerate([("规章", "0", "5"), ("行政规范性文件", "2", "70")]):
        lines += [line(60, 132 + 16 * n, label), line(300, 132 + 16 * n, a), line(420, 132 + 16 * n, b)]
    grid = stream_tables(lines, 842.0).tables[0].grid
    assert grid[:2] == [["第二十条第（一）项", "", ""], ["信息内容", "本年制发件数", "现行有效件数"]]
    assert grid[2:] == [["规章", "0", "5"], ["行政规范性文件", "2", "70"]]


@pytest.mark.parametrize("centred", [False, True], ids=["left", "centred"])
def test_a_table_in_a_frame_is_read_from_its_text(centred):
    """Only a box around the table (a web page's table border, its cells' borders off): the
    frame is one ruled cell, no table; what it holds is read as a table printed without rules."""
    spec = SPECS["330206-038794516-2021"]
    reference = _twin(spec)
    page = _read(pdf_bytes(spec, word=centred, rules="frame"))
    assert _keyed(page) == _keyed(reference)
    assert _lost(reference, page) == []


def test_no_text_of_a_row_of_figures_is_dropped():
    """LibreOffice sets a web page's table with no gap between a label and its row's first
    figure (7.属于行政执法案卷0 is one run): the run is parted where the figures' cells begin.
    And text standing among a row's figures, no label and no figure, stays in the cell it
    stands in (a cell of text reads as no figure: said, never silently dropped)."""
    from extract.layout import Line
    from extract.stream import stream_tables

    def line(x0: float, top: float, text: str, gap: float = 1.0) -> Line:
        glyphs = tuple((x0 + 10 * i, x0 + 10 * i + 10 - gap, ch) for i, ch in enumerate(text))
        return Line(x0, top, x0 + 10 * len(text), top + 10, text, 10.0, glyphs=glyphs)

    lines = [line(60, 100, "指标名称"), line(300, 100, "本年"), line(400, 100, "累计")]
    for n, (label, a, b) in enumerate([("收到申请数", "15", "30"), ("办结数", "12", "25"),
                                       ("行政复议数量", "3", "4")]):
        lines += [line(60, 116 + 16 * n, label), line(300, 116 + 16 * n, a), line(400, 116 + 16 * n, b)]
    # a label running on into its first figure: one line, glyphs evenly set, no cell gap
    lines.append(line(60, 164, "属于行政执法案卷数量" + " " * 14 + "7", gap=0.0))
    lines.append(line(400, 164, "9"))
    lines += [line(60, 180, "其他"), line(300, 180, "5"), line(350, 180, "注"), line(400, 180, "6")]
    grid = stream_tables(lines, 842.0).tables[0].grid
    assert ["属于行政执法案卷数量", "7", "9"] in grid
    assert ["其他", "5注", "6"] in grid


def _printed_line(x0: float, top: float, text: str):
    from extract.layout import Line

    glyphs = tuple((x0 + 10 * i, x0 + 10 * i + 9, ch) for i, ch in enumerate(text))
    return Line(x0, top, x0 + 10 * len(text), top + 10, text, 10.0, glyphs=glyphs)


def _foot_and_rows(rows_after: bool):
    """A page of prose ending with a table's head and first row; the next page holds the
    table's other rows, or prose only."""
    from extract.layout import PrintedPage

    prose = "坚持以公开为常态、不公开为例外，将政务公开工作纳入年度重点工作统筹推进，形成工作格局"
    first = [_printed_line(60, 60 + 16 * n, prose[:48]) for n in range(44)]
    first += [_printed_line(60, 770, "指标名称"), _printed_line(300, 770, "计量单位"), _printed_line(400, 770, "数量"),
              _printed_line(60, 790, "收到申请数"), _printed_line(300, 790, "件"), _printed_line(400, 790, "151")]
    second = [_printed_line(60, 60 + 16 * n, prose[:48]) for n in range(3)]
    if rows_after:
        second = [line for n, (label, unit, value) in enumerate(
            [("同意公开答复数", "件", "87"), ("行政复议数量", "件", "3"), ("行政诉讼数量", "件", "1")])
                  for line in (_printed_line(60, 60 + 16 * n, label), _printed_line(300, 60 + 16 * n, unit),
                               _printed_line(400, 60 + 16 * n, value))] + \
            [_printed_line(60, 140 + 16 * n, prose[:48]) for n in range(3)]
    return [PrintedPage(595.0, 842.0, first), PrintedPage(595.0, 842.0, second)]


def test_a_head_and_first_row_at_a_pages_foot_go_on_with_the_rows_on_the_next():
    from extract.layout import join_tables
    from extract.printing import text_tables

    pages = _foot_and_rows(rows_after=True)
    text_tables(pages, [0, 1])
    tables = [t for page in pages for t in page.tables]
    grid = tables[0].grid if len(tables) == 1 else join_tables(*tables).grid
    assert grid == [["指标名称", "计量单位", "数量"], ["收到申请数", "件", "151"], ["同意公开答复数", "件", "87"],
                    ["行政复议数量", "件", "3"], ["行政诉讼数量", "件", "1"]]


def test_a_head_and_one_row_ending_the_last_table_stay_a_table():
    """Nothing on the next page takes them: they are read where they stand, as a table."""
    from extract.printing import text_tables

    pages = _foot_and_rows(rows_after=False)
    text_tables(pages, [0, 1])
    assert [t.grid for t in pages[0].tables] == [[["指标名称", "计量单位", "数量"], ["收到申请数", "件", "151"]]]
    assert not pages[1].tables and "收到申请数" not in "".join(s.text for s in pages[0].lines)


def test_a_group_label_wrapped_beside_its_rows_stays_one_label():
    """Rows set close, a group's label wrapped a few characters a line in its narrow column,
    each line beside another row's figures ((三) / 不予公 / 开, as LibreOffice sets table 三):
    one label over its three rows, not three."""
    from extract.stream import stream_tables

    lines = [_printed_line(300, 84, "自然人"), _printed_line(360, 84, "总计")]
    groups = ["（三）", "不予公", "开", "（四）", "无法提", "供"]
    leaves = ["1.属于国家秘密", "2.其他法律", "3.危及安全", "1.本机关不掌握", "2.没有现成信息", "3.补正后申请"]
    for n, (group, leaf) in enumerate(zip(groups, leaves, strict=True)):
        top = 100 + 14 * n
        lines += [_printed_line(60, top, group), _printed_line(100, top, leaf),
                  _printed_line(300, top, str(n)), _printed_line(360, top, str(n + 1))]
    grid = stream_tables(lines, 842.0).tables[0].grid
    assert [row[0] for row in grid[1:]] == ["（三）不予公开"] * 3 + ["（四）无法提供"] * 3
    assert [row[1:] for row in grid[1:3]] == [["1.属于国家秘密", "0", "1"], ["2.其他法律", "1", "2"]]


def test_a_numbered_label_set_around_its_figures_is_its_own_rows():
    """Rows set close (as Chromium prints a page, cells padded a pixel): a row's label wrapped
    around its figures (5.要求…重新出 over them, 具已获取信息 under them) runs on from the row
    above's label in one block of lines; its number starts its own label."""
    from extract.stream import stream_tables

    lines = [_printed_line(300, 84, "自然人"), _printed_line(360, 84, "总计")]
    lines += [_printed_line(100, 100, "4.无正当理由大量反复申请"), _printed_line(300, 100, "1"),
              _printed_line(360, 100, "1")]
    lines += [_printed_line(100, 110, "5.要求行政机关确认或重新出"), _printed_line(300, 117, "2"),
              _printed_line(360, 117, "3"), _printed_line(100, 124, "具已获取信息")]
    grid = stream_tables(lines, 842.0).tables[0].grid
    assert grid[1:] == [["4.无正当理由大量反复申请", "1", "1"], ["5.要求行政机关确认或重新出具已获取信息", "2", "3"]]
