"""PDF text a reader turns the page or the head to read (issue 14): table 三's column heads and
the label merged down its left printed a quarter turn to read up their narrow columns, heads
turned the other way, CJK vertical writing (a font's vertical mode, or glyphs placed one by one
down a column), a page turned by /Rotate. Each comes out whole and in reading order, in its
table cell, as pdfminer reads it and as pdfium does."""

from __future__ import annotations

import io

import pytest

from extract import extract_page
from extract.pdf import pdfium_text, read_pdf
from simportals.attachments import pdf_bytes
from simportals.plan import plan
from simportals.stats import RESULTS, T3_COLS

SPEC = next(s for s in plan(0, 1, 0) if s.template == "2021")
PDF = [("Content-Type", "application/pdf")]
HEADS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
SENTENCE = "本年度主动公开政府信息2428条，其中规章0件。"


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
def test_turned_heads_keep_every_cell(reference, protect):
    """Every keyed cell as in the HTML report; the owner-password PDF is read by pdfium."""
    page = _read(pdf_bytes(SPEC, protect=protect, vertical_heads=True))
    assert any("read with pdfium" in w for w in page.warnings) == protect
    assert len(reference) > 150 and _keyed(page) == reference
    assert any("sideways" in w for w in page.warnings)


def test_turned_heads_read_whole_in_their_cells():
    pages, _warnings = read_pdf(pdf_bytes(SPEC, vertical_heads=True))
    grids = [t.grid for p in pages for t in p.tables if t.grid and "申请人情况" in t.grid[0]]
    assert grids and grids[0][2][-len(T3_COLS):] == list(T3_COLS)
    labels = [row[0] for p in pages for t in p.tables for row in t.grid]
    # the label merged down the left, wrapped over two turned lines, whole in every row it spans
    assert labels.count(RESULTS) >= 20 and [x for x in labels if "办理结" in x] == [RESULTS] * labels.count(RESULTS)
    text = _read(pdf_bytes(SPEC, vertical_heads=True)).text
    assert text == _read(pdf_bytes(SPEC)).text


def _canvas():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    return buf, canvas.Canvas(buf, invariant=1)


def _head_table(c, top: float, turn: int, bold: bool) -> None:
    """A ruled table whose head cells read up (turn 90) or down (turn -90) the page; `bold`:
    each head printed again 0.3 pt aside (a font without a bold face)."""
    for i, head in enumerate(HEADS):
        x = 72 + i * 50
        c.rect(x, top - 80, 50, 80)
        c.rect(x, top - 100, 50, 20)
        c.drawString(x + 4, top - 94, str(10 * i + 1))
        for dx in (0, 0.3) if bold else (0,):
            c.saveState()
            c.translate(x + 29 + dx, top - 76) if turn == 90 else c.translate(x + 21 + dx, top - 4)
            c.rotate(turn)
            c.drawString(0, 0, head)
            c.restoreState()


@pytest.mark.parametrize(("turn", "bold"), [(90, False), (-90, False), (90, True)],
                         ids=["up", "down", "up-bold"])
def test_head_cells_turned_either_way(turn, bold):
    buf, c = _canvas()
    c.setFont("STSong-Light", 10)
    _head_table(c, 700, turn, bold)
    c.save()
    pages, warnings = read_pdf(buf.getvalue())
    assert [t.grid for t in pages[0].tables] == [[HEADS, [str(10 * i + 1) for i in range(6)]]]
    assert any("sideways" in w and "pages 1" in w for w in warnings)
    lines, pieces = pdfium_text(buf.getvalue(), [0], {0: []})[0]
    assert [s.text for s in sorted(lines, key=lambda s: s.x0) if not s.text.isdigit()] == HEADS
    assert [p[2] for p in sorted(pieces) if not p[2].isdigit()] == HEADS


def _vertical_writing() -> bytes:
    """Right to left: a title and a paragraph in the font's vertical writing mode, then two
    columns placed glyph by glyph (as exporters print vertical text)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    buf, c = _canvas()
    font = UnicodeCIDFont("STSong-Light", isVertical=True)
    font.name = font.fontName = "STSong-Light-V"
    pdfmetrics.registerFont(font)
    c.setFont("STSong-Light-V", 16)
    c.drawString(520, 780, "政府信息公开工作年度报告")
    c.setFont("STSong-Light-V", 12)
    c.drawString(495, 780, "本年度主动公开政府信息二千四百")
    c.drawString(480, 780, "二十八条，其中规章零件。")
    c.setFont("STSong-Light", 12)
    for col, text in enumerate(["依申请公开政府信息情况", "行政复议行政诉讼"]):
        for i, ch in enumerate(text):
            c.drawString(420 - 16 * col, 780 - 12 * i, ch)
    c.save()
    return buf.getvalue()


def test_vertical_writing_reads_down_the_columns():
    body = _vertical_writing()
    expected = ["政府信息公开工作年度报告", "本年度主动公开政府信息二千四百二十八条，其中规章零件。",
                "依申请公开政府信息情况行政复议行政诉讼"]
    pages, warnings = read_pdf(body)
    assert sorted(s.text for s in pages[0].lines) == sorted(expected) and not pages[0].tables
    assert any("vertical writing" in w for w in warnings)
    lines, _pieces = pdfium_text(body, [0])[0]
    assert sorted(s.text for s in lines) == sorted(expected)
    page = _read(body)
    assert page.title == expected[0] and all(line in page.text for line in expected[1:])


def _rotated_page(turn_content: bool) -> bytes:
    """A portrait page shown landscape (/Rotate 90): its content drawn turned to show upright,
    or not (the reader sees it sideways)."""
    buf, c = _canvas()
    c.setPageRotation(90)
    c.setFont("STSong-Light", 12)
    if turn_content:
        c.translate(595, 0)
        c.rotate(90)
    for i in range(3):
        c.drawString(72, 500 - 20 * i, f"第{i + 1}段：{SENTENCE}")
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize("turn_content", [True, False], ids=["upright", "sideways"])
def test_page_turned_by_rotate(turn_content):
    body = _rotated_page(turn_content)
    expected = [f"第{i + 1}段：{SENTENCE}" for i in range(3)]
    pages, warnings = read_pdf(body)
    assert [s.text for s in pages[0].lines] == expected
    assert any("sideways" in w for w in warnings) != turn_content
    lines, _pieces = pdfium_text(body, [0])[0]
    assert [s.text for s in lines] == expected


@pytest.mark.parametrize("turn", [90, -90, 180], ids=["up", "down", "upside-down"])
def test_a_page_printed_sideways_reads_its_paragraphs_in_order(turn):
    """No /Rotate: the text itself is turned on a portrait page (a wide page pasted in)."""
    buf, c = _canvas()
    c.setFont("STSong-Light", 12)
    c.translate(300, 420)
    c.rotate(turn)
    paragraphs = [f"第{i + 1}段：{SENTENCE}" for i in range(4)]
    for i, text in enumerate(paragraphs):
        c.drawString(-200 + 20 * (i % 2), 100 - 30 * i, text)
    c.save()
    page = _read(buf.getvalue())
    assert page.text.split("\n") == paragraphs
    assert any("sideways" in w for w in page.warnings)


def test_a_column_of_single_glyphs_beside_text_is_kept_and_said():
    """Glyphs stacked one above another with a line beside them may be a column or rows of a
    table: kept as they are (one a line), and the page named, never joined on a guess."""
    buf, c = _canvas()
    c.setFont("STSong-Light", 12)
    for i, ch in enumerate("年度报告"):
        c.drawString(72, 700 - 12 * i, ch)
    c.drawString(100, 688, SENTENCE)
    c.save()
    pages, warnings = read_pdf(buf.getvalue())
    assert sorted(s.text for s in pages[0].lines) == sorted([*"年度报告", SENTENCE])
    assert any("reading order unsure" in w and "pages 1" in w for w in warnings)


def test_a_forms_column_of_one_glyph_answers_stays_with_its_rows():
    """A form: an answer (是/否) a row, its question far to the right on the same baseline, the
    rows set tight. The answers are rows of the form, not a column to read down; a lone column
    of glyphs with nothing on its baselines still is."""
    buf, c = _canvas()
    c.setFont("STSong-Light", 12)
    answers = "是否是是否"
    questions = ["是否按时公开年度报告", "是否存在行政复议纠错", "是否开展政务公开培训", "是否更新政府网站专栏",
                 "是否收取信息处理费"]
    for i, (answer, question) in enumerate(zip(answers, questions, strict=True)):
        c.drawString(80, 760 - 16 * i, answer)
        c.drawString(200, 760 - 16 * i, question)
    for i, ch in enumerate("政务公开专栏"):
        c.drawString(520, 600 - 13 * i, ch)
    c.save()
    pages, _ = read_pdf(buf.getvalue())
    lines = [s.text for s in pages[0].lines]
    assert [s for s in lines if s in answers] == list(answers)  # one a row, in order
    assert answers not in lines and "政务公开专栏" in lines
    for answer, question in zip(answers, questions, strict=True):  # each answer beside its question
        assert lines[lines.index(question) - 1] == answer or lines[lines.index(question) + 1] == answer
