"""Pictures in a Word file (issue 14): statistics tables pasted as screenshots, as many DOCX
reports set tables 二–四. They were counted and, in a document with text, not even named: the
tables vanished without a warning (2 cells of 202). They are read by OCR where they are, a
table pasted as two pictures joined; icons and seals are not read; a picture that cannot be
opened is said, as a loss."""

from __future__ import annotations

import io
import zipfile

from extract import extract_page
from extract.attachments import extract_document
from extract.loss import says_lost
from simportals.attachments import docx_bytes
from simportals.plan import plan
from tests.extract.test_pdf_pictures import _seal

SPEC = next(s for s in plan(0, 1, 0) if s.template == "2021")
URL = "http://x.gov.cn/P020240101.docx"


def _keyed(page) -> dict:
    return {(c.table, c.row_key, c.col_key): c.value for c in page.cells if c.row_key}


def test_tables_pasted_as_pictures_are_read_where_they_are():
    pictured, plain = (extract_page(docx_bytes(SPEC, tables_as_images=flag), url=URL) for flag in (True, False))
    assert len(_keyed(plain)) > 150 and _keyed(pictured) == _keyed(plain)
    assert pictured.stats == plain.stats
    # the same text, the tables' rows where Word's own tables stand (an OCR'd label may differ
    # by a quotation mark)
    lines, own = pictured.text.split("\n"), plain.text.split("\n")
    assert [s for s in lines if "\t" not in s] == [s for s in own if "\t" not in s]
    assert [i for i, s in enumerate(lines) if "\t" in s] == [i for i, s in enumerate(own) if "\t" in s]
    assert all(c.ocr for c in pictured.cells if c.table != "prose")
    assert not any(c.ocr for c in pictured.cells if c.table == "prose")  # Word's own text
    assert "ocr: 4 pictures in the document read by OCR" in pictured.warnings
    document = extract_document(docx_bytes(SPEC, tables_as_images=True), None, URL)
    assert [len(grid) for grid in document.tables] == [len(grid) for grid in extract_document(
        docx_bytes(SPEC), None, URL).tables]  # table 三, two screenshots, is one table


def _with_pictures(*images) -> bytes:
    import docx
    from docx.shared import Pt

    d = docx.Document()
    d.add_paragraph("一、总体情况")
    d.add_paragraph("本年度主动公开政府信息2428条，其中规章0件。")
    for image in images:
        buf = io.BytesIO()
        image.save(buf, "PNG")
        buf.seek(0)
        d.add_picture(buf, width=Pt(min(image.width, 300)))
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def test_icons_and_seals_are_not_read():
    from PIL import Image

    icon = Image.new("L", (40, 40), 0)
    document = extract_document(_with_pictures(icon, _seal()), None, URL)
    assert document.text == "一、总体情况\n本年度主动公开政府信息2428条，其中规章0件。"
    assert not document.ocr and not any(says_lost(w) for w in document.warnings)


def test_a_picture_that_cannot_be_opened_is_a_loss():
    from PIL import Image

    body = _with_pictures(Image.new("L", (400, 200), 255))
    src, out = zipfile.ZipFile(io.BytesIO(body)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info, b"EMF that PIL cannot open" if info.filename.startswith("word/media/") else data)
    document = extract_document(out.getvalue(), None, URL)
    (warning,) = [w for w in document.warnings if "picture" in w]
    assert warning == "docx: 1 picture not read (content kept outside the text)" and says_lost(warning)
