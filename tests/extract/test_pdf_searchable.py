"""Searchable scans (issue 14): a scanned report made searchable by the scanner or Acrobat has
another program's OCR printed invisible under each page. Read as a text layer, its tables (only
in the picture: no ruling lines in the PDF) came out as 36 of 202 keyed cells, and its misread
ideographs went into the catalogue unflagged. Such pages are read by OCR from the picture; a
digital PDF with a background picture or a stray invisible line keeps its text layer."""

from __future__ import annotations

import io

from extract import extract_page
from extract.pdf import read_pdf
from simportals import build_testbed
from simportals.attachments import _FONT, LOOK_ALIKES, _register_font, pdf_bytes

TB = build_testbed()
PDF = [("Content-Type", "application/pdf")]
HIDDEN = "another program's OCR text hidden under them"


def _keyed(cells) -> dict:
    return {(c.table, c.row_label, c.col_label): c.value for c in cells}


def test_a_searchable_scan_is_read_from_its_picture():
    truth = next(t for t in TB.reports if t.published_as == "searchable")
    portal, path = truth.attachments[0]
    _status, headers, body = TB.page(portal, path)
    page = extract_page(body, url=TB.url(portal, path), headers=headers)
    assert any(HIDDEN in w and "(pages 1, 2, 3, 4)" in w for w in page.warnings), page.warnings
    assert (page.title, page.agency, page.year) == (truth.title, truth.agency, truth.year)
    want = {(t, r, c): v for t, r, c, v in truth.cells}
    got = _keyed(page.cells)
    right = sum(1 for k, v in want.items() if got.get(k) == v)
    assert right >= 0.99 * len(want), (right, len(want))
    assert all(c.ocr for c in page.cells if c.table != "prose")
    # the hidden layer misreads 5 % of its ideographs as look-alikes (about 100 here): not taken
    printed = extract_page(pdf_bytes(next(s for s in TB.specs if s.key == truth.key)),
                           url="http://x.gov.cn/P1.pdf", headers=PDF).text
    look_alikes = [sum(text.count(ch) for ch in LOOK_ALIKES) for text in (page.text, printed)]
    assert look_alikes[0] <= look_alikes[1] + 3, look_alikes


def _digital(background: bool, hidden_line: bool) -> bytes:
    """A one-page digital PDF: visible text, over a page-sized picture (letterhead paper) and/or
    with one invisible line (an accessibility tag a generator left)."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    _register_font()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(595, 842))
    if background:
        paper = Image.new("L", (300, 420), 250)
        paper.paste(200, (0, 0, 300, 12))  # a red-head band, in grey
        buf = io.BytesIO()
        paper.save(buf, "PNG")
        pdf.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 0, 0, 595, 842)
    pdf.setFont(_FONT, 12)
    for i, line in enumerate(["舒城县人民政府2023年政府信息公开工作年度报告",
                              "本年度报告根据《中华人民共和国政府信息公开条例》编制。",
                              "本年度主动公开政府信息2428条，其中文件类信息312条。"]):
        pdf.drawString(72, 760 - 24 * i, line)
    if hidden_line:
        text = pdf.beginText(72, 600)
        text.setTextRenderMode(3)
        text.setFont(_FONT, 12)
        text.textOut("隐藏的辅助文字")
        pdf.drawText(text)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def test_a_digital_page_keeps_its_text_layer():
    for background, hidden in [(True, False), (False, True), (True, True)]:
        pages, warnings = read_pdf(_digital(background, hidden))
        text = "".join(line.text for line in pages[0].lines)
        assert "主动公开政府信息2428条" in text, (background, hidden)
        assert not any(w.startswith("ocr:") for w in warnings), (background, hidden, warnings)
