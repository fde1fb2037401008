"""Printed pages from what a fixed-layout document places on them, for the PDF and OFD readers
alike (extract/pdf.py, extract/ofd.py): glyphs in runs → lines, ruling segments → ruled tables
(extract/lattice.py) with their characters filled in, the lines outside them → text or unruled
tables, all placed on a PrintedPage for extract/layout.py. Coordinates: points, y up, as
pdfminer gives a PDF page (lines y down)."""

from __future__ import annotations

import bisect
import statistics

from extract.landscape import upright
from extract.lattice import MAX_RULINGS, Lattice, Piece, inside, lattices
from extract.layout import Line, PlacedTable, PrintedPage, body_top, clean
from extract.stream import line_rows, stream_tables

MIN_TEXT = 20  # characters: a page with less text than this and a picture over it is a scan
SCAN_COVER = 0.5  # share of the page a picture covers to be a scan
_BOXED = 36.0  # points: a ruled box no larger on either side is a glyph's stroke or a check box
_NO_INK = 0.03  # a colour component this close to paper white prints nothing on it
_MEETS = 0.75  # points: a rule's end this close to another rule's line meets it (a stroke's width)


def covered(images: list[tuple[float, float, float, float]], page: tuple) -> float:
    """The share of the page (x0, y0, x1, y1) the largest of `images` covers (a scan covers
    nearly all of it); each picture counts only where it is on the page."""
    x0, y0, x1, y1 = page
    area = max((x1 - x0) * (y1 - y0), 1e-9)
    return max(((min(b[2], x1) - max(b[0], x0)) * (min(b[3], y1) - max(b[1], y0))
                for b in images if b[2] > x0 and b[0] < x1 and b[3] > y0 and b[1] < y1),
               default=0.0) / area


def white(colour: object) -> bool:
    """Whether a colour prints as white on white paper: a grey level, RGB or CMYK components in
    0..1 (as pdfminer gives them; OFD's 0..255 scaled by its reader). A pattern's name or None,
    which cannot tell, is taken as ink: a ruling wrongly kept costs less than one lost."""
    if isinstance(colour, int | float):
        values = [float(colour)]
    elif isinstance(colour, tuple | list) and all(isinstance(v, int | float) for v in colour):
        values = [float(v) for v in colour]
    else:
        return False
    if len(values) == 4:  # CMYK: white is no ink
        return max(values) <= _NO_INK
    return bool(values) and min(values) >= 1 - _NO_INK


def page_numbers(pages: list[int]) -> str:
    """1-based page numbers for a warning."""
    return ", ".join(str(n + 1) for n in pages)


def glyph_lines(glyphs: list, height: float) -> tuple[list[Line], list[Piece]]:
    """Glyphs (char, generated, box y up, size) in reading order → lines (y down) and each
    glyph's centre; a line breaks at a generated line break, a gap wider than a glyph or a
    jump in height (cells printed without rules stay separate pieces)."""
    lines: list[Line] = []
    pieces: list[Piece] = []
    run: list = []

    def flush() -> None:
        text = clean("".join(g[0] for g in run))
        if text:
            boxes = [g[2] for g in run]
            lines.append(Line(min(b[0] for b in boxes), height - max(b[3] for b in boxes),
                              max(b[2] for b in boxes), height - min(b[1] for b in boxes),
                              text, statistics.median_high(g[3] for g in run),
                              glyphs=tuple((g[2][0], g[2][2], g[0]) for g in run if g[0].strip())))
        run.clear()

    for char, generated, box, size in glyphs:
        if generated:
            if char in "\r\n":
                flush()
            continue
        if run:
            last_box, last_size = run[-1][2], run[-1][3]
            middle, last_middle = (box[1] + box[3]) / 2, (last_box[1] + last_box[3]) / 2
            if (box[0] - last_box[2] > max(size, last_size)
                    or abs(middle - last_middle) > 0.6 * max(size, last_size)):
                flush()
        run.append((char, generated, box, size))
        if char.strip():
            pieces.append(((box[0] + box[2]) / 2, (box[1] + box[3]) / 2, char, None))
    flush()
    return lines, pieces


def ruled_tables(vertical: list[tuple[float, float, float]],
                 horizontal: list[tuple[float, float, float]],
                 page: tuple[float, float, float, float] | None = None,
                 cut: set[float] | None = None,
                 glyphs: list[tuple[float, float, float, float]] | None = None) -> list[Lattice]:
    """The tables a page's ruling segments (y up, points) draw; none from more rulings than a
    report prints, a box the size of a glyph is none, and a frame with no rule between columns
    is none (a web page's table printed with only its outer border, a boxed paragraph): its
    text stays lines, and a table inside it is read from where its text sits (PDF and OFD
    pages alike). Rules past the `page` box's top or foot (x0, y0, x1, y1) are cut there
    (showing); `cut`: where clips the rules were drawn in cut them already. `glyphs`: the
    page's glyph boxes, so that a line drawn under or through text is not taken for a rule
    (`decorations`)."""
    cut = set(cut or ())
    if glyphs and horizontal:
        drawn_with_text = decorations(horizontal, vertical, glyphs)
        horizontal = [h for k, h in enumerate(horizontal) if k not in drawn_with_text]
    if page is not None:
        vertical, horizontal, edges = showing(vertical, horizontal, page)
        cut |= edges
    if not vertical or not horizontal or len(vertical) + len(horizontal) > MAX_RULINGS:
        return []
    found = [lat for lat in lattices(vertical, horizontal)
             if (lat.bbox[2] - lat.bbox[0] > _BOXED or lat.bbox[3] - lat.bbox[1] > _BOXED) and len(lat.xs) > 2]
    for lat in found:
        lat.clipped = sorted(cut)
    return found


def decorations(horizontal: list[tuple[float, float, float]], vertical: list[tuple[float, float, float]],
                glyphs: list[tuple[float, float, float, float]], tolerance: float = 1.5) -> set[int]:
    """Indices of the horizontal segments drawn with text: an underline or a line struck
    through, which a page printed from HTML or Word draws under every underlined word (a
    link, a portal's styled page). Such a line starts at one glyph's left edge and ends at
    another's right, under (or through) one line of glyphs that fill it, each no further from
    the next than a glyph's height, and at one end at least it meets nothing: no rule crosses
    it there and no other segment goes on from it. Taken for a rule, an underlined word in a
    narrow cell, touching its cell's side, cut the cell's row into one row per line of text.
    A table's rule meets a rule or goes on at both ends, even under a cell whose text fills
    it from side to side (Chromium draws each cell's borders apart)."""
    if not glyphs:
        return set()
    boxes = sorted(glyphs, key=lambda b: b[1])
    bottoms = [b[1] for b in boxes]
    tallest = min(max(b[3] - b[1] for b in boxes), 72.0)

    def closed(k: int, end: float, left: bool) -> bool:
        """A rule crosses the segment's end, or another goes on from it: within a stroke's
        width, not the usual tolerance (an underlined word a point from its cell's sides,
        its cell padded 1 px, is no rule)."""
        y = horizontal[k][0]
        return any(abs(x - end) <= _MEETS and y0 - tolerance <= y <= y1 + tolerance for x, y0, y1 in vertical) \
            or any(j != k and abs(other_y - y) <= tolerance and abs((right if left else start) - end) <= _MEETS
                   for j, (other_y, start, right) in enumerate(horizontal))

    found: set[int] = set()
    for k, (y, a, b) in enumerate(horizontal):
        lo = bisect.bisect_left(bottoms, y - 0.6 * tallest)
        hi = bisect.bisect_right(bottoms, y + 0.4 * tallest)
        over = [g for g in boxes[lo:hi] if a <= (g[0] + g[2]) / 2 <= b
                and g[1] - 0.35 * (g[3] - g[1]) <= y <= g[1] + 0.6 * (g[3] - g[1])]
        if not over:
            continue
        size = statistics.median(g[3] - g[1] for g in over)
        if size <= 0 or max(g[1] for g in over) > min(g[3] for g in over) - 0.5 * size:
            continue  # not one line of text (its glyphs stand side by side; fonts differ in descent)
        over.sort()
        edge = max(1.0, 0.15 * size)
        if abs(over[0][0] - a) > edge or abs(over[-1][2] - b) > edge:
            continue  # runs past its text: a rule
        if any(nxt[0] - cur[2] > size for cur, nxt in zip(over, over[1:], strict=False)):
            continue  # text here and there along it
        if not (closed(k, a, True) and closed(k, b, False)):
            found.add(k)
    return found


def showing(vertical: list[tuple[float, float, float]], horizontal: list[tuple[float, float, float]],
            box: tuple[float, float, float, float]) -> tuple[list, list, set[float]]:
    """The ruling segments as far as they show between the top and foot of the page, or of the
    clip they are drawn in, and where the box cut a rule: a browser (wkhtmltopdf) draws a
    table broken across pages whole on each page and lets the page's margins cut it, its rows
    of the page before above and of the next below. Kept, those rows' rules closed the table
    where the page shows it open, and the cut cells' text fell out of it. Past the sides
    nothing is cut: a table wider than the paper has no rest on another page, and its columns
    there are read (their text is in the file)."""
    low, high = box[1], box[3]
    shown: list[tuple[float, float, float]] = []
    edges: set[float] = set()
    for x, a, b in vertical:
        foot, top = max(a, low), min(b, high)
        if top - foot > 1:
            shown.append((x, foot, top))
            edges.update(y for y, drawn in ((foot, a), (top, b)) if y != drawn)
    return shown, [h for h in horizontal if low - 1 <= h[0] <= high + 1], edges


def fill_tables(found: list[Lattice], chars: list[Piece]) -> None:
    """Each character into the ruled table it is printed in."""
    if not found:
        return
    for piece in chars:
        for lat in found:
            if inside(piece[0], piece[1], lat.bbox, 0):
                lat.pieces.append(piece)
                break
    for lat in found:
        lat.drop_thin_rows()


def place_lines(printed: PrintedPage, found: list[Lattice], lines: list[Line]) -> None:
    """A page's ruled tables, and its other lines (text, or tables printed without rules that
    text_tables reads once every page is placed)."""
    height = printed.height
    boxes = [lat.bbox for lat in found]
    for lat in found:
        shown = upright(lat, printed.width, height)  # a table printed turned, as read
        grid = shown.grid()
        if grid:
            printed.tables.append(PlacedTable(height - lat.bbox[3], height - lat.bbox[1], grid,
                                              xs=shown.xs, copies=shown.copies(), cut=shown.cut()))
    free = [s for s in lines if not any(
        inside((s.x0 + s.x1) / 2, height - (s.top + s.bottom) / 2, b) for b in boxes)]
    printed.lines = free


def text_tables(pages: list[PrintedPage], numbers: list[int]) -> None:
    """The tables printed without rules on the pages of `numbers` (their lines placed by
    place_lines), read from where their text sits (extract/stream.py); a table the page
    before ends inside goes on in its columns, a head that ends a page goes over its rows on
    the next. What is no table stays lines."""
    carried: list[Line] = []
    alone: PlacedTable | None = None
    last, ended = -1, None  # the page before, and the columns of the table it ended inside

    def put_back() -> None:
        """No table on the next page took the carried lines: they stay where they were, as
        the table they make alone or as text."""
        if alone is not None:
            pages[last].tables.append(alone)
        else:
            pages[last].lines += carried

    top = body_top(pages)
    for n in sorted(numbers):
        page = pages[n]
        turned = [s for s in page.lines if s.turn]  # a column of vertical writing is no cell
        follows = n - 1 == last
        streamed = stream_tables([s for s in page.lines if not s.turn], page.height,
                                 carried if follows else None, ended if follows else None, top)
        if carried and not streamed.carried:
            put_back()
        carried, alone, last = streamed.head, streamed.alone, n
        ended = streamed.columns if streamed.open_end else None
        page.lines, unruled = unruled_tables(streamed.lines)
        page.lines += turned
        page.tables += streamed.tables + unruled
    if carried:
        put_back()


def unruled_tables(lines: list[Line]) -> tuple[list[Line], list[PlacedTable]]:
    """Rows of three or more separate pieces of text (a table printed without rules)."""
    rows = line_rows(lines)
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
