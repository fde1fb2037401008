"""A report scanned to one multi-page TIFF (as scanners and fax servers write it): every frame
is read. Before, the first frame alone was OCR'd and the rest were lost without a word."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from extract import extract_page
from extract.attachments import extract_document

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


def _frame(lines: list[str]) -> Image.Image:
    font = ImageFont.truetype(FONT, 28)
    image = Image.new("L", (1000, 80 + 60 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((40, 40 + 60 * i), line, font=font, fill=0)
    return image


PAGES = [["城关镇2017年政府信息公开工作年度报告", "一、概述"],
         ["二、主动公开政府信息情况", "全年主动公开政府信息1234条。"],
         ["三、依申请公开政府信息情况", "全年收到政府信息公开申请56件。"]]


def _tiff(compression: str) -> bytes:
    frames = [_frame(lines) for lines in PAGES]
    if compression == "group4":
        frames = [f.point(lambda v: 255 if v > 128 else 0).convert("1") for f in frames]
    buf = io.BytesIO()
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:], compression=compression)
    return buf.getvalue()


def test_every_frame_of_a_multipage_tiff_is_read():
    for compression in ("tiff_lzw", "group4"):
        doc = extract_document(_tiff(compression), "image/tiff", "http://x.gov.cn/report.tif")
        assert doc.kind == "image" and doc.ocr
        text = doc.text.replace(" ", "")
        for lines in PAGES[1:]:
            for line in lines:
                assert line in text, (compression, line, text)


def test_statistics_on_later_frames_reach_the_report():
    page = extract_page(_tiff("tiff_lzw"), url="http://x.gov.cn/report.tif",
                        headers={"Content-Type": "image/tiff"})
    assert page.stats["proactive_disclosed"] == 1234
    assert page.stats["applications_received"] == 56


def test_a_damaged_later_frame_keeps_the_frames_before_it_and_says_so():
    cut = _tiff("tiff_lzw")[:-120]  # Pillow writes each frame's directory after its strips: the last one cut
    doc = extract_document(cut, "image/tiff", "http://x.gov.cn/report.tif")
    text = doc.text.replace(" ", "")
    assert all(line in text for line in PAGES[1])
    assert any(w.startswith("image unreadable: frames after the 2 read") for w in doc.warnings), doc.warnings


def test_a_16_bit_scan_is_read_not_whited_out():
    """Pillow's convert("L") clips 16-bit values above 255: the page came out blank."""
    import numpy as np

    frames = [Image.fromarray(np.asarray(_frame(lines), dtype=np.uint16) * 257) for lines in PAGES[:2]]
    buf = io.BytesIO()
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:])
    doc = extract_document(buf.getvalue(), "image/tiff", "http://x.gov.cn/report.tif")
    assert "全年主动公开政府信息1234条" in doc.text.replace(" ", "")
