"""A whole ruled table printed turned on a portrait page, with no /Rotate (issue 14): the wide
table 三 (and 四) set landscape, rules and text alike turned a quarter turn either way or upside
down. Its grid was found in the page's axes, rows read as columns and mirrored, every figure
in another slot. It comes out as a reader who turns the page sees it, by pdfminer's reading and
by pdfium's, across a page break as an upright table does, beside upright paragraphs."""

from __future__ import annotations

import io

import pytest

from extract import extract_page
from extract.pdf import read_pdf
from simportals.attachments import pdf_bytes
from simportals.plan import plan

SPEC = next(s for s in plan(0, 1, 0) if s.template == "2021")
PDF = [("Content-Type", "application/pdf")]
TURNS = [90, -90, 180]
TURN_IDS = ["up", "down", "upside-down"]


def _read(body: bytes):
    return extract_page(body, url="http://x.gov.cn/P020240101.pdf", headers=PDF)


def _keyed(page) -> dict:
    return {(c.table, c.row_key, c.col_key): c.value for c in page.cells if c.row_key}


@pytest.fixture(scope="module")
def reference() -> dict:
    from simportals.render_report import report_html

    html = f"<html><body><div class='TRS_Editor'>{report_html(SPEC)}</div></body></html>"
    return _keyed(extract_page(html.encode(), url="http://x.gov.cn/a.html"))


@pytest.mark.parametrize("protect", [False, True], ids=["pdfminer", "pdfium"])
@pytest.mark.parametrize("turn", TURNS, ids=TURN_IDS)
def test_every_keyed_cell_of_a_turned_table_as_in_the_html(reference, turn, protect):
    """Tables 三 and 四 printed turned: every keyed cell as the HTML report states it (before:
    12 of 202, table 二's only), and the text as the upright PDF's."""
    page = _read(pdf_bytes(SPEC, protect=protect, turned_tables=turn))
    assert any("read with pdfium" in w for w in page.warnings) == protect
    assert len(reference) > 150 and _keyed(page) == reference
    assert any("table printed turned" in w for w in page.warnings)
    assert page.text == _read(pdf_bytes(SPEC)).text


@pytest.mark.parametrize("turn", [90, -90], ids=["up", "down"])
def test_a_turned_table_split_over_two_pages_is_joined(turn):
    """Table 三 landscape does not fit one page: its rows go on over the next, its merged
    label's text on the first page only; each piece is read upright, the two joined as one."""
    pages, _warnings = read_pdf(pdf_bytes(SPEC, turned_tables=turn))
    pieces = [(n, t.grid) for n, p in enumerate(pages) for t in p.tables
              if any("申请人情况" in row or "四、结转下年度继续办理" in row for row in t.grid)]
    assert len(pieces) == 2 and pieces[1][0] == pieces[0][0] + 1
    (_n, first), (_m, rest) = pieces
    assert first[0][-1] == "申请人情况" and first[2][-7:-1] == ["自然人", "商业企业", "科研机构",
                                                               "社会公益组织", "法律服务机构", "其他"]
    assert rest[-1][:3] == ["四、结转下年度继续办理"] * 3
    grid = next(t for t in _read(pdf_bytes(SPEC, turned_tables=turn)).tables
                if t and t[0][-2:] == ["申请人情况"] * 2)
    assert len(grid) == 28 and [len(row) for row in grid] == [10] * 28


PARAGRAPHS = ["一、总体情况", "本年度主动公开政府信息2428条，其中规章0件。", "二、依申请公开情况"]
GRID = [["项目", "自然人", "法人或其他组织", "总计"],
        ["本年新收政府信息公开申请数量", "90", "21", "111"],
        ["上年结转", "4", "0", "4"]]
_COL, _ROW = 100.0, 30.0


def _page(turn: int, protect: bool = False, rotate: int = 0) -> bytes:
    """Paragraphs across the top of a portrait page, and below them a ruled table drawn turned
    `turn` degrees (its first label wrapped over two lines in its cell); the page shown turned
    `rotate` degrees clockwise (/Rotate)."""
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1, encrypt=StandardEncryption(
        "", ownerPassword="owner", canCopy=0) if protect else None)
    c.setPageRotation(rotate)
    c.setFont("STSong-Light", 12)
    for i, text in enumerate(PARAGRAPHS):
        c.drawString(72, 780 - 24 * i, text)
    c.setFont("STSong-Light", 10)
    long_ = len(GRID[0]) * _COL
    c.translate(*{90: (200 + len(GRID) * _ROW, 100), -90: (200, 100 + long_),
                  180: (150 + long_, 100 + len(GRID) * _ROW)}[turn])
    c.rotate(turn)  # the table's own axes: x along its columns, y up from its bottom row
    for r, row in enumerate(GRID):
        for col, text in enumerate(row):
            x, top = col * _COL, (len(GRID) - r) * _ROW
            c.rect(x, top - _ROW, _COL, _ROW)
            wrapped = [text[:8], text[8:]] if len(text) > 8 else [text]
            for k, part in enumerate(wrapped):
                c.drawString(x + 4, top - 12 - 11 * k, part)
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize("protect", [False, True], ids=["pdfminer", "pdfium"])
@pytest.mark.parametrize("turn", TURNS, ids=TURN_IDS)
def test_a_turned_table_below_upright_paragraphs(turn, protect):
    """The table's rows are its rows, each cell's text read along its own direction (the wrapped
    label whole), the paragraphs above it as they are, in that order."""
    pages, warnings = read_pdf(_page(turn, protect))
    assert any("read with pdfium" in w for w in warnings) == protect
    assert [t.grid for t in pages[0].tables] == [GRID]
    assert [s.text for s in pages[0].lines] == PARAGRAPHS
    assert any("table printed turned" in w and "pages 1" in w for w in warnings)
    page = _read(_page(turn, protect))
    assert page.text.split("\n")[:3] == PARAGRAPHS and "\t".join(GRID[1]) in page.text


def test_an_upright_table_beside_turned_words_stays_as_it_is():
    """The words around a table say nothing of how the table is printed: a sideways label in
    the margin beside an upright table leaves the table's rows its rows."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.setFont("STSong-Light", 10)
    for r, row in enumerate(GRID):
        for col, text in enumerate(row):
            c.rect(60 + col * 150, 600 - r * _ROW, 150, _ROW)
            c.drawString(64 + col * 150, 612 - r * _ROW, text)
    c.saveState()
    c.translate(40, 300)
    c.rotate(90)
    for i in range(4):
        c.drawString(0, -14 * i, "政府信息公开工作年度报告附表说明文字")
    c.restoreState()
    c.save()
    pages, warnings = read_pdf(buf.getvalue())
    assert [t.grid for t in pages[0].tables] == [GRID]
    assert not any("table printed turned" in w for w in warnings)


@pytest.mark.parametrize("protect", [False, True], ids=["pdfminer", "pdfium"])
@pytest.mark.parametrize(("turn", "shown"), [(90, False), (-90, True)], ids=["upright", "upside-down"])
def test_a_table_on_a_page_turned_by_rotate(turn, shown, protect):
    """/Rotate 90 shows the page turned clockwise: a table drawn turned counter-clockwise is
    shown upright and read as it is; one drawn turned the other way is shown upside down."""
    pages, warnings = read_pdf(_page(turn, protect, rotate=90))
    assert [t.grid for t in pages[0].tables] == [GRID]
    assert any("table printed turned" in w for w in warnings) == shown
