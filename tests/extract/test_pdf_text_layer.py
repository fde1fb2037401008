"""PDFs whose text layer is there but does not say what is printed: strings pdfminer cannot
decrypt in an owner-password PDF (as many portals post, copying "forbidden"), a font without a
Unicode map. Their text is never kept as noise: read with pdfium, else by OCR, and said so."""

from __future__ import annotations

import io

from extract import extract_page
from simportals.attachments import pdf_bytes
from simportals.plan import plan

SPEC = next(s for s in plan(0, 1, 0) if s.template == "2021")
PDF = [("Content-Type", "application/pdf")]
SENTENCE = "本年度主动公开政府信息2428条，其中规章0件。"


def _read(body: bytes):
    return extract_page(body, url="http://x.gov.cn/P020240101.pdf", headers=PDF)


def _rows(page):
    return [(c.table, c.row_key, c.col_key, c.value) for c in page.cells]


def test_owner_password_pdf_reads_as_the_open_one():
    protected, plain = pdf_bytes(SPEC, protect=True), pdf_bytes(SPEC)
    assert b"/Encrypt" in protected
    page, same = _read(protected), _read(plain)
    assert page.kind == "report" and "(cid:" not in page.text
    assert page.text == same.text and _rows(page) == _rows(same) and len(page.cells) > 150
    assert (page.title, page.year, page.stats) == (same.title, same.year, same.stats)
    assert any("read with pdfium" in w for w in page.warnings)
    assert not any("read with pdfium" in w for w in same.warnings)


def _one_font_page(text: str, lines: int = 4, unicode_map: bool = True) -> bytes:
    """A small page printed in an embedded TrueType subset; without its ToUnicode map the
    glyph codes mean nothing to any reader (the key is renamed, so offsets stay valid)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("zenhei", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
                                   subfontIndex=0))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(360, 60 + 24 * lines), invariant=1)
    c.setFont("zenhei", 12)
    for i in range(lines):
        c.drawString(24, 30 + 24 * (lines - 1 - i), text)
    c.save()
    body = buf.getvalue()
    return body if unicode_map else body.replace(b"/ToUnicode", b"/ToUnicodX")


def test_a_font_without_unicode_is_read_by_ocr():
    page = _read(_one_font_page(SENTENCE, unicode_map=False))
    assert page.ocr and any("without Unicode" in w and "OCR" in w for w in page.warnings)
    assert SENTENCE.rstrip("。") in page.text.replace("\n", "")
    assert not any(ch < " " and ch not in "\t\n" for ch in page.text)


def test_a_few_symbols_without_unicode_keep_the_text_layer():
    """A bullet in a symbol font maps to the private-use area: that is not a reason to OCR."""
    page = _read(_one_font_page("\uf0b7" + SENTENCE))
    assert not page.ocr and SENTENCE in page.text
    assert not any("pdfium" in w or "OCR" in w for w in page.warnings)


def test_look_alike_ideographs_are_searchable_text():
    """A font mapping 工 to the Kangxi radical ⼯ and 门 to the radical ⻔ prints the same page;
    the text and the cells use the characters a search is typed with."""
    look_alike = "本年度⻔户⽹站主动公开政府信息2428条，其中规章0件。"
    page = _read(_one_font_page(look_alike))
    assert "本年度门户网站主动公开政府信息2428条" in page.text and "⻔" not in page.text
    html = "<html><body><div class='content'><p>" + look_alike * 3 + "</p><table><tr><td>⼯作</td>" \
           "<td>1</td></tr></table></div></body></html>"
    assert "门户网站" in extract_page(html.encode(), url="http://x.gov.cn/a.html").text


def test_overprinted_bold_is_read_once():
    """Bold made by printing each glyph again 0.3 pt aside (a font without a bold face): the
    title, a heading printed glyph by glyph, and the figures of a ruled table, each read once."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    from extract.pdf import pdfium_text, read_pdf

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    title = "某某区人民政府2023年政府信息公开工作年度报告"
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    for dx in (0, 0.3):
        c.setFont("STSong-Light", 18)
        c.drawString(80 + dx, 760, title)
    c.setFont("STSong-Light", 12)
    x = 72.0
    for ch in "一、总体情况":
        for dx in (0, 0.3):
            c.drawString(x + dx, 720, ch)
        x += 12
    c.drawString(72, 700, SENTENCE)
    rows = [["信息内容", "本年制发件数", "本年废止件数"], ["规章", "12", "3"], ["规范性文件", "40", "7"]]
    for r, row in enumerate(rows):
        for col, text in enumerate(row):
            c.rect(72 + col * 150, 640 - r * 24, 150, 24)
            for dx in (0, 0.3):
                c.drawString(78 + col * 150 + dx, 648 - r * 24, text)
    c.save()
    pages, _warnings = read_pdf(buf.getvalue())
    texts = [line.text for line in pages[0].lines]
    assert texts == [title, "一、总体情况", SENTENCE]
    assert [t.grid for t in pages[0].tables] == [rows]
    # pdfium's reading (pages whose glyphs pdfminer cannot map) leaves the repeats out too
    lines, _pieces = pdfium_text(buf.getvalue(), [0])[0]
    assert [line.text for line in lines] == [title, "一、总体情况", SENTENCE, *sum(rows, [])]


def test_a_line_printed_again_glyph_by_glyph_later_is_read_once():
    """Bold printed as a second pass, glyph by glyph, after other text: pdfium's own check
    (the same text object as the one before) misses it, so its reading kept the line twice."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    from extract.pdf import pdfium_text, read_pdf

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    title = "2023年政府信息公开工作年度报告"
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.setFont("STSong-Light", 12)
    c.drawString(72, 700, title)
    c.drawString(72, 680, SENTENCE)
    x = 72.3
    for ch in title:
        c.drawString(x, 700, ch)
        x += c.stringWidth(ch, "STSong-Light", 12)
    c.save()
    lines, _pieces = pdfium_text(buf.getvalue(), [0])[0]
    assert [line.text for line in lines] == [title, SENTENCE]
    pages, _warnings = read_pdf(buf.getvalue())
    assert [line.text for line in pages[0].lines] == [title, SENTENCE]


def test_a_slanted_watermark_is_left_out_and_said():
    """A watermark printed across the page at 45° falls among the lines of the text; it is
    left out of the text (pdfminer's reading and pdfium's) and named in a warning."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.setFont("STSong-Light", 12)
    for i in range(12):
        c.drawString(72, 700 - 18 * i, SENTENCE)
    c.saveState()
    c.setFont("STSong-Light", 40)
    c.setFillGray(0.85)
    c.translate(300, 600)
    c.rotate(45)
    c.drawCentredString(0, 0, "某某县人民政府办公室")
    c.restoreState()
    c.save()
    page = _read(buf.getvalue())
    assert page.text.count(SENTENCE) == 12 and "某" not in page.text
    assert any("watermark" in w and "某某县人民政府办公室" in w for w in page.warnings)

    from extract.pdf import pdfium_text

    lines, _pieces = pdfium_text(buf.getvalue(), [0])[0]
    assert [s.text for s in lines if "某" in s.text] == []
