"""NIANBAO_OCR_CACHE: a page read once is not read again, and the cache changes no result."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw, ImageFont

from extract import ocr


def _ruled_table() -> Image.Image:
    font = ImageFont.truetype("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 26)
    image = Image.new("L", (700, 190), 255)
    draw = ImageDraw.Draw(image)
    for r, row in enumerate([["申请", "予以公开", "总计"], ["本年", "12", "15"]]):
        for c, text in enumerate(row):
            draw.rectangle([20 + c * 210, 20 + r * 70, 230 + c * 210, 90 + r * 70], outline=0, width=2)
            draw.text((40 + c * 210, 40 + r * 70), text, font=font, fill=0)
    return image


class NoEngine:
    """Stands in for RapidOCR where the cache must answer: any use fails the test."""

    def __getattr__(self, name):
        raise AssertionError(f"the engine was used ({name}) for a cached page")


def test_cached_page_is_the_page_read(tmp_path, monkeypatch):
    image = _ruled_table()
    monkeypatch.delenv("NIANBAO_OCR_CACHE", raising=False)
    read = ocr.ocr_image(image)
    monkeypatch.setenv("NIANBAO_OCR_CACHE", str(tmp_path / "ocr"))
    first = ocr.ocr_image(image)
    assert len(list((tmp_path / "ocr").glob("*.pickle"))) == 1
    again = ocr.ocr_image(image, engine=NoEngine())
    assert first == read and again == read
    assert read.tables and read.tables[0].grid[1] == ["本年", "12", "15"]
    with pytest.raises(AssertionError, match="engine was used"):  # other pixels: read, not cached
        ocr.ocr_image(image.rotate(180), engine=NoEngine())


def test_unreadable_entry_is_read_again(tmp_path, monkeypatch):
    monkeypatch.setenv("NIANBAO_OCR_CACHE", str(tmp_path))
    image = _ruled_table()
    first = ocr.ocr_image(image)
    (entry,) = tmp_path.glob("*.pickle")
    entry.write_bytes(b"not a pickle")
    assert ocr.ocr_image(image) == first
