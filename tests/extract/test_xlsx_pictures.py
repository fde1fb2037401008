"""Pictures over a workbook's sheets (issue 14): a report kept as an Excel file whose tables are
screenshots pasted onto the sheets. openpyxl reads cells only, so the tables vanished without a
warning (5 of 202 keyed cells: the prose figures). They are read by OCR, flagged, each sheet's
pictures apart; an icon is not read, and a picture that cannot be opened is a loss."""

from __future__ import annotations

import io
import zipfile

import pytest

from extract import extract_page
from extract.loss import says_lost
from simportals.attachments import xlsx_bytes
from simportals.plan import plan
from simportals.render_report import report_html

SPEC = next(s for s in plan(0, 1, 0) if s.template == "2021")
URL = "http://www.bl.gov.cn/module/download/P020220120.xlsx"


def _keyed(page) -> dict:
    return {(c.table, c.row_key, c.col_key): c.value for c in page.cells if c.row_key}


def _replaced(body: bytes, name_part: str, data: bytes) -> bytes:
    """The workbook with every zip member whose name holds `name_part` replaced by `data`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(body)) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item, data if name_part in item.filename else old.read(item.filename))
    return out.getvalue()


@pytest.fixture(scope="module")
def pictured():
    return extract_page(xlsx_bytes(SPEC, tables_as_images=True), url=URL)


def test_tables_pasted_as_pictures_are_read(pictured):
    html = f"<html><body><div class='TRS_Editor'>{report_html(SPEC)}</div></body></html>"
    want = _keyed(extract_page(html.encode(), url="http://www.bl.gov.cn/art/1.html"))
    got = _keyed(pictured)
    assert sum(1 for k, v in want.items() if got.get(k) == v) >= 0.99 * len(want)
    assert all(c.ocr == (c.table != "prose") for c in pictured.cells)
    assert "ocr: 4 pictures in the workbook read by OCR" in pictured.warnings
    assert not any(says_lost(w) for w in pictured.warnings), pictured.warnings


def test_a_picture_that_cannot_be_opened_is_a_loss():
    body = _replaced(xlsx_bytes(SPEC, tables_as_images=True), "xl/media/image2", b"not a picture")
    page = extract_page(body, url=URL)
    assert "xlsx: 1 picture not read (content kept outside the text)" in page.warnings
    assert any(says_lost(w) for w in page.warnings)


def test_an_icon_is_not_read():
    from PIL import Image

    icon = io.BytesIO()
    Image.new("RGB", (24, 24), (200, 30, 30)).save(icon, "PNG")
    body = _replaced(xlsx_bytes(SPEC, tables_as_images=True), "xl/media/image", icon.getvalue())
    page = extract_page(body, url=URL)
    assert not any("picture" in w for w in page.warnings), page.warnings
