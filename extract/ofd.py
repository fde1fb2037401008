"""An OFD (开放版式文档, GB/T 33190, China's fixed-layout format, what 数科 and 福昕 OFD
readers and the national e-government systems write) → printed pages for extract/layout.py, as a
PDF is read (extract/pdf.py).

An OFD is a zip of XML: `OFD.xml` names the document's `Document.xml`, which lists its pages
(and template pages, printed under them: running heads and page numbers) and its resources.
A page's text objects carry Unicode text with each glyph's position (`TextCode` X, Y and the
`DeltaX` advances, in millimetres, y down, inside the object's `Boundary` and under its `CTM`),
so no font is needed to read it; path objects draw the table rulings; image objects place
pictures. Rulings become tables as a PDF's do (extract/lattice.py). A page with hardly any
visible text and a picture covering it (a scan), or whose text is hidden under a picture (a
searchable scan), is read by OCR from the picture.
"""

from __future__ import annotations

import io
import math
import posixpath
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from extract.figures import SEAL, figures, place
from extract.layout import PrintedPage
from extract.printing import (
    MIN_TEXT,
    SCAN_COVER,
    covered,
    fill_tables,
    glyph_lines,
    page_numbers,
    place_lines,
    ruled_tables,
    text_tables,
    white,
)

MM = 72 / 25.4  # points a millimetre
MAX_OFD_PAGES = 300  # pages read of one document; the rest are named in a warning
_RULE = 2.0  # points: a path this thin across is a ruling
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_PATH_TOKEN = re.compile(r"[MLQBACSZmlqbacsz]|" + _NUMBER.pattern)


@dataclass
class _Page:
    """What one OFD page prints, in points, y up (as pdfminer gives a PDF page)."""

    width: float
    height: float
    glyphs: list[tuple[str, bool, tuple[float, float, float, float], float]] = field(default_factory=list)
    hidden: int = 0  # glyphs not shown (Visible="false", or neither filled nor stroked)
    vertical: list[tuple[float, float, float]] = field(default_factory=list)
    horizontal: list[tuple[float, float, float]] = field(default_factory=list)
    images: list[tuple[tuple[float, float, float, float], str]] = field(default_factory=list)


def read_ofd(body: bytes, ocr_engine: object | None = None) -> tuple[list[PrintedPage], list[str]]:
    """Every page as a PrintedPage (y down, in points); warnings say what was OCR'd or left."""
    package = zipfile.ZipFile(io.BytesIO(body))
    pages, scanned, searchable, warnings = [], [], [], []
    pictured: dict[int, list] = {}  # page → pictures among its text (a table pasted as one)
    placed: list[int] = []  # pages read from their text objects
    parsed = list(_pages(package))
    if len(parsed) > MAX_OFD_PAGES:
        warnings.append(f"ofd: only the first {MAX_OFD_PAGES} of its {len(parsed)} pages read "
                        f"(pages {MAX_OFD_PAGES + 1}–{len(parsed)} left out)")
        parsed = parsed[:MAX_OFD_PAGES]
    for number, page in enumerate(parsed):
        lines, pieces = glyph_lines(page.glyphs, page.height)
        printed = PrintedPage(page.width, page.height,
                              layer="".join(g[0] for g in page.glyphs if g[0].strip()))
        pages.append(printed)
        visible = sum(1 for g in page.glyphs if g[0].strip())
        cover = covered([box for box, _ in page.images], (0, 0, page.width, page.height))
        if page.images and cover >= SCAN_COVER and (visible < MIN_TEXT or page.hidden > visible):
            (searchable if page.hidden > visible else scanned).append(number)
            continue
        found = ruled_tables(page.vertical, page.horizontal, (0, 0, page.width, page.height),
                             glyphs=[g[2] for g in page.glyphs if not g[1]])
        for lat in found:
            lat.run_on(pieces)
        fill_tables(found, pieces)
        place_lines(printed, found, lines)
        placed.append(number)
        if page.images:
            text = [(s.x0, page.height - s.bottom, s.x1, page.height - s.top) for s in lines]
            shown = figures([box for box, _ in page.images], text, (0, 0, page.width, page.height))
            inner = [(box, path) for box, path in page.images if any(_within(box, b) for b in shown)]
            if inner:
                pictured[number] = inner
    text_tables(pages, placed)
    if pictured:
        warnings += _read_pictures(package, pictured, pages, ocr_engine)
    if scanned or searchable:
        warnings += _read_scans(package, parsed, pages, scanned, searchable, ocr_engine)
        if scanned:
            warnings.append(f"ocr: {len(scanned)} of {len(pages)} ofd pages are pictures with no "
                            f"text and were read by OCR (pages {page_numbers(scanned)})")
        if searchable:
            warnings.append(f"ocr: {len(searchable)} of {len(pages)} ofd pages are scans with "
                            f"another program's OCR text hidden under them (pages "
                            f"{page_numbers(searchable)}); read by OCR from the picture, the hidden "
                            "text left out")
    sealed = [number for number, page in enumerate(pages) if page.seals]
    if sealed:  # stamped on a scanned page or on a picture among the text, and taken out
        warnings.append(f"ofd: {SEAL} (pages {page_numbers(sealed)})")
    return pages, ["ofd tables rebuilt from ruling lines", *warnings]


def _within(inner: tuple, outer: tuple) -> bool:
    return inner[0] >= outer[0] - 1 and inner[1] >= outer[1] - 1 and inner[2] <= outer[2] + 1 \
        and inner[3] <= outer[3] + 1


def _read_scans(package: zipfile.ZipFile, parsed: list[_Page], pages: list[PrintedPage],
                scanned: list[int], searchable: list[int], ocr_engine: object | None) -> list[str]:
    """The largest picture of each scanned page read by OCR in the place of that page's text."""
    from extract.ocr import LazyEngine

    engine = LazyEngine.of(ocr_engine)
    unread = []
    for number in sorted(scanned + searchable):
        page = parsed[number]
        pages[number].lines, pages[number].tables, pages[number].layer = [], [], ""
        box, path = max(page.images, key=lambda item: _area(item[0]))
        if _ocr_into(pages[number], package, box, path, engine) is None:
            unread.append(number)
    if not unread:
        return []
    return [f"ofd: the pictures of {len(unread)} scanned pages unreadable (pages {page_numbers(unread)})"]


def _read_pictures(package: zipfile.ZipFile, pictured: dict[int, list], pages: list[PrintedPage],
                   ocr_engine: object | None) -> list[str]:
    """Pictures among pages' text (not icons, seals or backgrounds) read by OCR where they are."""
    from extract.ocr import LazyEngine
    engine = LazyEngine.of(ocr_engine)
    read, unread = set(), 0
    for number, pictures in sorted(pictured.items()):
        for box, path in pictures:
            found = _ocr_into(pages[number], package, box, path, engine, skip_seals=True)
            if found is None:
                unread += 1
            elif found:
                read.add(number)
    warnings = []
    if read:
        warnings.append(f"ocr: text in pictures among the text of {len(read)} of {len(pages)} ofd "
                        f"pages read by OCR (pages {page_numbers(sorted(read))})")
    if unread:
        warnings.append(f"ofd: {unread} picture{'s' if unread > 1 else ''} unreadable "
                        "(content kept outside the text)")
    return warnings


def _ocr_into(printed: PrintedPage, package: zipfile.ZipFile, box: tuple, path: str,
              engine: object, skip_seals: bool = False) -> bool | None:
    """One picture (placed at `box`, points, y up) read by OCR onto `printed`, where it is:
    whether it gave text; None when it cannot be opened."""
    from extract.figures import left_out
    from extract.ocr import load_image, ocr_image

    x0, _y0, x1, y1 = box
    try:
        image = load_image(package.read(path))
    except Exception:  # noqa: BLE001 - a picture we cannot open loses itself, said by the caller
        return None
    if skip_seals and left_out(image):
        return False
    read = ocr_image(image, scale=(x1 - x0) / image.width, engine=engine)
    return place(printed, read, x0, printed.height - y1)


def _area(box: tuple[float, float, float, float]) -> float:
    return max(box[2] - box[0], 0) * max(box[3] - box[1], 0)


# -- the package ---------------------------------------------------------------------------

def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _child(element: etree._Element, name: str) -> etree._Element | None:
    return next((c for c in element if isinstance(c.tag, str) and _local(c) == name), None)


def _descendants(element: etree._Element, name: str) -> Iterator[etree._Element]:
    return (e for e in element.iter() if isinstance(e.tag, str) and _local(e) == name)


def _xml(package: zipfile.ZipFile, path: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(package.read(path), parser)


def _resolve(base: str, location: str) -> str:
    """A BaseLoc or file name, relative to the folder of the part naming it (or absolute)."""
    location = location.strip().replace("\\", "/")
    if location.startswith("/"):
        return location.lstrip("/")
    return posixpath.normpath(posixpath.join(base, location))


def _numbers_of(text: str | None) -> list[float]:
    return [float(n) for n in _NUMBER.findall(text or "")]


def _pages(package: zipfile.ZipFile) -> Iterator[_Page]:
    """Each page of the package's first document, its template pages' objects first."""
    root = _xml(package, "OFD.xml")
    doc_root = next(_descendants(root, "DocRoot"), None)
    if doc_root is None or not (doc_root.text or "").strip():
        raise ValueError("OFD.xml names no document (DocRoot)")
    doc_path = _resolve("", doc_root.text)
    folder = posixpath.dirname(doc_path)
    document = _xml(package, doc_path)
    common = _child(document, "CommonData")
    default_box = _box(common)
    media = _media(package, folder, common)
    templates = {t.get("ID"): _resolve(folder, t.get("BaseLoc", ""))
                 for t in _descendants(document, "TemplatePage") if t.get("BaseLoc")}
    pages = _child(document, "Pages")
    for entry in ([] if pages is None else [e for e in pages if isinstance(e.tag, str)]):
        content = _xml(package, _resolve(folder, entry.get("BaseLoc", "")))
        box = _box(content) or default_box or [0.0, 0.0, 210.0, 297.0]
        page = _Page(box[2] * MM, box[3] * MM)
        for template in _descendants(content, "Template"):
            path = templates.get(template.get("TemplateID"))
            if path and path in package.NameToInfo:
                _objects(_xml(package, path), page, media)
        _objects(content, page, media)
        yield page


def _box(element: etree._Element | None) -> list[float] | None:
    """The page's PhysicalBox (x y width height, millimetres)."""
    if element is None:
        return None
    area = next(_descendants(element, "PhysicalBox"), None)
    numbers = _numbers_of(None if area is None else area.text)
    return numbers if len(numbers) == 4 and numbers[2] > 0 and numbers[3] > 0 else None


def _media(package: zipfile.ZipFile, folder: str, common: etree._Element | None) -> dict[str, str]:
    """Picture resource ids → their files in the package."""
    out: dict[str, str] = {}
    if common is None:
        return out
    for name in ("DocumentRes", "PublicRes"):
        for reference in _descendants(common, name):
            path = _resolve(folder, reference.text or "")
            if path not in package.NameToInfo:
                continue
            resources = _xml(package, path)
            base = _resolve(posixpath.dirname(path), resources.get("BaseLoc", ""))
            for item in _descendants(resources, "MultiMedia"):
                media_file = _child(item, "MediaFile")
                if item.get("ID") and media_file is not None and media_file.text:
                    out[item.get("ID")] = _resolve(base, media_file.text)
    return out


# -- the objects of a page ------------------------------------------------------------------

def _matrix(element: etree._Element) -> tuple[float, ...]:
    """The object's CTM (a b c d e f) inside its boundary; the identity when it has none."""
    numbers = _numbers_of(element.get("CTM"))
    return tuple(numbers) if len(numbers) == 6 else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _apply(m: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _objects(root: etree._Element, page: _Page, media: dict[str, str]) -> None:
    """Every text, path and image object under `root` (layers and page blocks alike)."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = _local(element)
        if name not in ("TextObject", "PathObject", "ImageObject"):
            continue
        bounds = _numbers_of(element.get("Boundary"))
        if len(bounds) != 4:
            continue
        if name == "TextObject":
            _text(element, bounds, page)
        elif name == "PathObject":
            if element.get("Visible", "true") != "false" and _inked(element):
                _path(element, bounds, page)
        elif element.get("ResourceID") in media and element.get("Visible", "true") != "false":
            x, y, w, h = bounds
            page.images.append(((x * MM, page.height - (y + h) * MM, (x + w) * MM, page.height - y * MM),
                                media[element.get("ResourceID")]))


def _advances(text: str | None) -> list[float]:
    """DeltaX/DeltaY: numbers, and `g N D` for N advances of D."""
    tokens = (text or "").split()
    out: list[float] = []
    i = 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            try:
                out += [float(tokens[i + 2])] * min(int(float(tokens[i + 1])), 10_000)
            except ValueError:
                pass
            i += 3
            continue
        try:
            out.append(float(tokens[i]))
        except ValueError:
            pass
        i += 1
    return out


def _text(element: etree._Element, bounds: list[float], page: _Page) -> None:
    """Each glyph of a text object, as (char, False, box y up in points, size in points)."""
    x0, y0 = bounds[0], bounds[1]
    m = _matrix(element)
    scale = math.sqrt(abs(m[0] * m[3] - m[1] * m[2])) or 1.0
    size = float((_numbers_of(element.get("Size")) or [3.5])[0])
    shown = element.get("Visible", "true") != "false" and not (
        element.get("Fill", "true") == "false" and element.get("Stroke", "false") != "true")
    x = y = 0.0
    for code in _descendants(element, "TextCode"):
        text = code.text or ""
        x = float(code.get("X", x))
        y = float(code.get("Y", y))
        dx, dy = _advances(code.get("DeltaX")), _advances(code.get("DeltaY"))
        for i, char in enumerate(text):
            gx, gy = _apply(m, x, y)
            advance = dx[i] if i < len(dx) else size
            px, py, em = (x0 + gx) * MM, (y0 + gy) * MM, size * scale * MM
            # as wide as its advance, but no wider than the glyph itself: a cell's text ending
            # where the next cell's begins leaves a gap (extract/stream.py splits cells there)
            wide = em if unicodedata.east_asian_width(char) in "WF" else 0.6 * em
            box = (px, page.height - (py + 0.15 * em), px + min(max(advance * scale * MM, 0.5 * em), wide),
                   page.height - (py - 0.85 * em))
            if char.strip():
                page.glyphs.append((char, False, box, em))
                page.hidden += not shown
            if i < len(text) - 1:
                x += dx[i] if i < len(dx) else size
                y += dy[i] if i < len(dy) else 0.0
        x += dx[len(text) - 1] if 0 < len(text) <= len(dx) else size


def _inked(element: etree._Element) -> bool:
    """Whether a path object shows on white paper (GB/T 33190: stroked unless Stroke="false",
    in black unless a StrokeColor says otherwise; filled only when Fill="true", in its
    FillColor). A converter that keeps Word's white paragraph and cell boxes as paths would
    otherwise turn a page of prose into a one-column table, as in PDF (extract/pdf.py drawn)."""
    if element.get("Alpha", "255").strip() in ("0", "0.0"):
        return False
    stroked = element.get("Stroke", "true") != "false" and not _white_ofd(_child(element, "StrokeColor"))
    filled = element.get("Fill", "false") == "true" and not _white_ofd(_child(element, "FillColor"), True)
    return stroked or filled


def _white_ofd(colour: etree._Element | None, unset: bool = False) -> bool:
    """An OFD colour (CT_Color: Value in 0..255 per component, hexadecimal when written #FF;
    one, three or four components for grey, RGB, CMYK) printing as white; `unset`, what a
    missing colour means (stroke: black; fill: no paint at all). Shadings and patterns are ink."""
    if colour is None:
        return unset
    if colour.get("Alpha", "255").strip() in ("0", "0.0"):
        return True
    values = []
    for token in (colour.get("Value") or "").split():
        try:
            values.append((int(token[1:], 16) if token.startswith("#") else float(token)) / 255)
        except ValueError:
            return False
    return white(tuple(values)) if values else False


def _path(element: etree._Element, bounds: list[float], page: _Page) -> None:
    """The straight, axis-aligned pieces of a path as rulings (a thin filled box is one too)."""
    data = _child(element, "AbbreviatedData")
    if data is None or not data.text:
        return
    x0, y0 = bounds[0], bounds[1]
    m = _matrix(element)
    points: list[list[tuple[float, float]]] = []
    tokens = _PATH_TOKEN.findall(data.text)
    i, op, current = 0, "", (0.0, 0.0)
    while i < len(tokens):
        if tokens[i].isalpha():
            op = tokens[i].upper()
            i += 1
            if op == "Z" and points and points[-1]:
                points[-1].append(points[-1][0])
            continue
        arity = {"M": 2, "L": 2, "Q": 4, "B": 6, "A": 7}.get(op, 0)
        if not arity or i + arity > len(tokens):
            break
        values = [float(t) for t in tokens[i:i + arity]]
        i += arity
        current = (values[-2], values[-1])
        gx, gy = _apply(m, *current)
        point = ((x0 + gx) * MM, page.height - (y0 + gy) * MM)
        if op == "M" or not points:
            points.append([point])
        elif op == "L":
            points[-1].append(point)
        else:
            points.append([point])  # a curve ends the straight run
    for run in points:
        for (ax, ay), (bx, by) in zip(run, run[1:], strict=False):
            if abs(ax - bx) <= 0.5 and abs(ay - by) > _RULE:
                page.vertical.append(((ax + bx) / 2, min(ay, by), max(ay, by)))
            elif abs(ay - by) <= 0.5 and abs(ax - bx) > _RULE:
                page.horizontal.append(((ay + by) / 2, min(ax, bx), max(ax, bx)))
