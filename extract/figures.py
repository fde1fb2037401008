"""Pictures and drawn text among a PDF page's letters, read by OCR.

A report set in Word often has its statistics tables pasted as screenshots (of a spreadsheet,
or of the previous year's PDF), a chart, or a scanned page placed on a page that also has text.
The text layer has none of their text: read as a text page, the tables vanish without a trace.
Which pictures count is decided by structure, as extract/images.py decides for HTML: an image
(several tiles of one picture taken together) not icon-sized, and not under the text: a
background, a scan's hidden OCR layer and a seal stamped on the signature have lines of text
over a good share of their area; a download stamp printed across a scanned page, a line or
two over a whole page, does not hide the scan. A seal stamped beside the text (red ink, about square) is left out with a warning:
its ring of characters reads as noise. Text drawn as outlines beside letters (a title set in
an art font and converted to curves) is found as clusters of glyph-sized shapes and read the
same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from extract.layout import PlacedTable, PrintedPage

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in points, y up (pdfminer's)

MIN_SIDE = 64.0  # points: a picture smaller on a side is a logo, a bullet or a QR code
COVERED = 0.03  # share of a picture's area under lines of text beyond which it is under the text
_TOUCH = 2.0  # points: tiles of one picture (a scanner's strips) touch or overlap
MIN_GLYPHS = 6  # shapes close together before they may be a line of text drawn as outlines
_GLYPH = 48.0  # points: a shape larger on a side is no glyph (a rule, a frame, a chart)
_GAP = 4.0  # points: glyph outlines of one line of text are closer than this
_CELL = 24.0  # points: the grid shapes are hashed on to find their neighbours
_PAD = 3.0  # points of page around a picture or drawn text, for OCR to see its edges
_RED = 0.6  # share of a picture's ink that is red beyond which, if about square, it is a seal
SEAL = "a seal (red, about square) left out of the text"


def figures(images: Iterable[Box], lines: list[Box], page: Box) -> list[Box]:
    """The pictures of a page that may hold text: `images` (pdfminer's LTImage boxes) clipped to
    the `page`, touching tiles joined, icon-sized ones and those under the `lines` of the text
    layer left out."""
    boxes = []
    for x0, y0, x1, y1 in images:
        box = (max(x0, page[0]), max(y0, page[1]), min(x1, page[2]), min(y1, page[3]))
        if box[2] > box[0] and box[3] > box[1]:
            boxes.append(box)
    return [box for box, _n in _clusters(boxes, _TOUCH)
            if box[2] - box[0] >= MIN_SIDE and box[3] - box[1] >= MIN_SIDE
            and sum(_overlap(box, line) for line in lines) < COVERED * _area(box)]


def _area(box: Box) -> float:
    return max(box[2] - box[0], 0.0) * max(box[3] - box[1], 0.0)


def _overlap(a: Box, b: Box) -> float:
    return _area((max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])))


def drawn_text(shapes: list[Box], lines: list[Box], tables: list[Box]) -> list[Box]:
    """Where text may be drawn as outlines among letters (a title set in an art font and
    converted, a seal drawn in vectors): `shapes` the size of a glyph, clustered as the glyphs
    of a line sit, MIN_GLYPHS or more to a cluster, outside the ruled `tables` and not under the
    text layer's `lines`. A rule, a frame or a chart's slices are larger than a glyph."""
    small = [b for b in shapes if b[2] - b[0] <= _GLYPH and b[3] - b[1] <= _GLYPH
             and not any(t[0] <= b[0] and b[2] <= t[2] and t[1] <= b[1] and b[3] <= t[3] for t in tables)]
    return [box for box, n in _clusters(small, _GAP)
            if n >= MIN_GLYPHS and box[2] - box[0] >= 24 and box[3] - box[1] >= 6
            and sum(_overlap(box, line) for line in lines) < COVERED * _area(box)]


def _clusters(boxes: list[Box], gap: float) -> list[tuple[Box, int]]:
    """Boxes within `gap` of each other, transitively, as (their union, how many)."""
    parent = list(range(len(boxes)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    cells: dict[tuple[int, int], list[int]] = {}
    for i, (x0, y0, x1, y1) in enumerate(boxes):
        for cx in range(int((x0 - gap) // _CELL), int((x1 + gap) // _CELL) + 1):
            for cy in range(int((y0 - gap) // _CELL), int((y1 + gap) // _CELL) + 1):
                here = cells.setdefault((cx, cy), [])
                for j in here:
                    b = boxes[j]
                    if b[0] - gap <= x1 and x0 - gap <= b[2] and b[1] - gap <= y1 and y0 - gap <= b[3]:
                        parent[root(i)] = root(j)
                here.append(i)
    groups: dict[int, list[Box]] = {}
    for i, box in enumerate(boxes):
        groups.setdefault(root(i), []).append(box)
    return [((min(b[0] for b in group), min(b[1] for b in group), max(b[2] for b in group),
              max(b[3] for b in group)), len(group)) for group in groups.values()]


def is_seal(rgb: Any) -> bool:
    """A picture (an RGB array) that is a red stamp: most of its ink red, and about square."""
    import numpy as np

    height, width = rgb.shape[:2]
    if not 0.7 <= width / max(height, 1) <= 1.4:
        return False
    r, g, b = (rgb[..., i].astype(np.int16) for i in range(3))
    ink = (r + g + b) < 600
    red = ink & (r > 140) & (r - g > 60) & (r - b > 60)
    return bool(ink.sum()) and red.sum() >= _RED * ink.sum()


_INK_UNDER_SEAL = 110  # red channel: darker than this under a seal's red is the black text under it
_SEAL_SIDE = 0.12  # a seal (42 mm on an A4 page's 210) spans this share of the page's width at least


def without_seals(image: Any) -> tuple[Any, int]:
    """A colour page in greyscale with its seals' red ink taken out, and how many seals.

    A seal is stamped over the 落款 (issuer and date): in grey its ink is as dark as the text
    under it and OCR reads neither. A seal is a red ring, about square and at least an eighth of
    the page wide (42 mm on A4's 210), that does not cross its own middle; inside it red ink
    goes white and the rest is taken from the red channel, where black text (JPEG's red fringes
    round it included) stays dark. Other red (a masthead's words, a table ruled in red) is
    smaller, not square or crosses its middle, and stays as ink."""
    import cv2
    import numpy as np
    from PIL import Image

    rgb = np.asarray(image.convert("RGB"))
    gray = np.array(image.convert("L"))
    r, g, b = (rgb[..., i].astype(np.int16) for i in range(3))
    red = ((r > 100) & (r - np.maximum(g, b) > 60)).astype(np.uint8)
    width = gray.shape[1]
    side = _SEAL_SIDE * width
    if red.sum() < side:  # not a seal's worth of red ink
        return Image.fromarray(gray), 0
    joined = cv2.dilate(red, np.ones((5, 5), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    seals = 0
    for label, (x, y, w, h, area) in enumerate(stats[1:n], 1):
        middle = labels[y + h // 4:y + 3 * h // 4, x + w // 4:x + 3 * w // 4] == label
        # a seal's outline is a ring (its star and words inside are apart from it); a table
        # ruled in red crosses its middle
        if min(w, h) >= side and 0.75 <= w / h <= 1.33 and middle.sum() < 0.05 * area:
            inside = rgb[y:y + h, x:x + w, 0]
            near = joined[y:y + h, x:x + w] > 0  # the seal's ink and its JPEG fringe
            gray[y:y + h, x:x + w] = np.where(near & (inside > _INK_UNDER_SEAL), 255, inside)
            seals += 1
    return Image.fromarray(gray), seals


def read_figures(page: PrintedPage, image: Any, boxes: list[Box], lines: list[Box], dpi: int,
                 engine: object) -> tuple[int, int]:
    """OCR each picture of `boxes` out of `image` (the page rendered in colour at `dpi`) and add
    its lines and tables to `page` where the picture is; (pictures that gave text, seals left
    out). The text layer's `lines` are blanked out of the rendering first: they are read
    already, and OCR would give them twice."""
    import numpy as np
    from PIL import Image

    from extract.ocr import ocr_image

    pixels = np.array(image.convert("RGB"))
    k = dpi / 72
    for x0, y0, x1, y1 in lines:
        pixels[max(int((page.height - y1 - 1) * k), 0):int((page.height - y0 + 1) * k) + 1,
               max(int((x0 - 1) * k), 0):int((x1 + 1) * k) + 1] = 255
    read = seals = 0
    for box in boxes:
        x0, y0, x1, y1 = box[0] - _PAD, box[1] - _PAD, box[2] + _PAD, box[3] + _PAD
        top, left = page.height - y1, x0
        crop = pixels[max(int(top * k), 0):int((page.height - y0) * k) + 1,
                      max(int(x0 * k), 0):int(x1 * k) + 1]
        if not crop.size:
            continue
        if is_seal(crop):
            seals += 1
            continue
        found = ocr_image(Image.fromarray(crop), scale=1 / k, engine=engine)
        read += place(page, found, left, top)
    return read, seals


def place(page: PrintedPage, found: PrintedPage, left: float, top: float) -> bool:
    """What OCR read in a picture (`found`, its own coordinates) added to `page` where the
    picture's top-left corner is; whether it held any text."""
    page.lines += [replace(s, x0=s.x0 + left, x1=s.x1 + left, top=s.top + top,
                           bottom=s.bottom + top) for s in found.lines]
    page.tables += [PlacedTable(t.top + top, t.bottom + top, t.grid, t.confidence,
                                [x + left for x in t.xs] if t.xs else None, t.copies) for t in found.tables]
    page.seals += found.seals
    return bool(found.lines or found.tables)


def is_picture_of_text(blob: bytes) -> Any:
    """A picture file (a DOCX's or a workbook's image part) as the image to OCR (in its colours:
    OCR takes a seal stamped over its text out), or None when it is an icon (under MIN_SIDE
    pixels a side) or a seal; raises when it cannot be opened."""

    from extract.ocr import load_image

    image = load_image(blob)
    return None if left_out(image) else image


def left_out(image: Any) -> str | None:
    """Why a picture (a PIL image) is not read for text: "icon" (under MIN_SIDE pixels a
    side: a logo, a bullet, a QR code) or "seal"; None when it is read."""
    import numpy as np

    if min(image.size) < MIN_SIDE:
        return "icon"
    from extract.ocr import on_white

    return "seal" if is_seal(np.asarray(on_white(image).convert("RGB"))) else None


def read_picture(blob: bytes, engine: Any = None) -> Any:
    """A picture file's paragraphs and ruled tables by OCR (an extract/layout.py Flow), or None
    for an icon or a seal; raises when it cannot be opened."""
    from extract.layout import reflow
    from extract.ocr import ocr_pages

    image = is_picture_of_text(blob)
    return None if image is None else reflow(ocr_pages(image, engine=engine))
