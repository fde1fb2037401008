"""Statistics tables pasted into the portal's editor as images carried in the page itself
(`<img src="data:image/png;base64,…">`, as UEditor and KindEditor paste from Word): nothing to
fetch, the bytes are archived with the page. They were skipped as "inline data" and the tables
vanished without a warning; they are decoded and read by OCR where they stand, in a crawl and
in `nianbao extract FILE` alike."""

from __future__ import annotations

import base64
import io

from extract import extract_page
from extract.images import images_to_fetch
from extract.loss import says_lost
from simportals.document import build
from simportals.image_reports import REPORTS, _freeze, _specs, table_png
from simportals.render_report import blocks_html, report_html

SPEC = _specs()[REPORTS[0][0]]
URL = "http://www.bl.gov.cn/xxgk/ndbg/t20240301_1.html"


def _page(body: str) -> bytes:
    return (f"<html><head><title>{SPEC.title}</title></head><body><div class='TRS_Editor'>"
            f"{body}</div></body></html>").encode()


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def _inline_tables() -> bytes:
    out = []
    for kind, payload in build(SPEC):
        if kind == "table":
            out.append(f'<p style="text-align:center"><img src="{_data_uri(table_png(_freeze(payload)))}" '
                       'width="600"></p>')
        else:
            out.append(blocks_html([(kind, payload)], 0))
    return _page("\n".join(out))


def _keyed(page) -> dict:
    return {(c.table, c.row_key, c.col_key): c.value for c in page.cells if c.row_key}


def test_tables_pasted_inline_are_read_where_they_stand():
    reference = extract_page(_page(report_html(SPEC)), url=URL)
    page = extract_page(_inline_tables(), url=URL)
    assert len(_keyed(reference)) > 150 and _keyed(page) == _keyed(reference)
    assert page.stats == reference.stats and page.kind == "report"
    assert all(c.ocr for c in page.cells if c.table != "prose")
    assert "ocr: images in the page read by OCR" in page.warnings
    assert images_to_fetch(_inline_tables(), URL) == []  # nothing for the spider to fetch


def test_an_inline_icon_is_not_read_and_a_broken_one_is_a_loss():
    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (16, 16), 0).save(buf, "PNG")
    body = report_html(SPEC).replace("</p>", f'</p><p><img src="{_data_uri(buf.getvalue())}"></p>', 1)
    page = extract_page(_page(body), url=URL)
    assert page.text == extract_page(_page(report_html(SPEC)), url=URL).text
    assert not page.ocr and not any(says_lost(w) for w in page.warnings)
    broken = report_html(SPEC).replace("</p>", '</p><p><img src="data:image/png;base64,iVBORw0KGgo=" '
                                       'width="600"></p>', 1)
    page = extract_page(_page(broken), url=URL)
    (warning,) = [w for w in page.warnings if says_lost(w)]
    assert warning.startswith("image unreadable: image 1 of the page (inline data)")


def test_a_seal_beside_the_signature_is_named_not_read():
    """A red seal stamped over the 落款 as a picture: OCR would make lines of its ring text (as
    PDF and Word pictures, it is left out and named, not a loss)."""
    from tests.extract.test_pdf_pictures import _seal

    png = io.BytesIO()
    _seal().save(png, "PNG")
    plain = extract_page(_page(report_html(SPEC)), url=URL)
    body = report_html(SPEC) + f'<p style="text-align:right"><img src="{_data_uri(png.getvalue())}" width="160"></p>'
    page = extract_page(_page(body), url=URL)
    assert page.text == plain.text and not page.ocr
    assert "image: a seal (red, about square) left out of the text: image 1 of the page (inline data)" \
        in page.warnings
    assert not any(says_lost(w) for w in page.warnings)
