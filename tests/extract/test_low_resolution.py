"""Reports posted as pictures at a phone's width (a 长图 1,080 px wide, about 130 dpi; table
text about 12 px high). Read at that size, OCR lost 7 of 19 cells of a short report's table and
33 of 202 slots of a 2021 report, without a warning; the picture is now enlarged to where its
smaller text reads (extract/ocr.py `text_height`), and a cell's figure is read once."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from extract import extract_page, ocr
from simportals import build_testbed
from simportals.attachments import LONG_IMAGE_WIDTH, _page_images, jpg_bytes

TB = build_testbed()


def _spec(kind):
    truth = next(t for t in TB.reports if t.published_as == kind)
    return truth, next(s for s in TB.specs if s.key == truth.key)


def _narrow(image: Image.Image) -> Image.Image:
    return image.resize((LONG_IMAGE_WIDTH, round(image.height * LONG_IMAGE_WIDTH / image.width)),
                        Image.LANCZOS)


def test_long_image_at_phone_width_reads_every_cell():
    truth, spec = _spec("jpg")
    body = jpg_bytes(spec)
    assert Image.open(io.BytesIO(body)).width == LONG_IMAGE_WIDTH
    page = extract_page(body, url="http://x.gov.cn/a.jpg", headers={"Content-Type": "image/jpeg"})
    got = {(c.table, c.row_label, c.col_label): c.value for c in page.cells}
    assert [(t, r, c, v) for t, r, c, v in truth.cells if got.get((t, r, c)) != v] == []
    assert page.stats == truth.stats and page.title == truth.title


def test_small_text_is_enlarged_and_page_size_text_is_not():
    _truth, spec = _spec("scan")
    pages = [im.convert("L") for im in _page_images(spec)]
    assert all(ocr._enlargement(np.asarray(p)) == 1.0 for p in pages)  # 200 dpi: read as it is
    assert all(ocr._enlargement(np.asarray(_narrow(p))) > 1.4 for p in pages)


def test_a_table_page_at_130_dpi_reads_as_at_200():
    """Table 三's page: at 130 dpi a ruling's remnant under a figure was read as a second line
    of its cell, so the figure came out twice (57 → 5757, 2 → 22)."""
    _truth, spec = _spec("scan")
    page = _page_images(spec)[2].convert("L")
    full = ocr.ocr_image(page)
    small = ocr.ocr_image(_narrow(page))
    def figures(tables):
        return [[[cell for cell in row if cell.isdigit()] for row in t.grid] for t in tables]

    assert figures(small.tables) == figures(full.tables)
    assert sum(len(row) for t in figures(full.tables) for row in t) > 100
