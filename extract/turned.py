"""Text a reader turns the page, or the head, to read: glyphs set sideways (a table's column
heads printed up a narrow column, a label merged down the left of a table), upside down, and
CJK vertical writing (upright glyphs in columns read top to bottom, right to left).

A PDF reader's layout builds lines left to right across the page: such text came out one
glyph a line, the glyphs of text running up the page in reverse. Here glyphs are grouped into
lines along their own reading direction, lines into blocks (the lines of one cell or one
paragraph), and each block becomes one line of the page and one piece of a ruled table's cell,
read in the order its direction gives. The direction comes from the glyph's text matrix (or
the font's vertical writing mode); only upright glyphs stacked in a column with no line beside
them are taken for vertical writing by their position.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from extract.lattice import Piece, inside
from extract.layout import Line, clean

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 (y up)
# a line goes on to the next glyph across a gap up to this many character sizes, and a block to
# the next line across a gap up to this many
_GLYPH_GAP, _LINE_GAP = 1.0, 1.0
_SPACE_GAP = 0.3  # a gap this wide (in character sizes) between Latin letters or digits is a space
_STACK_GAP = 0.35  # upright glyphs this close above one another may be a column of vertical writing
_END = frozenset("。；！？!?")
_BESIDE = 3.0  # character sizes: a line this close beside a stacked glyph makes it a row, not a column
_ALIGNED = 0.2  # character sizes: lines whose baselines differ by no more stand on one row


@dataclass(frozen=True)
class Glyph:
    """One printed glyph: its box (y up), size and reading direction in quarter turns counter-
    clockwise from across the page (1: up the page, 2: upside down, 3: down the page)."""

    text: str
    box: Box
    size: float
    turn: int


def quarter_turn(dx: float, dy: float) -> int:
    """The direction of a baseline (dx, dy; y up) as quarter turns counter-clockwise."""
    return round(math.degrees(math.atan2(dy, dx)) / 90) % 4


def _frame(turn: int, x: float, y: float) -> tuple[float, float]:
    """A page point in the text's own frame: u grows along the reading direction, v from one
    line to the next (up-reading text has its first line leftmost, down-reading rightmost)."""
    return ((x, -y), (y, x), (-x, y), (-y, -x))[turn]


@dataclass
class _Run:
    """Glyphs of one line in reading order, with their extent in the text's frame."""

    glyphs: list[Glyph]
    u0: float
    u1: float
    v0: float
    v1: float
    region: int

    @property
    def size(self) -> float:
        return max(g.size for g in self.glyphs)

    def text(self) -> str:
        out, last = "", None
        for g in self.glyphs:
            if last is not None and _span(g)[0] - _span(last)[1] > _SPACE_GAP * g.size:
                out += " "
            out, last = out + g.text, g
        return clean(out)


def _span(glyph: Glyph) -> tuple[float, float, float, float]:
    """(u0, u1, v0, v1) of a glyph in its own frame."""
    x0, y0, x1, y1 = glyph.box
    (ua, va), (ub, vb) = _frame(glyph.turn, x0, y0), _frame(glyph.turn, x1, y1)
    return min(ua, ub), max(ua, ub), min(va, vb), max(va, vb)


def _region(glyph: Glyph, regions: list[Box]) -> int:
    x0, y0, x1, y1 = glyph.box
    x, y = (x0 + x1) / 2, (y0 + y1) / 2
    return next((i for i, box in enumerate(regions) if inside(x, y, box, 0)), -1)


def _runs(glyphs: list[Glyph], regions: list[Box]) -> list[_Run]:
    """Glyphs of one direction → lines: glyphs whose middles share a band across the reading
    direction, in one cell, split where a gap wider than a character parts them."""
    keyed = sorted(((_region(g, regions), _span(g), g) for g in glyphs),
                   key=lambda k: (k[0], (k[1][2] + k[1][3]) / 2, k[1][0]))
    bands: list[list[tuple]] = []
    for key in keyed:
        region, (_u0, _u1, v0, v1), _g = key
        if bands and bands[-1][0][0] == region and (v0 + v1) / 2 <= bands[-1][0][1][3]:
            bands[-1].append(key)
        else:
            bands.append([key])
    runs: list[_Run] = []
    for band in bands:
        line: list[_Run] = []
        for region, (u0, u1, v0, v1), g in sorted(band, key=lambda k: k[1][0]):
            if line and u0 - line[-1].u1 <= _GLYPH_GAP * max(g.size, line[-1].size):
                last = line[-1]
                last.glyphs.append(g)
                last.u1, last.v0, last.v1 = max(last.u1, u1), min(last.v0, v0), max(last.v1, v1)
            else:
                line.append(_Run([g], u0, u1, v0, v1, region))
        runs += line
    return runs


def _blocks(runs: list[_Run]) -> list[list[_Run]]:
    """Lines → blocks: the next line of a block follows close across the reading direction,
    overlaps it along it, is set in the same size and in the same cell (the wrapped lines of
    one head or paragraph); a line ending a sentence ends its block."""
    blocks: list[list[_Run]] = []
    open_: dict[int, list[list[_Run]]] = {}  # by cell, blocks a later line may still continue
    reach = _LINE_GAP * max((r.size for r in runs), default=0.0)
    for run in sorted(runs, key=lambda r: (r.v0, r.u0)):
        near = [b for b in open_.get(run.region, []) if run.v0 - b[-1].v1 <= reach]
        open_[run.region] = near
        for block in near:
            if _continues(block[-1], run):
                block.append(run)
                break
        else:
            blocks.append([run])
            near.append(blocks[-1])
    return blocks


def _continues(last: _Run, run: _Run) -> bool:
    size = max(run.size, last.size)
    return (last.region == run.region and abs(run.size - last.size) <= 0.2 * size
            and -0.3 * size <= run.v0 - last.v1 <= _LINE_GAP * size
            and run.u0 < last.u1 and last.u0 < run.u1 and last.glyphs[-1].text not in _END)


def _joined(parts: list[str]) -> str:
    """Wrapped lines of one block: no space between them unless both sides are Latin words."""
    text = ""
    for part in parts:
        if text and text[-1].isascii() and text[-1].isalnum() and part[:1].isascii() \
                and part[:1].isalnum():
            text += " "
        text += part
    return text


def turned_lines(glyphs: list[Glyph], height: float,
                 regions: list[Box] | None = None) -> tuple[list[Line], list[Piece]]:
    """Glyphs read along their own direction: each block as a line of the page (y down, in
    reading order: blocks of down-reading text right to left) and as a piece at its middle
    (y up) for the ruled-table cell it is printed in. `regions`: the cells of the page's ruled
    tables (y up), so a line or block never runs from one cell into the next."""
    lines: list[Line] = []
    pieces: list[Piece] = []
    for turn in sorted({g.turn for g in glyphs}):
        mine = [g for g in glyphs if g.turn == turn]
        for block in _blocks(_runs(mine, regions or [])):
            text = clean(_joined([run.text() for run in block]))
            boxes = [g.box for run in block for g in run.glyphs]
            x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
            x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
            size = statistics.median_high(g.size for run in block for g in run.glyphs)
            lines.append(Line(x0, height - y1, x1, height - y0, text, size, turn=turn))
            pieces.append(((x0 + x1) / 2, (y0 + y1) / 2, text, None))
    return lines, pieces


def stacked(lines: list[Line], height: float) -> tuple[list[Line], list[Glyph], int]:
    """Upright glyphs stacked in a column with no line beside them (vertical writing printed
    glyph by glyph, or as a reader without the font's writing mode gives it: one glyph a
    line) as glyphs reading down the page; the other lines as they are; and how many glyphs
    are stacked so but have a line beside them (left one a line: a column or a table's rows)."""
    single = sorted((s for s in lines if len(s.text) == 1 and not s.turn),
                    key=lambda s: (s.top, s.x0))
    reach = _STACK_GAP * max((s.size for s in single), default=0.0)
    columns: list[list[Line]] = []
    growing: list[list[Line]] = []  # columns the next glyph down may still join
    for line in single:
        growing = [c for c in growing if line.top - c[-1].bottom <= reach]
        for column in growing:
            if _below(column[-1], line):
                column.append(line)
                break
        else:
            columns.append([line])
            growing.append(columns[-1])
    candidates = [column for column in columns if len(column) >= 2]
    others = [s for s in lines if id(s) not in {id(g) for column in candidates for g in column}]
    stacks = {id(s) for column in candidates if not _beside(column, others) for s in column}
    glyphs = [Glyph(s.text, (s.x0, height - s.bottom, s.x1, height - s.top), s.size, 3)
              for s in lines if id(s) in stacks]
    doubtful = sum(len(column) for column in candidates) - len(glyphs)
    return [s for s in lines if id(s) not in stacks], glyphs, doubtful


def _below(last: Line, line: Line) -> bool:
    """line is the next glyph down a column from last: centred under it, close below."""
    size = max(line.size, last.size)
    return abs((line.x0 + line.x1) / 2 - (last.x0 + last.x1) / 2) <= 0.25 * size \
        and -0.2 * size <= line.top - last.bottom <= _STACK_GAP * size


def _beside(column: list[Line], others: list[Line]) -> bool:
    """Some other line shares the band of a glyph of the column, close to its left or right;
    or other lines, however far across the page, stand on the baselines of most of its glyphs
    (a form's column of answers or numbers, one a row: rows, not a column to read down)."""
    aligned = 0
    for glyph in column:
        mid, reach = (glyph.top + glyph.bottom) / 2, _BESIDE * glyph.size
        if any(s.top <= mid <= s.bottom and s.x0 - reach <= glyph.x1 and glyph.x0 - reach <= s.x1
               for s in others):
            return True
        aligned += any(abs(s.bottom - glyph.bottom) <= _ALIGNED * glyph.size and s.top <= mid <= s.bottom
                       for s in others)
    return aligned >= 2 and 2 * aligned >= len(column)
