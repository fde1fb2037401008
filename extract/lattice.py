"""Ruled tables from their ruling segments and the text inside (PDF drawings or lines found
on a page image): the cell boundaries give the grid, a missing boundary a merged cell whose text
fills every slot it covers, and each piece of text goes to the cell holding its centre.

Coordinates are y-up (PDF convention); a page image passes its height minus the row.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from extract.layout import clean
from extract.model import Grid

MAX_RULINGS = 5000  # per page; more is not a table a report prints
_OPEN_ROW = 4  # tolerances (6 pt in a PDF): side rules running on this far hold a row of text
Segment = tuple[float, float, float]  # vertical (x, y0, y1) or horizontal (y, x0, x1)
Piece = tuple[float, float, str, "float | None"]  # (centre x, centre y, text, OCR confidence)


def snap(values: list[float], tolerance: float) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tolerance:
            out.append(v)
    return out


def inside(x: float, y: float, bbox: tuple[float, float, float, float], pad: float = 1.0) -> bool:
    return bbox[0] - pad <= x <= bbox[2] + pad and bbox[1] - pad <= y <= bbox[3] + pad


@dataclass
class Lattice:
    """One ruled table: its grid lines, ruling segments and the text pieces inside it."""

    bbox: tuple[float, float, float, float]  # x0, y0, x1, y1 (y up)
    xs: list[float]
    ys: list[float]  # top to bottom
    vertical: list[Segment]
    horizontal: list[Segment]
    tolerance: float = 1.5
    pieces: list[Piece] = field(default_factory=list)
    line_gap: float = 2.0  # pieces whose centres are this close in y share a line
    turn: int = 0  # quarter turns counter-clockwise it is printed at (extract/landscape.py)
    clipped: list[float] = field(default_factory=list)  # where the page or a clip cut its rules

    def _by_line(self) -> tuple[dict[int, list], dict[int, list]]:
        """Ruling segments by the grid line they lie on (so each boundary test is local)."""
        vertical: dict[int, list[tuple[float, float]]] = {}
        horizontal: dict[int, list[tuple[float, float]]] = {}
        ys_up = self.ys[::-1]
        for x, a, b in self.vertical:
            vertical.setdefault(_nearest(self.xs, x), []).append((a, b))
        for y, a, b in self.horizontal:
            horizontal.setdefault(len(self.ys) - 1 - _nearest(ys_up, y), []).append((a, b))
        return vertical, horizontal

    def _slots(self) -> list[list[int]]:
        """The merged cell (a representative slot) each grid slot belongs to."""
        n_rows, n_cols = len(self.ys) - 1, len(self.xs) - 1
        parent = list(range(n_rows * n_cols))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        vertical, horizontal = self._by_line()
        for r in range(n_rows):
            top, bottom = self.ys[r], self.ys[r + 1]
            for c in range(n_cols):
                left, right = self.xs[c], self.xs[c + 1]
                if c + 1 < n_cols and not self._covers(vertical.get(c + 1, ()), (bottom + top) / 2):
                    parent[find(r * n_cols + c + 1)] = find(r * n_cols + c)
                if r + 1 < n_rows and not self._covers(horizontal.get(r + 1, ()), (left + right) / 2):
                    parent[find((r + 1) * n_cols + c)] = find(r * n_cols + c)
        return [[find(r * n_cols + c) for c in range(n_cols)] for r in range(n_rows)]

    def regions(self) -> list[tuple[float, float, float, float]]:
        """Each merged cell's box (x0, y0, x1, y1; y up)."""
        if not self._fits():
            return []
        boxes: dict[int, tuple[float, float, float, float]] = {}
        for r, row in enumerate(self._slots()):
            for c, root in enumerate(row):
                box = (self.xs[c], self.ys[r + 1], self.xs[c + 1], self.ys[r])
                old = boxes.get(root, box)
                boxes[root] = (min(old[0], box[0]), min(old[1], box[1]), max(old[2], box[2]),
                               max(old[3], box[3]))
        return list(boxes.values())

    def _fits(self) -> bool:
        n_rows, n_cols = len(self.ys) - 1, len(self.xs) - 1
        return n_rows >= 1 and n_cols >= 1 and n_rows * n_cols <= 200_000

    def cells(self) -> tuple[Grid, list[list[float | None]]]:
        """The grid (merged cells copied into every slot) and each slot's lowest confidence."""
        if not self._fits():
            return [], []
        slots = self._slots()
        texts: dict[int, list[Piece]] = {}
        for piece in self.pieces:
            r, c = self._slot_at(piece)
            texts.setdefault(slots[r][c], []).append(piece)
        cell_text = {root: cell_text_of(pieces, self.line_gap) for root, pieces in texts.items()}
        confs = {root: min((p[3] for p in pieces if p[3] is not None), default=None)
                 for root, pieces in texts.items()}
        grid = [[cell_text.get(root, "") for root in row] for row in slots]
        conf = [[confs.get(root) for root in row] for row in slots]
        return grid, conf

    def _slot_at(self, piece: Piece) -> tuple[int, int]:
        """The grid slot (row from the top, column) a piece of text is printed in."""
        n_rows, n_cols = len(self.ys) - 1, len(self.xs) - 1
        c = min(max(bisect.bisect_right(self.xs, piece[0]) - 1, 0), n_cols - 1)
        at_or_below = len(self.ys) - bisect.bisect_left(self.ys, -piece[1], key=lambda y: -y)  # ys run down
        r = n_rows - 1 - min(max(at_or_below - 1, 0), n_rows - 1)
        return r, c

    def grid(self) -> Grid:
        return self.cells()[0]

    def copies(self) -> list[list[bool]]:
        """Which slots repeat a merged cell begun to their left or above (what a reader sees
        once: `本年处理决定数量` over three columns holds one figure, not three)."""
        if not self._fits():
            return []
        slots = self._slots()
        return [[(c > 0 and row[c - 1] == root) or (r > 0 and slots[r - 1][c] == root)
                 for c, root in enumerate(row)] for r, row in enumerate(slots)]

    def run_on(self, pieces: list[Piece]) -> None:
        """Take in the text a page's foot cut off below the last rule drawn: where a cell
        runs on to the next page, Chromium draws its rules down to the last whole row and
        prints its text on below them (自 / 然 at the foot, 人 on the next page). Only text
        right under the table (within two of its last row's height), the lowest on the page,
        and under cells its last rule leaves open."""
        x0, bottom, x1, top = self.bbox
        below = [p for p in pieces if p[1] < bottom - self.tolerance]
        height = self.ys[-2] - self.ys[-1] if len(self.ys) > 1 else 0.0
        if not below or any(not x0 < p[0] < x1 or p[1] < bottom - 2 * height for p in below):
            return
        rule = [(a, b) for y, a, b in self.horizontal if abs(y - bottom) <= self.tolerance]
        for piece in below:
            c = min(max(bisect.bisect_right(self.xs, piece[0]) - 1, 0), len(self.xs) - 2)
            if self._covers(rule, (self.xs[c] + self.xs[c + 1]) / 2):
                return
        end = min(p[1] for p in below) - self.line_gap
        self.vertical += [(x, end, a) for x, a, _b in self.vertical if abs(a - bottom) <= self.tolerance]
        self.ys[-1], self.bbox = end, (x0, end, x1, top)

    def drop_thin_rows(self, thin: float = 6.0) -> None:
        """Take out a grid line beside a strip thinner than a line of text (`thin`, points)
        where, in each column it closes, the cell on one side or the other holds no text: it
        parts no two rows. wkhtmltopdf draws the border of a cell a page break cut a few
        points off, across the next row's text; kept, that row's label fell into a row of
        its own, apart from its figures."""
        k = 1
        while 0 < k < len(self.ys) - 1 and self._fits():
            if min(self.ys[k - 1] - self.ys[k], self.ys[k] - self.ys[k + 1]) >= thin:
                k += 1
                continue
            slots = self._slots()
            filled = {slots[r][c] for r, c in map(self._slot_at, self.pieces)}
            rules = self._by_line()[1].get(k, ())
            if all(slots[k - 1][c] not in filled or slots[k][c] not in filled for c in range(len(self.xs) - 1)
                   if self._covers(rules, (self.xs[c] + self.xs[c + 1]) / 2)):
                y = self.ys.pop(k)
                self.horizontal = [h for h in self.horizontal if abs(h[0] - y) > self.tolerance]
            else:
                k += 1

    def cut(self) -> tuple[tuple[bool, ...], tuple[bool, ...]]:
        """For each column, whether the page's edge or margin cut the table at its top and at
        its foot there: no rule across that column there, and the side rules cut there (drawn
        on past what shows). A producer that ends a page's piece of a table where it chooses
        draws its rules to their ends."""
        if len(self.ys) < 2:
            return (), ()
        horizontal = self._by_line()[1]
        return tuple(tuple(any(abs(y - self.ys[k]) <= self.tolerance for y in self.clipped)  # type: ignore[return-value]
                           and not self._covers(horizontal.get(k, ()), (lo + hi) / 2)
                           for lo, hi in zip(self.xs, self.xs[1:], strict=False))
                     for k in (0, len(self.ys) - 1))

    def _covers(self, segments, mid: float) -> bool:
        return any(a - self.tolerance <= mid <= b + self.tolerance for a, b in segments)


def _nearest(lines: list[float], value: float) -> int:
    """Index of the grid line (sorted ascending) nearest to value."""
    i = bisect.bisect_left(lines, value)
    if i == len(lines) or (i > 0 and value - lines[i - 1] < lines[i] - value):
        i -= 1
    return i


def cell_text_of(pieces: list[Piece], line_gap: float = 2.0) -> str:
    """Pieces of one cell: lines top to bottom, wrapped lines joined without a space."""
    rows: list[list[Piece]] = []
    for piece in sorted(pieces, key=lambda c: (-c[1], c[0])):
        if rows and abs(rows[-1][0][1] - piece[1]) <= line_gap:
            rows[-1].append(piece)
        else:
            rows.append([piece])
    parts = ["".join(c[2] for c in sorted(row, key=lambda c: c[0])) for row in rows]
    text = ""
    for part in parts:
        part = part.strip()
        if text and text[-1].isascii() and text[-1].isalnum() and part[:1].isascii() \
                and part[:1].isalnum():
            text += " "
        text += part
    return clean(text)


def lattices(vertical: list[Segment], horizontal: list[Segment],
             tolerance: float = 1.5, drawn: bool = True) -> list[Lattice]:
    """Connected groups of crossing or touching ruling segments, one Lattice per table.

    `drawn`: the rules come from a document's drawing, where a rule may be drawn in pieces
    (cell by cell): collinear pieces end to end are one rule and a lone side rule is its
    table's (_touching). A page image's rules are found whole, and short strokes there are
    characters' (extract/ocr.py passes False)."""
    out = []
    for vs, hs in _touching(vertical, horizontal, tolerance, drawn):
        xs, ys = snap([v[0] for v in vs], tolerance), snap([h[0] for h in hs] + _open_edges(vs, hs, tolerance), tolerance)[::-1]
        if len(xs) < 2 or len(ys) < 2:
            continue
        out.append(Lattice((xs[0], ys[-1], xs[-1], ys[0]), xs, ys, vs, hs, tolerance))
    return out


def _open_edges(vertical: list[Segment], horizontal: list[Segment], tolerance: float) -> list[float]:
    """Where a table's two side rules both run on past its last (or first) horizontal rule:
    a table broken across pages leaves its last row on the page open at the bottom, and that
    row is the table's as much as the ruled ones above it. Only the outermost rules count (a
    heading's stroke touching the top rule is no side of the table)."""
    xs = [v[0] for v in vertical]
    left = [v for v in vertical if v[0] - min(xs) <= tolerance]
    right = [v for v in vertical if max(xs) - v[0] <= tolerance]
    if max(xs) - min(xs) <= tolerance:
        return []
    top, bottom = max(h[0] for h in horizontal), min(h[0] for h in horizontal)
    reach = _OPEN_ROW * tolerance
    edges = []
    ends = min(v[1] for v in left), min(v[1] for v in right)
    if max(ends) < bottom - reach and max(ends) - min(ends) <= 2 * tolerance:
        edges.append(max(ends))
    ends = max(v[2] for v in left), max(v[2] for v in right)
    if min(ends) > top + reach and max(ends) - min(ends) <= 2 * tolerance:
        edges.append(min(ends))
    return edges


def _collinear(segments: list[Segment], tolerance: float) -> list[list[int]]:
    """Indices of the segments on each line (positions within `tolerance` of the one before)."""
    lines: list[list[int]] = []
    last = None
    for k in sorted(range(len(segments)), key=lambda k: segments[k][0]):
        if last is None or segments[k][0] - last > tolerance:
            lines.append([])
        lines[-1].append(k)
        last = segments[k][0]
    return lines


def _touching(vertical: list[Segment], horizontal: list[Segment],
              tolerance: float, drawn: bool = True) -> list[tuple[list, list]]:
    n_v = len(vertical)
    parent = list(range(n_v + len(horizontal)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # A rule drawn cell by cell (Chromium draws each cell's borders) is one rule: collinear
    # segments end to end are one group even where no vertical rule meets them (under a cell
    # spanning columns).
    for offset, segments in ((0, vertical), (n_v, horizontal)) if drawn else ():
        for line in _collinear(segments, tolerance):
            end, root = -float("inf"), -1
            for k in sorted(line, key=lambda k: segments[k][1]):
                _, a, b = segments[k]
                if a <= end + tolerance:
                    parent[find(offset + k)] = find(offset + root)
                    end = max(end, b)
                else:
                    root, end = k, b
    by_y = sorted(range(len(horizontal)), key=lambda j: horizontal[j][0])
    ys = [horizontal[j][0] for j in by_y]
    for i, (x, y0, y1) in enumerate(vertical):
        lo, hi = bisect.bisect_left(ys, y0 - tolerance), bisect.bisect_right(ys, y1 + tolerance)
        for k in range(lo, hi):
            j = by_y[k]
            _, a, b = horizontal[j]
            if a - tolerance <= x <= b + tolerance:
                parent[find(n_v + j)] = find(i)
    groups: dict[int, tuple[list, list]] = {}
    for i, v in enumerate(vertical):
        groups.setdefault(find(i), ([], []))[0].append(v)
    for j, h in enumerate(horizontal):
        groups.setdefault(find(n_v + j), ([], []))[1].append(h)
    tables = [g for g in groups.values() if g[0] and g[1]]
    for vs, hs in groups.values():
        if drawn and vs and not hs:
            _side_of(vs, tables, tolerance)
    return tables


def _side_of(rules: list[Segment], tables: list[tuple[list, list]], tolerance: float) -> None:
    """A vertical rule meeting no horizontal one, running the whole height of a table beside
    it, is that table's side: the rest of a table broken across pages, whose first column is
    one cell merged down from the page before and on to the next, has no rule across that
    column on this page (Chromium cuts the cell at the page's edges)."""
    x, low, high = rules[0][0], min(v[1] for v in rules), max(v[2] for v in rules)
    for vs, _hs in tables:
        left, right = min(v[0] for v in vs), max(v[0] for v in vs)
        if abs(min(v[1] for v in vs) - low) <= tolerance and abs(max(v[2] for v in vs) - high) <= tolerance \
                and left - (right - left) / 2 < x < right + (right - left) / 2 and not left <= x <= right:
            vs += rules
            return
