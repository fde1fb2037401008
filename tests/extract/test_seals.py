"""A scanned report in colour with the issuer's red seal stamped over its 落款, as nearly every
scanned report is. In grey the seal's ink is as dark as the issuer's name and date under it and
as the table rows it crosses: taken out before OCR (extract/figures.py `without_seals`), the
black text under it reads, and the seal is named in a warning. Red that is no seal (a red
masthead's words) stays text."""

from __future__ import annotations

import io

from PIL import ImageDraw, ImageFont

from extract import extract_page
from simportals import build_testbed
from simportals.attachments import _page_images, signature_box, stacked, stamped

TB = build_testbed()
HINTS = {"registry_region": "江苏省宿迁市沭阳县"}
MASTHEAD = "沭阳县发展和改革局文件"


def _sealed_long_image(spec) -> bytes:
    number, box = signature_box(spec)
    pages = [im.convert("RGB") for im in _page_images(spec)]
    pages[number] = stamped(pages[number], box)
    draw = ImageDraw.Draw(pages[0])  # a red masthead: red words, not a seal
    draw.text((pages[0].width / 2, 60), MASTHEAD, fill=(215, 35, 40), anchor="mm",
              font=ImageFont.truetype("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 56))
    buf = io.BytesIO()
    stacked(pages).save(buf, "JPEG", quality=90)
    return buf.getvalue()


def test_seal_over_the_signature_is_taken_out_and_named():
    truth = next(t for t in TB.reports if t.published_as == "tiff")  # a short report with a 落款
    spec = next(s for s in TB.specs if s.key == truth.key)
    page = extract_page(_sealed_long_image(spec), url="http://x.gov.cn/a.jpg",
                        headers={"Content-Type": "image/jpeg"}, hints=HINTS)
    assert page.stats == truth.stats
    got = {(c.table, c.row_label, c.col_label): c.value for c in page.cells}
    assert [(t, r, c, v) for t, r, c, v in truth.cells if got.get((t, r, c)) != v] == []
    assert page.signed == truth.signed and page.agency == truth.agency
    assert "公开专用章" not in page.text  # the seal's own words are not the report's
    assert MASTHEAD in page.text.replace(" ", "")
    assert "image: a seal (red, about square) left out of the text" in page.warnings


def test_a_table_ruled_in_red_is_no_seal():
    import numpy as np
    from PIL import Image

    from extract.figures import without_seals

    page = Image.new("RGB", (1000, 1000), "white")
    draw = ImageDraw.Draw(page)
    for k in range(5):  # a 4 × 4 grid, 400 px square, ruled in red
        draw.line([(300, 300 + 100 * k), (700, 300 + 100 * k)], fill=(215, 35, 40), width=3)
        draw.line([(300 + 100 * k, 300), (300 + 100 * k, 700)], fill=(215, 35, 40), width=3)
    gray, seals = without_seals(page)
    assert seals == 0 and np.asarray(gray)[500, 300:700].min() < 160  # its rules stay ink
