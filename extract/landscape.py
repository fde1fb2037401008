"""Ruled tables printed landscape on a portrait page (issue 14): a wide table (table 三, 四)
drawn turned a quarter turn, rules and text alike, with no /Rotate to say so. Its ruling
lines are still upright in the page's space, so the grid found there has the table's rows as
its columns, mirrored, and every cell's text in another slot. A reader turns the page; here
the table is turned back before its grid is read.

The turn is decided by the table itself: the reading direction of the glyphs printed inside
its ruling, when nearly all of them read the same way other than across the page. A table
with a few turned head cells (most of its glyphs, its figures, upright) stays as it is; so does
a page whose words alone are turned.
"""

from __future__ import annotations

from collections import Counter

from extract.lattice import Lattice, Piece, Segment, inside, lattices
from extract.turned import Glyph

_SHARE = 0.9  # of the glyphs inside a table: this many reading one other way turn it
_FEWEST = 4  # glyphs: fewer say nothing about how the table is printed


def table_turn(lat: Lattice, turned: list[Glyph], upright: list[Piece]) -> int:
    """How the table is printed, in quarter turns counter-clockwise (extract/turned.py's
    Glyph.turn): the direction nearly all glyphs inside it read along, else 0. `turned`: the
    page's glyphs read along another direction; `upright`: its other glyphs (centres, y up)."""
    counts: Counter[int] = Counter()
    for glyph in turned:
        x0, y0, x1, y1 = glyph.box
        if inside((x0 + x1) / 2, (y0 + y1) / 2, lat.bbox, 0):
            counts[glyph.turn] += len(glyph.text)
    counts[0] += sum(len(p[2]) for p in upright if inside(p[0], p[1], lat.bbox, 0))
    total = sum(counts.values())
    turn, most = max(counts.items(), key=lambda kv: kv[1], default=(0, 0))
    return turn if turn and total >= _FEWEST and most >= _SHARE * total else 0


def _turner(turn: int, width: float, height: float):  # noqa: ANN202
    """A point of the page (y up) on the page as a reader holds it turned to read the table
    upright: clockwise for a table reading up the page (turn 1), counter-clockwise for one
    reading down (3), upside down for 2. The turned page keeps the origin at its lower left."""
    def point(x: float, y: float) -> tuple[float, float]:
        return ((x, y), (y, width - x), (width - x, height - y), (height - y, x))[turn % 4]

    return point


def upright(lat: Lattice, width: float, height: float) -> Lattice:
    """The table as the reader sees it with the page turned (its `turn`): ruling lines and
    pieces of text turned with it, so rows are rows and each cell holds its own text. A table
    printed upright is returned as it is."""
    if not lat.turn:
        return lat
    point = _turner(lat.turn, width, height)
    vertical: list[Segment] = []
    horizontal: list[Segment] = []
    for segments, along_y in ((lat.vertical, True), (lat.horizontal, False)):
        for at, a, b in segments:
            (x0, y0), (x1, y1) = (point(at, a), point(at, b)) if along_y else (point(a, at), point(b, at))
            if abs(x1 - x0) < abs(y1 - y0):
                vertical.append(((x0 + x1) / 2, min(y0, y1), max(y0, y1)))
            else:
                horizontal.append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    found = lattices(vertical, horizontal, lat.tolerance)
    if len(found) != 1:  # the same rules turned are one table still; else keep what was found
        return lat
    shown = found[0]
    shown.line_gap = lat.line_gap
    shown.pieces = [(*point(x, y), text, conf) for x, y, text, conf in lat.pieces]
    return shown
