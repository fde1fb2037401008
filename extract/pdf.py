"""A PDF → printed pages (positioned lines and ruled tables) for extract/layout.py.

The text layer is read with pdfminer.six; tables drawn with ruling lines (what Word, WPS and
reportlab print) are rebuilt by extract/lattice.py, and rows of three or more separated pieces
of text outside them form unruled tables. A page without a text layer (a scan) is rendered
with pypdfium2 and read by OCR (extract/ocr.py).
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from extract.lattice import MAX_RULINGS, Lattice, inside, lattices
from extract.layout import Line, PlacedTable, PrintedPage, clean

MAX_PDF_PAGES = 300
_MIN_TEXT = 20  # characters: a page with less text than this and an image is a scan
OCR_DPI = 200


def _walk(obj: object) -> Iterator[object]:
    yield obj
    if hasattr(obj, "__iter__") and not isinstance(obj, str):
        for child in obj:  # type: ignore[union-attr]
            yield from _walk(child)


def read_pdf(body: bytes, ocr_engine: object | None = None) -> tuple[list[PrintedPage], list[str]]:
    """Every page as a PrintedPage (y down, in points); warnings say what was OCR'd."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTImage

    pages: list[PrintedPage] = []
    scanned: list[int] = []
    ruled = False
    for number, page in enumerate(extract_pages(io.BytesIO(body), laparams=LAParams(),
                                                maxpages=MAX_PDF_PAGES)):
        width, height = page.width, page.height
        found = _lattices(page)
        ruled = ruled or bool(found)
        lines = _text_lines(page, height)
        chars = sum(len(s.text) for s in lines)
        if chars < _MIN_TEXT and any(isinstance(o, LTImage) for o in _walk(page)):
            scanned.append(number)
            pages.append(PrintedPage(width, height))
            continue
        printed = PrintedPage(width, height)
        boxes = [lat.bbox for lat in found]
        for lat in found:
            grid = lat.grid()
            if grid:
                printed.tables.append(PlacedTable(height - lat.bbox[3], height - lat.bbox[1], grid,
                                                  xs=lat.xs))
        free = [s for s in lines if not any(
            inside((s.x0 + s.x1) / 2, height - (s.top + s.bottom) / 2, b) for b in boxes)]
        printed.lines, unruled = _unruled_tables(free)
        printed.tables += unruled
        pages.append(printed)
    warnings = ["pdf tables rebuilt from ruling lines" if ruled
                else "pdf tables rebuilt from text positions"]
    if scanned:
        from extract.ocr import ocr_image, render_pdf_pages

        images = render_pdf_pages(body, scanned, OCR_DPI)
        for number, image in zip(scanned, images, strict=True):
            page = pages[number]
            read = ocr_image(image, scale=72 / OCR_DPI, engine=ocr_engine)
            page.lines, page.tables = read.lines, read.tables
        warnings.append(f"ocr: {len(scanned)} of {len(pages)} pdf pages have no text layer and "
                        "were read by OCR")
    return pages, warnings


def _text_lines(page: object, height: float) -> list[Line]:
    from pdfminer.layout import LTChar, LTTextLine

    out = []
    for obj in _walk(page):
        if isinstance(obj, LTTextLine):
            text = clean(obj.get_text())
            if not text:
                continue
            sizes = sorted(c.size for c in obj if isinstance(c, LTChar) and c.get_text().strip())
            size = sizes[len(sizes) // 2] if sizes else obj.height
            out.append(Line(obj.x0, height - obj.y1, obj.x1, height - obj.y0, text, size))
    return out


def _unruled_tables(lines: list[Line]) -> tuple[list[Line], list[PlacedTable]]:
    """Rows of three or more separate pieces of text (a table printed without rules)."""
    rows: list[list[Line]] = []
    for line in sorted(lines, key=lambda s: (s.top, s.x0)):
        mid = (line.top + line.bottom) / 2
        if rows and rows[-1][0].top - 1 <= mid <= rows[-1][0].bottom + 1:
            rows[-1].append(line)
        else:
            rows.append([line])
    kept: list[Line] = []
    tables: list[PlacedTable] = []
    run: list[list[Line]] = []

    def flush() -> None:
        if run:
            width = max(len(r) for r in run)
            grid = [[""] * (width - len(r)) + [s.text for s in sorted(r, key=lambda s: s.x0)]
                    for r in run]
            tables.append(PlacedTable(run[0][0].top, run[-1][0].bottom, grid))
            run.clear()

    for row in rows:
        if len(row) >= 3:
            run.append(row)
        else:
            flush()
            kept.extend(row)
    flush()
    return kept, tables


def _lattices(page: object) -> list[Lattice]:
    """Ruled tables of a page from its drawn lines and rectangles, with their characters."""
    from pdfminer.layout import LTChar, LTCurve

    vertical: list[tuple[float, float, float]] = []
    horizontal: list[tuple[float, float, float]] = []
    for obj in _walk(page):
        if not isinstance(obj, LTCurve):  # LTLine and LTRect are LTCurves
            continue
        x0, y0, x1, y1 = obj.bbox
        if x1 - x0 <= 2 and y1 - y0 > 2:
            vertical.append(((x0 + x1) / 2, y0, y1))
        elif y1 - y0 <= 2 and x1 - x0 > 2:
            horizontal.append(((y0 + y1) / 2, x0, x1))
        elif x1 - x0 > 2 and y1 - y0 > 2 and obj.__class__.__name__ == "LTRect":
            vertical += [(x0, y0, y1), (x1, y0, y1)]
            horizontal += [(y0, x0, x1), (y1, x0, x1)]
        if len(vertical) + len(horizontal) > MAX_RULINGS:
            return []
    if not vertical or not horizontal:
        return []
    found = lattices(vertical, horizontal)
    for obj in _walk(page):
        if isinstance(obj, LTChar) and obj.get_text().strip():
            cx, cy = (obj.x0 + obj.x1) / 2, (obj.y0 + obj.y1) / 2
            for lat in found:
                if inside(cx, cy, lat.bbox, 0):
                    lat.pieces.append((cx, cy, obj.get_text(), None))
                    break
    return found
