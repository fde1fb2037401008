"""PDF text as a reader sees it, on PDFs laid out differently: fonts (built-in Song, WenQuanYi
Zen Hei from Debian), margins, sizes, justified and ragged lines, page-number styles, running
headers, a table split by a page break, two tables side by side."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from extract import extract_page
from extract.layout import PAGE_NUMBER

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")  # Debian fonts-wqy-zenhei (.ci/run)
SENTENCES = [
    "本年度报告根据《中华人民共和国政府信息公开条例》和上级关于做好政府信息公开工作年度报告的要求编制。",
    "本报告所列数据统计期限为2023年1月1日至2023年12月31日。",
    "2023年，本局通过政府网站、政务新媒体等渠道主动发布各类政府信息2428条，发布政策解读17篇。",
    "坚持以公开为常态、不公开为例外，将政务公开工作纳入年度重点工作统筹推进，形成一级抓一级的工作格局。",
    "严格执行公开前保密审查制度，做到先审查、后公开，一事一审、全面审查，全年未发生泄密事件。",
    "全年共收到政府信息公开申请35件，均在法定期限内予以答复，答复率为100%。",
    "完善依申请公开受理、登记、办理、答复等工作流程，做到件件有记录、事事有回音。",
    "如对本报告有疑问，请与某某县人民政府办公室联系（电话：0564-82626913，邮箱：gk@example.gov.cn）。",
]


def _font(name: str) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    if name == "wqy":
        assert WQY.exists(), "fonts-wqy-zenhei must be installed (see .ci/run)"
        if "WQY" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("WQY", str(WQY), subfontIndex=0))
        return "WQY"
    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def _wrap(text: str, font: str, size: float, width: float, indent: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, line, room = [], "", width - indent
    for ch in text:
        if stringWidth(line + ch, font, size) > room:
            lines.append(line)
            line, room = "", width
        line += ch
    return [*lines, line]


def _document(font_name: str, size: float, margin: float, justify: bool, number: str,
              header: str | None, paragraphs: list[str], table_at: int | None = None) -> bytes:
    """A report printed like a word processor does: lines broken at the margin, first-line
    indent, centred two-line title, a running header and a page number on every page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    font = _font(font_name)
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=1)
    width, height = A4
    body = width - 2 * margin
    page = [1]
    y = [height - margin]

    def furniture() -> None:
        pdf.setFont(font, 9)
        if header:
            pdf.drawCentredString(width / 2, height - margin / 2, header)
        pdf.drawCentredString(width / 2, margin / 2, number.format(page[0]))

    def newline(step: float) -> None:
        y[0] -= step
        if y[0] < margin:
            furniture()
            pdf.showPage()
            page[0] += 1
            y[0] = height - margin

    pdf.setFont(font, size + 6)
    for line in ("某某县人民政府", "2023年政府信息公开工作年度报告"):
        pdf.drawCentredString(width / 2, y[0], line)
        newline((size + 6) * 1.6)
    for i, para in enumerate(paragraphs):
        if table_at == i:
            _table(pdf, font, margin, y, newline)
        heading = para.startswith(("一、", "二、", "三、"))
        indent = 0 if heading else 2 * size
        lines = _wrap(para, font, size, body, indent)
        for k, line in enumerate(lines):
            pdf.setFont(font, size)
            x = margin + (indent if k == 0 else 0)
            last = k == len(lines) - 1
            if justify and not last and len(line) > 1:
                gap = (body - (x - margin) - stringWidth(line, font, size)) / (len(line) - 1)
                pdf.drawString(x, y[0], line, charSpace=gap)
            else:
                pdf.drawString(x, y[0], line)
            newline(size * 1.7)
    furniture()
    pdf.save()
    return out.getvalue()


def _table(pdf, font, margin, y, newline) -> None:
    """A ruled 3-column table, rows drawn one by one (a page break may split it)."""
    rows = [["信息内容", "本年制发件数", "现行有效件数"], ["规章", "3", "12"],
            ["行政规范性文件", "5", "40"]] + [[f"第{i}项", str(i), str(i * 2)] for i in range(1, 30)]
    for row in rows:
        top = y[0] + 12
        for c, text in enumerate(row):
            x0 = margin + c * 150
            pdf.rect(x0, top - 20, 150, 20)
            pdf.setFont(font, 9)
            pdf.drawString(x0 + 4, top - 14, text)
        newline(20)
    newline(10)


PARAS = ["一、总体情况", *SENTENCES[:2], "二、主动公开政府信息情况", *SENTENCES[2:]] * 5


@pytest.mark.parametrize("font,size,margin,justify,number,header", [
    ("song", 16, 80, False, "- {} -", "某某县人民政府2023年政府信息公开工作年度报告"),
    ("wqy", 12, 50, True, "第{}页", None),
    ("song", 10.5, 40, True, "{}/3", "某某县政府信息公开"),
    ("wqy", 14, 64, False, "— {} —", "内部资料"),
], ids=["song16-ragged", "wqy12-justified", "song10-slash-numbers", "wqy14-emdash"])
def test_reflow_sentences_whole_and_no_furniture(font, size, margin, justify, number, header):
    body = _document(font, size, margin, justify, number, header, PARAS)
    page = extract_page(body, url="http://x.gov.cn/P020240101.pdf")
    lines = page.text.splitlines()
    for sentence in SENTENCES:
        assert any(sentence in line for line in lines), sentence
    assert not [line for line in lines if PAGE_NUMBER.match(line)]
    if header:
        assert not [line for line in lines if header in line]
        assert page.removed.get("running_header")
    assert "一、总体情况" in lines and "二、主动公开政府信息情况" in lines  # headings stay lines
    assert page.title == "某某县人民政府2023年政府信息公开工作年度报告"
    assert page.agency == "某某县人民政府" and page.year == 2023


def test_table_split_by_page_break_is_one_table_in_place():
    body = _document("song", 12, 60, False, "- {} -", None, PARAS, table_at=4)
    page = extract_page(body, url="http://x.gov.cn/a.pdf")
    [table] = [t for t in page.tables if t and t[0][0] == "信息内容"]
    assert len(table) == 32 and table[-1] == ["第29项", "29", "58"]
    text = page.text
    assert text.index(SENTENCES[1]) < text.index("信息内容") < text.index(SENTENCES[2])
    assert not [line for line in text.splitlines() if PAGE_NUMBER.match(line)]


def test_two_tables_side_by_side():
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = _font("song")
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=1)
    for left, label in ((40, "行政复议"), (320, "行政诉讼")):
        for r, row in enumerate([[label, "总计"], ["结果维持", "3"], ["结果纠正", "1"]]):
            for c, text in enumerate(row):
                pdf.rect(left + c * 110, 700 - r * 20, 110, 20)
                pdf.setFont(font, 9)
                pdf.drawString(left + c * 110 + 4, 706 - r * 20, text)
    pdf.save()
    page = extract_page(out.getvalue(), url="http://x.gov.cn/b.pdf")
    assert [["行政复议", "总计"], ["结果维持", "3"], ["结果纠正", "1"]] in page.tables
    assert [["行政诉讼", "总计"], ["结果维持", "3"], ["结果纠正", "1"]] in page.tables


def _piece(grid, copies):
    from extract.layout import PlacedTable

    xs = [float(10 * i) for i in range(len(grid[0]) + 1)]
    return PlacedTable(0.0, 100.0, grid, None, xs, copies)


def test_a_head_row_broken_across_a_page_is_one_row():
    """LibreOffice lets a head row break across pages (商业 / 科研 at a page's foot, 企业 /
    机构 on the next): the two parts are one row, as a broken row of figures is."""
    from extract.layout import join_tables

    a = _piece([["申请人情况"] * 4, ["自然人", "法人或其他组织", "法人或其他组织", "总计"],
                ["自然人", "商业", "科研", "总计"]],
               [[False, True, True, True], [False, False, True, False], [True, False, False, True]])
    b = _piece([["", "企业", "机构", ""], ["1", "2", "3", "6"]], [[False] * 4, [False] * 4])
    grid = join_tables(a, b).grid
    assert grid[2] == ["自然人", "商业企业", "科研机构", "总计"] and grid[3] == ["1", "2", "3", "6"]


def test_a_heads_next_level_on_the_next_page_stays_a_row():
    """Under a cell merged across columns (法人或其他组织), the cells on the next page are the
    head's next level, not the rest of that cell."""
    from extract.layout import join_tables

    a = _piece([["申请人情况"] * 4, ["自然人", "法人或其他组织", "法人或其他组织", "总计"]],
               [[False, True, True, True], [False, False, True, False]])
    b = _piece([["", "商业企业", "科研机构", ""], ["1", "2", "3", "6"]], [[False] * 4, [False] * 4])
    grid = join_tables(a, b).grid
    assert grid[1] == ["自然人", "法人或其他组织", "法人或其他组织", "总计"] and grid[2][1:3] == ["商业企业", "科研机构"]


def test_a_cell_merged_down_from_a_broken_row_goes_on_whole():
    """A group label merged down over rows is broken with its first row across the page:
    （六）其 at the foot, 他处理 over the rest of that row and the rows after it."""
    from extract.layout import join_tables

    a = _piece([["（五）不予处理", "2.重复申请", "1", "1"], ["（六）其", "1.申请人无正当理由逾期不补正、行", "1", "1"]],
               [[False] * 4, [False] * 4])
    b = _piece([["他处理", "政机关不再处理其政府信息公开申请", "", ""], ["他处理", "2.申请人逾期未按收费通知", "0", "0"],
                ["他处理", "3.其他", "0", "0"]],
               [[False] * 4, [True, False, False, False], [True, False, False, False]])
    grid = join_tables(a, b).grid
    assert [row[0] for row in grid] == ["（五）不予处理"] + ["（六）其他处理"] * 3
    assert grid[1][1] == "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"


def test_a_title_whose_first_line_fills_the_page_is_whole():
    """On a narrow page (A5) a long title's first line runs margin to margin, so reads as a
    paragraph's line, and only its wrapped end (告) is centred: both are the title."""
    from extract.document_fields import document_title

    blocks = [("p", "宁波市北仑区司法局2018年政府信息公开年度报"), ("title", "告"),
              ("p", "本年度报告根据《中华人民共和国政府信息公开条例》，由宁波市北仑区司法局编制。"), ("h", "一、概述")]
    assert document_title(blocks) == ("宁波市北仑区司法局2018年政府信息公开年度报告", [0, 1])
    # the wrapped end may hold 报告 itself (…工作年 / 度报告): the line before still starts it
    wrapped = [("p", "沭阳县发展和改革局2023年政府信息公开工作年"), ("title", "度报告"), *blocks[2:]]
    assert document_title(wrapped) == ("沭阳县发展和改革局2023年政府信息公开工作年度报告", [0, 1])
    # a short line over a whole title is no start of it (a column's name printed above)
    over = [("p", "政府信息公开"), ("title", "沭阳县发展和改革局2023年政府信息公开工作年度报告"), *blocks[2:]]
    assert document_title(over) == ("沭阳县发展和改革局2023年政府信息公开工作年度报告", [1])
    # a paragraph opening the document before a centred line is no title when it is a sentence
    blocks[0] = ("p", "本年度报告根据条例编制，现予公布。")
    assert document_title(blocks) == (None, [])


def test_a_printed_web_pages_title_among_its_chrome():
    """A web page printed whole: its title is a plain line after the portal's menus, none of
    the first six lines names the report. The title is the last line ending in 报告 before the
    body that names a year (not a related link's wrapped end after it), without the field
    label and the site's name a page's metadata block prints around it."""
    from extract.document_fields import document_title

    chrome = [("p", "首页"), ("p", "政务公开"), ("p", "政府工作报告"), ("p", "当前位置："), ("p", "政府信息公开年报"),
              ("p", "平潭综合实验区2019年度政府信息公开工作年度报告"), ("p", "来源：平潭县人民政府"), ("p", "相关链接："),
              ("p", "平潭综合实验区2019年"), ("p", "度政府信息公开工作年度报告")]
    body = [("p", "根据《中华人民共和国政府信息公开条例》，编制本报告。"), ("h", "一、总体情况")]
    assert document_title(chrome + body) == ("平潭综合实验区2019年度政府信息公开工作年度报告", [5])
    labelled = [*chrome[:5], ("p", "标题：沭阳县发展和改革局2023年政府信息公开年度报告-沭阳县发改局"), *chrome[6:]]
    assert document_title(labelled + body)[0] == "沭阳县发展和改革局2023年政府信息公开年度报告"


def test_an_indented_first_line_ended_short_by_line_breaking_is_no_title():
    """Ragged right, first lines indented two characters: where the line breaking pushes a
    character down with the 。 no line may start with (and squeezes 》， to half a character),
    or pushes down a number too long for the room left, the first line ends one and a half or
    two characters short and sits in the middle of the page like a title. It runs on."""
    from reportlab.pdfgen import canvas

    font, size, margin, width = _font("song"), 12.0, 60.0, 420.0
    first = "本年度报告根据《中华人民共和国政府信息公开条例》，由某某县司法局编"
    paragraphs = [  # (first line, where it ends short of the margin, a full line, the rest)
        (first, 1.6, "制。本报告中所列数据的统计期限自2018年1月1日起至2018年", "12月31日止。"),
        ("截至今年底，本局累计主动公开政府信息共计一千余条，统计期限", 2.0,
         "20230101至20231231，全文电子化率达到百分之百，其中本年度新", "增主动公开政府信息一百余条。"),
    ]
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(width, 595), invariant=1)
    y = 595 - margin
    pdf.setFont(font, size + 4)
    pdf.drawCentredString(width / 2, y, "某某县司法局2018年政府信息公开工作年度报告")
    y -= 2.5 * size
    pdf.setFont(font, size)

    def spaced(x: float, text: str, length: float) -> None:
        pdf.drawString(x, y, text, charSpace=(length - pdf.stringWidth(text, font, size)) / (len(text) - 1))

    body = width - 2 * margin
    for first, short, full, rest in paragraphs:
        spaced(margin + 2 * size, first, body - (2 + short) * size)
        y -= 1.6 * size
        spaced(margin, full, body)
        y -= 1.6 * size
        pdf.drawString(margin, y, rest)
        y -= 2.5 * size
    pdf.save()
    page = extract_page(out.getvalue(), url="http://x.gov.cn/P0.pdf")
    assert page.title == "某某县司法局2018年政府信息公开工作年度报告"
    assert page.text.splitlines() == ["".join(p[:1] + p[2:]) for p in paragraphs]


def test_a_web_page_printed_whole_finds_its_title_after_the_chrome():
    """A report's page printed with the portal around it: the menus come first, and the title
    is set as a plain line, no larger than they. The last line naming the report before the
    body is its title; a body line cut short (…年度报告有) is none."""
    from extract.document_fields import document_title

    chrome = [("p", t) for t in ("国务院省政府", "移动版", "首页", "政务公开", "办事服务", "互动交流", "当前位置：",
                                 "政府信息公开年报")]
    blocks = [*chrome, ("p", "平潭综合实验区2023年度政府信息公开工作年度报告"), ("p", "来源：管委会办公室时间：2024-03-08"),
              ("p", "《福建省人民政府办公厅关于编制公布2021年政府信息公开工作年度报告有"), ("h", "一、总体情况"),
              ("p", "2023年，平潭综合实验区坚持以公开为常态。")]
    assert document_title(blocks) == ("平潭综合实验区2023年度政府信息公开工作年度报告", [8])
    assert document_title([*chrome, *blocks[10:]]) == (None, [])


def test_item_numbers_as_written():
    """How the items beside a group's label cut by a page break are counted (layout._group_goes_on)."""
    from extract.layout import _item_number

    assert _item_number("2.重复申请") == ("#.", 2)
    assert _item_number("（十二）其他") == ("（一）", 12) and _item_number("二十三、安排") == ("一、", 23)
    assert _item_number("理") is None and _item_number("十十、") is None
