"""Pictures with transparency (a table screenshot or a seal saved as PNG on a transparent
background, as editors and portals paste them) are laid on white paper before they are read,
as a browser shows them: dropping the alpha channel turned the transparent background black."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from extract.attachments import extract_document
from extract.figures import left_out

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


def _png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def test_a_transparent_screenshot_reads_as_on_paper():
    image = Image.new("RGBA", (900, 160), (0, 0, 0, 0))  # transparent black, as editors store it
    draw = ImageDraw.Draw(image)
    draw.text((30, 50), "全年主动公开政府信息1234条。", font=ImageFont.truetype(FONT, 36), fill=(0, 0, 0, 255))
    doc = extract_document(_png(image), "image/png", "http://x.gov.cn/a.png")
    assert "全年主动公开政府信息1234条" in doc.text.replace(" ", "")


def test_a_transparent_seal_is_left_out():
    image = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse([10, 10, 290, 290], outline=(215, 35, 40, 255), width=8)
    draw.text((150, 200), "公开专用章", font=ImageFont.truetype(FONT, 40), fill=(215, 35, 40, 255), anchor="mm")
    assert left_out(Image.open(io.BytesIO(_png(image)))) == "seal"


def test_webp_and_gif_pictures_are_read():
    """Portals now serve pictures as WebP, and old ones as GIF: both were not known as images."""
    image = Image.new("RGB", (900, 160), "white")
    ImageDraw.Draw(image).text((30, 50), "全年主动公开政府信息1234条。", font=ImageFont.truetype(FONT, 36), fill="black")
    for fmt, ctype in (("WEBP", "image/webp"), ("GIF", "image/gif")):
        buf = io.BytesIO()
        image.save(buf, fmt, **({"lossless": True} if fmt == "WEBP" else {}))
        for declared in (ctype, None):  # by its type, and by its bytes alone
            doc = extract_document(buf.getvalue(), declared, "http://x.gov.cn/download?id=7")
            assert doc is not None and doc.kind == "image", (fmt, declared)
            assert "全年主动公开政府信息1234条" in doc.text.replace(" ", ""), fmt
