"""Pictures among a text PDF's text (issue 14): statistics tables pasted as screenshots into the
Word file the PDF was printed from. The text layer has none of their text; read as a text page
the tables vanished without a warning (202 keyed cells of a 2021 report: 163 came out, from the
one page holding nothing but a picture). They are read by OCR where they are printed, flagged
as OCR; logos, backgrounds under the text and a seal beside the signature are not read."""

from __future__ import annotations

import io

import pytest

from extract import extract_page
from extract.pdf import read_pdf
from simportals.attachments import SCAN_DPI, pdf_bytes
from simportals.plan import plan

SPEC = next(s for s in plan(0, 1, 0) if s.template == "2021")
PDF = [("Content-Type", "application/pdf")]


def _read(body: bytes):
    return extract_page(body, url="http://x.gov.cn/P020240101.pdf", headers=PDF)


def _keyed(page) -> dict:
    return {(c.table, c.row_key, c.col_key): c.value for c in page.cells if c.row_key}


@pytest.fixture(scope="module")
def pictured():
    return _read(pdf_bytes(SPEC, tables_as_images=True))


def test_every_keyed_cell_of_tables_pasted_as_pictures(pictured):
    from simportals.render_report import report_html

    html = f"<html><body><div class='TRS_Editor'>{report_html(SPEC)}</div></body></html>"
    reference = extract_page(html.encode(), url="http://x.gov.cn/a.html")
    assert len(_keyed(reference)) > 150 and _keyed(pictured) == _keyed(reference)
    assert pictured.stats == reference.stats
    assert all(c.ocr for c in pictured.cells if c.table != "prose") and pictured.ocr
    assert not any(c.ocr for c in pictured.cells if c.table == "prose")  # the text layer's
    assert any("text in pictures among the text" in w for w in pictured.warnings)


def test_the_text_around_the_pictures_is_the_text_pdfs(pictured):
    """Paragraphs, title and fields as the same report printed with its tables as text."""
    plain = _read(pdf_bytes(SPEC))
    prose = [line for line in plain.text.split("\n") if "\t" not in line]
    assert [line for line in pictured.text.split("\n") if "\t" not in line] == prose
    for f in ("title", "agency", "year", "signed"):
        assert getattr(pictured, f) == getattr(plain, f), f


PARAGRAPHS = ["一、总体情况", "本年度主动公开政府信息2428条，其中规章0件。", "二、依申请公开情况"]
GRID = [["项目", "自然人", "法人或其他组织", "总计"],
        ["本年新收申请数量", "90", "21", "111"],
        ["上年结转", "4", "0", "4"]]


def _table_picture():
    """GRID as a ruled table rasterised at SCAN_DPI (a screenshot), and its size in points."""
    import pypdfium2
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    widths = [130, 70, 130, 70]
    c = canvas.Canvas(buf, pagesize=(404, 94), invariant=1)
    c.setFont("STSong-Light", 11)
    for r, row in enumerate(GRID):
        for col, text in enumerate(row):
            x = 2 + sum(widths[:col])
            c.rect(x, 62 - r * 30, widths[col], 30)
            c.drawString(x + 6, 73 - r * 30, text)
    c.save()
    pdf = pypdfium2.PdfDocument(buf.getvalue())
    try:
        return pdf[0].render(scale=SCAN_DPI / 72, grayscale=True).to_pil(), (404, 94)
    finally:
        pdf.close()


def _seal():
    """A red ring with a red star: a seal stamped as a picture."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (300, 300), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 290, 290), outline=(220, 30, 30), width=14)
    draw.polygon([(150, 70), (175, 140), (245, 140), (190, 180), (210, 250), (150, 208),
                  (90, 250), (110, 180), (55, 140), (125, 140)], fill=(220, 30, 30))
    return image


def _page(*, table: bool = False, strips: int = 1, logo: bool = False, background: bool = False,
          seal: bool = False) -> bytes:
    """PARAGRAPHS on a page, and under them the pictures asked for: the table (cut in `strips`
    tiles, as some PDF printers store a picture), a logo, a picture under the text, a seal."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    if background:  # a light tint under the whole text, as letter paper is printed
        c.drawImage(ImageReader(Image.new("L", (60, 80), 235)), 40, 600, width=480, height=220)
    c.setFont("STSong-Light", 12)
    for i, text in enumerate(PARAGRAPHS):
        c.drawString(72, 780 - 24 * i, text)
    if table:
        image, (w, h) = _table_picture()
        cut = image.height // strips
        for k in range(strips):
            tile = image.crop((0, k * cut, image.width, image.height if k == strips - 1 else (k + 1) * cut))
            part = h * tile.height / image.height
            c.drawImage(ImageReader(tile), 72, 680 - h * (k * cut + tile.height) / image.height,
                        width=w, height=part)
    if logo:
        c.drawImage(ImageReader(Image.new("L", (40, 40), 0)), 480, 790, width=40, height=40)
    if seal:
        c.drawImage(ImageReader(_seal()), 380, 420, width=120, height=120)
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize("strips", [1, 4], ids=["one", "tiles"])
def test_a_table_picture_below_paragraphs(strips):
    """In the place it is printed, whole when a PDF printer stored it as tiles each thinner than
    an icon; its figures flagged as OCR with their confidence."""
    pages, warnings = read_pdf(_page(table=True, strips=strips))
    assert [t.grid for t in pages[0].tables] == [GRID]
    assert all(score is not None for row in pages[0].tables[0].confidence for score in row)
    assert [s.text for s in pages[0].lines] == PARAGRAPHS
    assert any("text in pictures" in w and "pages 1" in w for w in warnings)
    page = _read(_page(table=True, strips=strips))
    assert page.text.split("\n") == [*PARAGRAPHS, *["\t".join(r) for r in GRID]]


def test_pictures_that_are_not_text_are_not_read():
    """A logo (icon-sized), a tint printed under the text, a seal beside it: the text as
    without them, nothing OCR'd, the seal left out loudly."""
    pages, warnings = read_pdf(_page(logo=True, background=True, seal=True))
    assert [s.text for s in pages[0].lines] == PARAGRAPHS and not pages[0].tables
    assert not any(w.startswith("ocr:") for w in warnings)
    assert any("seal" in w and "pages 1" in w for w in warnings)
    assert _read(_page(logo=True, background=True, seal=True)).text == _read(_page()).text


STAMP = "下载时间：2024年3月1日 来源：示例县人民政府门户网站"


def test_a_scanned_page_under_a_download_stamp_is_read():
    """A whole scanned page with a line of text stamped in its top margin (more than a blank
    page's worth of text, so the page is no scan by its text alone): the scan is read, beside
    the stamp."""
    import pypdfium2
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    pdf = pypdfium2.PdfDocument(_page(table=True))
    try:
        scan = pdf[0].render(scale=SCAN_DPI / 72, grayscale=True).to_pil()
    finally:
        pdf.close()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.drawImage(ImageReader(scan), 0, 0, width=595.27, height=841.89)
    c.setFont("STSong-Light", 9)
    c.drawString(72, 822, STAMP)
    c.save()
    pages, warnings = read_pdf(buf.getvalue())
    assert [t.grid for t in pages[0].tables] == [GRID]
    assert sorted(s.text for s in pages[0].lines) == sorted([STAMP.replace(" ", ""), *PARAGRAPHS])
    assert any("text in pictures" in w for w in warnings)


def test_a_table_picture_on_a_cropped_page():
    """A page cropped in an editor (its crop box inside its media box, as a reader shows it):
    the picture is cut out where pdfminer places it, in the media box."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(_page(table=True))
    try:
        pdf[0].set_cropbox(40, 300, 560, 820)
        buf = io.BytesIO()
        pdf.save(buf)
    finally:
        pdf.close()
    pages, _warnings = read_pdf(buf.getvalue())
    assert [t.grid for t in pages[0].tables] == [GRID]
