"""Attachments built on the fly (python-docx, openpyxl, reportlab) and hostile bodies."""

from __future__ import annotations

import io
import zipfile

import pytest

from extract.attachments import detect_kind, extract_document
from extract.stats import extract_statistics

T4_HEADER = ["行政复议"] * 5 + ["行政诉讼"] * 10
T4_SUB = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5
T4_LEAF = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3
T4_ROW = ["1", "0", "2", "0", "3", "4", "0", "0", "1", "5", "0", "0", "0", "0", "0"]


def _docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = "某某县2021年政府信息公开工作年度报告"
    document.add_paragraph("一、总体情况")
    document.add_paragraph("本年度收取信息处理费共计380元。")
    table = document.add_table(rows=4, cols=15)
    for r, row in enumerate([T4_HEADER, T4_SUB, T4_LEAF, T4_ROW]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(0, 0).merge(table.cell(0, 4))
    table.cell(0, 5).merge(table.cell(0, 14))
    table.cell(0, 0).text = "行政复议"
    table.cell(0, 5).text = "行政诉讼"
    document.add_paragraph("五、存在的主要问题及改进情况")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_paragraphs_and_merged_table():
    doc = extract_document(_docx_bytes(), None, "http://x.gov.cn/P020220101.docx")
    assert doc.kind == "docx" and doc.title.startswith("某某县")
    assert doc.text.splitlines()[0] == "一、总体情况"
    assert doc.tables[0][0] == T4_HEADER
    stats = extract_statistics(doc.text, doc.tables, 2021)
    assert stats.headline["reconsideration_total"] == 3
    assert stats.headline["litigation_total"] == 5
    assert stats.headline["fees_collected"] == 380


def test_xlsx_merged_ranges_copied():
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(T4_HEADER)
    sheet.append(T4_SUB)
    sheet.append(T4_LEAF)
    sheet.append([int(x) for x in T4_ROW])
    sheet.merge_cells("A1:E1")
    out = io.BytesIO()
    book.save(out)
    doc = extract_document(out.getvalue(), "application/octet-stream", "a.xlsx")
    assert doc.kind == "xlsx"
    assert doc.tables[0][0][:5] == ["行政复议"] * 5
    assert doc.tables[0][3][4] == "3"


def test_pdf_text_in_reading_order():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.setFont("STSong-Light", 12)
    pdf.drawString(72, 780, "某某局2020年政府信息公开工作年度报告")
    pdf.drawString(72, 750, "本年度收到政府信息公开申请12件。")
    for i, text in enumerate(["（一）予以公开", "5", "0", "0", "0", "0", "0", "5"]):
        pdf.drawString(72 + i * 60 + (80 if i else 0), 700, text)
    pdf.save()
    doc = extract_document(out.getvalue(), None, None)
    assert doc.kind == "pdf"
    assert doc.title == "某某局2020年政府信息公开工作年度报告"
    assert doc.text.index("年度报告") < doc.text.index("申请12件")
    assert ["（一）予以公开", "5", "0", "0", "0", "0", "0", "5"] in doc.tables[0]


@pytest.mark.parametrize("body,content_type,url,expected", [
    (b"%PDF-1.4\n", None, None, "pdf"),
    (b"<html><body>not found</body></html>", "application/pdf", "a.pdf", None),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, None, "a.xls", "xls"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, None, "a.wps", "wps"),
    (b"plain", "text/html", "a.html", None),
], ids=["pdf-magic", "html-named-pdf", "ole-xls", "ole-wps", "html"])
def test_detect_kind(body, content_type, url, expected):
    assert detect_kind(body, content_type, url) == expected


@pytest.mark.parametrize("body,url", [
    (b"%PDF-1.4\n1 0 obj << /Type /Catalog", "truncated.pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x01" * 600, "broken.xls"),
    (b"PK\x03\x04garbage", "broken.docx"),
], ids=["truncated-pdf", "broken-xls", "broken-docx"])
def test_hostile_bodies_warn_not_raise(body, url):
    doc = extract_document(body, None, url)
    assert doc is not None and doc.warnings


def test_zip_bomb_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (210 * 1024 * 1024))
    doc = extract_document(out.getvalue(), None, "bomb.docx")
    assert doc.kind == "docx" and "limit" in doc.warnings[0]


def test_legacy_doc_utf16_runs():
    text = "平潭综合实验区2013年政府信息公开工作年度报告\r本年度未收到政府信息公开申请。\r"
    body = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 510 + text.encode("utf-16-le")
    doc = extract_document(body, "application/msword", None)
    assert doc.kind == "doc" and "未收到政府信息公开申请" in doc.text
    assert doc.title.startswith("平潭") and doc.warnings


def test_pdf_ruled_table_with_spans():
    """A table drawn with ruling lines: merged cells fill every slot they cover, wrapped labels
    join, and the statistics come out as from HTML."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("c", fontName="STSong-Light", fontSize=7, leading=9, wordWrap="CJK")
    rows = [["行政复议", "", "", "", "", "行政诉讼"] + [""] * 9,
            T4_SUB[:5] + ["未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
            ["", "", "", "", ""] + T4_LEAF[5:], T4_ROW]
    table = Table([[Paragraph(t, style) for t in row] for row in rows])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("SPAN", (0, 0), (4, 0)), ("SPAN", (5, 0), (14, 0)),
                               ("SPAN", (5, 1), (9, 1)), ("SPAN", (10, 1), (14, 1))]
                              + [("SPAN", (c, 1), (c, 2)) for c in range(5)]))
    out = io.BytesIO()
    SimpleDocTemplate(out).build([Paragraph("某某县2021年政府信息公开工作年度报告", style), table])
    doc = extract_document(out.getvalue(), "application/pdf", None)
    assert doc.warnings == ["pdf tables rebuilt from ruling lines"]
    grid = doc.tables[0]
    assert grid[0] == T4_HEADER and grid[1] == T4_SUB and grid[2] == T4_LEAF
    assert grid[3] == T4_ROW
    stats = extract_statistics(doc.text, doc.tables, 2021)
    assert (stats.headline["reconsideration_total"], stats.headline["litigation_total"]) == (3, 5)
