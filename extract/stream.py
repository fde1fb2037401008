"""Tables printed without rules, rebuilt from where their text sits (the "stream" reading of
pdfplumber, camelot and tabula, for the national tables' shape).

A statistics table exported with its borders off, or from a spreadsheet printed without
gridlines, has no rulings for extract/lattice.py; its cells are only text placed in rows and
columns, and the text layer may run two neighbouring cells together. The evidence used, in
order:

- a line is split into cells where a gap between two printed characters is wider than a
  fraction of their size (`Line.glyphs`);
- a table is a run of text rows holding values (figures, or 不适用/—) aligned in columns,
  with the head above them and the wrapped lines of its labels between and around them; a
  line across the text column, or a heading, ends it;
- the value columns are those of the rows with the most values, with those these leave
  blank where another row's figure or the head's lowest cell stands, or, for the rest of a
  table the page before ended inside, that table's columns; the labels left of them fall
  into sub-columns parted where only labels spanning them cross (a group label,
  三、本年度办理结果, left of the row label, 1.属于国家秘密);
- each row of values is one row of the table, and so is a row label with no figure beside
  it (a row the report left blank): a label's wrapped lines join it when their block spans
  its height; a group label printed once beside several rows is repeated into each row of
  its group, its rows found by how the label sits (at their top, or in their middle);
- a head or a row of text across the value columns is kept as a row, a cell spanning columns
  copied into each (as a merged cell of a ruled table is); a head that ends a page goes over
  its rows on the next, and the pieces of a table a page break splits are joined
  (extract/layout.py join_tables, by where their columns line up).

What cannot be read this way stays text, and the extraction's completeness check says which
statistics were not found.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, replace
from functools import cached_property

from extract.layout import HEADING_MARK, SENTENCE_END, Line, PlacedTable, clean, in_head_margin
from extract.numbers import parse_value

_SPLIT = 0.45  # of a character's size: a wider gap inside a printed line separates two cells
_WIDE = 0.5  # of the text column: a single piece of text this wide is prose, not a cell
_HEAD_ROWS = 12  # text rows of a table's head above its first row of values, at most
_GAP_ROWS = 10  # text rows of wrapped labels between two rows of values, at most
_SAME_CELL = 0.6  # of a character's size: lines closer than this in one column are one cell
_HEADING = re.compile(rf"^(?:{HEADING_MARK}|第[一二三四五六七八九十\d]{{1,3}}[章节部分])")
_ITEM = re.compile(rf"^(?:{HEADING_MARK}|\d{{1,2}}\s*[.．、])")  # a label's own number: 一、 （一） 1.


@dataclass(eq=False)  # one piece of print: two are never the same one, however alike
class Run:
    """A piece of a printed line between two cell gaps."""

    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    size: float
    glyphs: tuple[tuple[float, float, str], ...] = ()  # (x0, x1, character), when the line has them

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


def runs_of(line: Line) -> list[Run]:
    """A line split where its characters leave a cell's gap."""
    if not line.glyphs:
        return [Run(line.x0, line.x1, line.top, line.bottom, line.text, line.size)]
    out: list[Run] = []
    piece: list[tuple[float, float, str]] = []
    for glyph in sorted(line.glyphs):
        if piece and glyph[0] - piece[-1][1] > max(_SPLIT * line.size, 2.0):
            out.append(_run(piece, line))
            piece = []
        piece.append(glyph)
    if piece:
        out.append(_run(piece, line))
    return [r for r in out if r.text]


def _run(piece: list[tuple[float, float, str]] | tuple[tuple[float, float, str], ...], line: Line) -> Run:
    return Run(piece[0][0], max(g[1] for g in piece), line.top, line.bottom,
               clean("".join(g[2] for g in piece)), line.size, tuple(piece))


def _parted(row: _Row, edge: float) -> _Row:
    """A row of figures whose label runs on into its first figure with no gap between the
    cells (7.属于行政执法案卷0, as LibreOffice sets a web page's table): the run parted where
    the figures' cells begin (`edge`), when what stands past it is a figure."""
    if not row.values:
        return row
    runs, parted = [], False
    for run in row.runs:
        left = tuple(g for g in run.glyphs if (g[0] + g[1]) / 2 < edge)
        right = tuple(g for g in run.glyphs if (g[0] + g[1]) / 2 >= edge)
        if run.x0 < edge < run.x1 and left and right and is_value(clean("".join(g[2] for g in right))):
            line = Line(run.x0, run.top, run.x1, run.bottom, run.text, run.size)
            runs += [_run(left, line), _run(right, line)]
            parted = True
        else:
            runs.append(run)
    return _Row(row.lines, runs) if parted else row


def _cut(row: _Row, gutters: list[tuple[float, float]]) -> _Row:
    """A head row whose cells were set too close to part (计量单位 数量, a space apart, as
    LibreOffice sets a web page's table): a run cut at each gap between its characters that
    stands in the gutter between two columns and is wider than the run's other gaps by a
    fifth of a character (a letter-spaced head, all its gaps alike, stays whole)."""
    runs, cut = [], False
    for run in row.runs:
        glyphs = sorted(run.glyphs)
        gaps = [b[0] - a[1] for a, b in zip(glyphs, glyphs[1:], strict=False)]
        usual = statistics.median(gaps) if gaps else 0.0
        piece: list[tuple[float, float, str]] = []
        line = Line(run.x0, run.top, run.x1, run.bottom, run.text, run.size)
        for n, glyph in enumerate(glyphs):
            if piece and gaps[n - 1] > usual + 0.2 * run.size and any(
                    lo - 1 <= piece[-1][1] and glyph[0] <= hi + 1 for lo, hi in gutters):
                runs.append(_run(piece, line))
                piece, cut = [], True
            piece.append(glyph)
        runs.append(_run(piece, line) if piece and cut else run)
    return _Row(row.lines, [r for r in runs if r.text]) if cut else row


def is_value(text: str) -> bool:
    """A figure or a marked-empty cell (不适用, —, /), as a statistics table holds."""
    return len(text) <= 16 and parse_value(text).kind in ("number", "na")


@dataclass(eq=False)
class _Row:
    lines: list[Line]
    runs: list[Run]

    @property
    def top(self) -> float:
        return min(r.top for r in self.runs)

    @property
    def bottom(self) -> float:
        return max(r.bottom for r in self.runs)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @cached_property
    def values(self) -> list[Run]:
        """Its value cells: figures after a label, or two or more figures."""
        found = [r for r in self.runs if is_value(r.text)]
        if len(found) >= 2 or (found and self.runs[0] is not found[0]):
            return found
        return []


def line_rows(lines: list[Line]) -> list[list[Line]]:
    """Lines printed side by side on one baseline band, top to bottom, each row left to right
    (the middle of each within the row's first line, a point either way)."""
    rows: list[list[Line]] = []
    for line in sorted(lines, key=lambda s: (s.top, s.x0)):
        mid = (line.top + line.bottom) / 2
        if rows and rows[-1][0].top - 1 <= mid <= rows[-1][0].bottom + 1:
            rows[-1].append(line)
        else:
            rows.append([line])
    return rows


def _text_rows(lines: list[Line]) -> list[_Row]:
    return [_Row(row, sorted((r for line in row for r in runs_of(line)), key=lambda r: r.x0))
            for row in line_rows(lines)]


@dataclass(frozen=True)
class Columns:
    """A table's value columns: where each one's figures stand, and where they line up."""

    spans: list[tuple[float, float]]
    marks: list[float]


@dataclass
class Streamed:
    """What stream_tables made of a page: the lines left as text, the tables, the head of a
    table that the page ends with (its rows of values on the next page; with its first row
    when only that one fits), and whether the head carried from the page before was used."""

    lines: list[Line]
    tables: list[PlacedTable]
    head: list[Line]
    carried: bool
    open_end: bool = False  # the page ends inside a table: the next page may go on with it
    leads: bool = False  # the page's first table starts it (only the running head above)
    columns: Columns | None = None  # the value columns of the page's last table
    alone: PlacedTable | None = None  # the head and row carried on, read as a table of their own


def stream_tables(lines: list[Line], height: float, carried: list[Line] | None = None,
                  continued: Columns | None = None, body_top: float | None = None) -> Streamed:
    """A page's free lines → the lines left as text and the tables rebuilt from the rest.
    `carried`: the head the page before ended with, put over this page's first table when
    nothing but the running head comes before it; `continued`: the columns of the table the
    page before ended inside, so rows of figures at the top of this one are its rest, however
    few, in its columns (blank in every row here or not)."""
    if not lines:
        return Streamed(lines, [], [], False)
    rows = _text_rows(lines)
    left, right = min(s.x0 for s in lines), max(s.x1 for s in lines)
    width = max(right - left, 1.0)
    tables: list[PlacedTable] = []
    used: set[int] = set()
    took = leads = False
    last_columns: Columns | None = None
    furniture = {i for i in range(len(rows)) if _furniture(rows, i, height, body_top)}
    lead = next((i for i in range(len(rows)) if i not in furniture), len(rows))
    tail = next((i for i in range(len(rows) - 1, -1, -1) if i not in furniture), -1)
    foot: list[Line] = []  # a table's head and first row alone at the page's foot
    foot_table: PlacedTable | None = None  # how they read alone, if the next page has no rest
    for first, last in _regions(rows, width, furniture, lead if carried or continued else None):
        region = rows[first:last + 1]
        if last == tail and sum(1 for row in region if row.values) == 1 and first != lead:
            foot = [line for row in region for line in row.lines]
            foot_table = _table(region)[0]
            used.update(range(first, last + 1))
            continue
        if carried and not tables and all(i in furniture for i in range(first)) and _fits(carried, region):
            region = _text_rows(_above(carried, region[0])) + region
            took = True
        model = continued if not tables and first == lead else None
        table, columns = _table(region, model)
        if table is not None:
            leads = leads or (not tables and first == lead)
            tables.append(table)
            last_columns = columns
            used.update(range(first, last + 1))
        else:
            took = False
    head = foot or _trailing_head(rows, max(used, default=-1), width, furniture)
    used.update(i for i, row in enumerate(rows) if any(line in head for line in row.lines))
    kept = [line for i, row in enumerate(rows) if i not in used for line in row.lines]
    return Streamed(kept, tables, head, took, tail in used and not foot, leads, last_columns, foot_table)


def _fits(carried: list[Line], region: list[_Row]) -> bool:
    """Whether the rows carried from the page before go over this table: a head always; a row
    of figures when each of its figures stands over a column of this table's figures."""
    figures = [v for row in region for v in row.values]
    return all(any(v.x0 < f.x1 + v.size and f.x0 < v.x1 + v.size for f in figures)
               for row in _text_rows(carried) for v in row.values)


def _furniture(rows: list[_Row], i: int, height: float, body_top: float | None) -> bool:
    """A running head or page number: one piece of text in the page's top or bottom tenth, set
    apart from the rows it heads or foots by more than a line of its type, and a head above
    where the document's pages begin their text (`body_top`, extract/layout.body_top): 申请人情况
    over the rest of a table's head at the top of a page is none."""
    row = rows[i]
    if len(row.runs) != 1:
        return False
    size = row.runs[0].size
    if row.bottom <= 0.1 * height:
        return in_head_margin(row.top, row.bottom, size, rows[i + 1].top if i + 1 < len(rows) else None, body_top)
    if row.top >= 0.9 * height:
        return i == 0 or row.top - rows[i - 1].bottom > size
    return False


def _above(lines: list[Line], row: _Row) -> list[Line]:
    """Lines moved (from the page before) to end just above `row`, as they stood."""
    shift = row.top - row.runs[0].size - max(s.bottom for s in lines)
    return [replace(s, top=s.top + shift, bottom=s.bottom + shift) for s in lines]


def _trailing_head(rows: list[_Row], after: int, width: float, furniture: set[int]) -> list[Line]:
    """The rows a page ends with (its page number aside) that read as a table's head: cells
    side by side, or any row of text straight after a table, no figures; the table's rows on
    the next page."""
    end = len(rows)
    while end > after + 1 and end - 1 in furniture:
        end -= 1
    start = end
    while start > after + 1 and end - start < _HEAD_ROWS and _narrow(rows[start - 1], width) \
            and not rows[start - 1].values:
        size = rows[start - 1].runs[0].size
        if _heading(rows[start - 1], size):
            break
        start -= 1
    block = rows[start:end]
    if not block or not (any(len(row.runs) > 1 for row in block) or 0 <= after == start - 1):
        return []
    return [line for row in block for line in row.lines]


def _narrow(row: _Row, width: float, figures: float | None = None) -> bool:
    """A row that can be part of a table: several cells, or one that is no line of prose: not
    half as wide as the text, or ending short of where the table's figures begin (`figures`;
    a long label wrapped, as prose runs on over the figures' columns to the margin)."""
    run = row.runs[0]
    return len(row.runs) > 1 or (run.x1 - run.x0) < _WIDE * width or (figures is not None and run.x1 < figures)


def _heading(row: _Row, size: float) -> bool:
    """A heading or the end of a sentence: what a table's head does not hold."""
    text = row.runs[0].text
    return len(row.runs) == 1 and (bool(_HEADING.match(text)) or text[-1] in SENTENCE_END
                                   or row.runs[0].size > 1.3 * size)


def _apart(row: _Row, size: float) -> bool:
    """A row between two rows of values that is no part of a table: a heading set larger than
    the table's text, or the end of a sentence."""
    return len(row.runs) == 1 and (row.runs[0].size > 1.15 * size or row.runs[0].text[-1] in "。；！？")


def _new_head(rows: list[_Row], start: int, end: int, following: int, size: float) -> bool:
    """Whether the row of figures at `following` begins another table: a head row (cells side
    by side, no figure) stands between, and it has figures where the table so far has only
    labels, left of all its figures (table 四 under table 三 when the heading between them is
    set no larger than their cells)."""
    if not any(len(rows[i].runs) > 1 and not rows[i].values for i in range(end + 1, following)):
        return False
    left = min(v.x0 for i in range(start, end + 1) for v in rows[i].values)
    return any(v.x1 < left - size for v in rows[following].values)


def _regions(rows: list[_Row], width: float, furniture: set[int],
             continued: int | None = None) -> list[tuple[int, int]]:
    """(first, last) text-row indices of each table: rows of values in aligned columns with
    their head above and wrapped labels between and below. `continued`: the first row of a
    page whose table goes on from the page before; there, one row of figures is a table."""
    valued = [i for i, row in enumerate(rows) if row.values]
    regions: list[tuple[int, int]] = []
    k = 0
    while k < len(valued):
        start = end = valued[k]
        size = statistics.median(r.size for r in rows[start].runs)
        while k + 1 < len(valued) and valued[k + 1] - end - 1 <= _GAP_ROWS and \
                _bridged(rows, start, end, valued[k + 1], width, size) \
                and not _new_head(rows, start, end, valued[k + 1], size):
            k += 1
            end = valued[k]
        k += 1
        body = [rows[i] for i in range(start, end + 1) if rows[i].values]
        size = statistics.median(r.size for row in body for r in row.runs)
        first = start
        figures = _figures(rows, start, end)
        while first - 1 >= 0 and start - (first - 1) <= _HEAD_ROWS and _narrow(rows[first - 1], width, figures) \
                and not _heading(rows[first - 1], size) and first - 1 not in furniture \
                and not (regions and first - 1 <= regions[-1][1]):
            first -= 1
        if len(body) < 2 and max(len(r.values) for r in body) < 3 and first != continued and not any(
                len(rows[i].runs) > 1 and not rows[i].values for i in range(first, start)):
            continue  # one figure beside a label is a line of text, not a table (unless headed)
        last = end
        while last + 1 < len(rows) and last + 1 - end <= _GAP_ROWS // 2 and \
                _narrow(rows[last + 1], width) and not _heading(rows[last + 1], size) and \
                len(rows[last + 1].runs) == 1 and rows[last + 1].runs[0].x1 < min(
                    v.x0 for row in body for v in row.values) and \
                rows[last + 1].top - rows[last].bottom < _SAME_CELL * size * 2:
            last += 1
        regions.append((first, last))
    return regions


def _bridged(rows: list[_Row], start: int, end: int, following: int, width: float, size: float) -> bool:
    """Whether the rows between the table's last row of figures (`end`) and the next
    (`following`) are its wrapped labels: each can be part of a table, none set apart."""
    figures = _figures(rows, start, following)
    return all(_narrow(rows[i], width, figures) and not _apart(rows[i], size) for i in range(end + 1, following))


def _figures(rows: list[_Row], start: int, end: int) -> float:
    """Where the figures of rows `start`..`end` begin."""
    return min(v.x0 for row in rows[start:end + 1] for v in row.values)


def _columns(body: list[_Row]) -> list[tuple[float, float]]:
    """The value columns (x0, x1), from the rows holding the most values."""
    most = max(len(row.values) for row in body)
    spans: list[list[float]] = [[float("inf"), float("-inf")] for _ in range(most)]
    for row in body:
        values = row.values
        if len(values) == most:
            for span, run in zip(spans, values, strict=True):
                span[0], span[1] = min(span[0], run.x0), max(span[1], run.x1)
    return [(a, b) for a, b in spans]


def _blocks(runs: list[Run]) -> list[list[Run]]:
    """Runs of one column grouped into cells: wrapped lines close below each other, none wider
    than the line before it by more than a character (a cell's text fills a line before it
    wraps; a line opening with half-width figures, 2.申请人…, holds a character less): 法人或其他组织
    under 申请人情况 is a cell of its own. Nor is a line the end of one that stands over
    another cell of its row as well (第二十条第（一）项 centred over 本年制发件数 and its
    neighbours heads them all)."""
    blocks: list[list[Run]] = []

    def beside(run: Run, tail: Run) -> bool:
        return any(o is not run and abs(o.top - run.top) < 0.5 * run.size and o.x0 < tail.x1 and o.x1 > tail.x0
                   for o in runs)

    for run in sorted(runs, key=lambda r: (r.top, r.x0)):
        for block in reversed(blocks):
            tail = block[-1]
            if 0 <= run.top - tail.bottom < _SAME_CELL * run.size and run.x0 < tail.x1 and run.x1 > tail.x0 \
                    and run.x1 - run.x0 <= tail.x1 - tail.x0 + 1.2 * run.size and not beside(run, tail):
                block.append(run)
                break
            if run.top - tail.bottom >= _SAME_CELL * run.size:
                continue
        else:
            blocks.append([run])
    return blocks


def _text(block: list[Run]) -> str:
    return clean("".join(r.text for r in block))


def _top(block: list[Run]) -> float:
    return min(r.top for r in block)


def _bottom(block: list[Run]) -> float:
    return max(r.bottom for r in block)


def _table(region: list[_Row], model: Columns | None = None) -> tuple[PlacedTable | None, Columns | None]:
    """The table of a region of text rows; `model`: the columns of the table it goes on from
    (the page before), when its figures fit them."""
    body = [row for row in region if row.values]
    start = region.index(body[0])
    head, rest = region[:start], region[start:]
    own = _columns(body)
    if model is not None and not _same_table(own, model, body):
        model = None
    columns = model.spans if model else _more_columns(own, body, head)
    side = _side(body, columns, [r for row in head for r in row.runs])
    edges = _cell_edges(columns, side)
    label_edge = edges[0] if side == "right" else columns[0][0] - 1  # where the figures' cells begin
    rest = [_parted(row, label_edge) for row in rest]
    inner = [r.x1 for row in rest for r in row.runs if _labelled(r, label_edge) and r not in row.values]
    gutters = [(max(inner, default=label_edge), columns[0][0]), *((a[1], b[0]) for a, b in zip(columns, columns[1:], strict=False))]
    head = [_cut(row, gutters) for row in head]
    rest = [row if row.values else _cut(row, gutters) for row in rest]
    # labels: every run left of the value columns, in sub-columns split where no label stands
    labels = [r for row in rest if row.values or all(_labelled(r, label_edge) for r in row.runs)
              for r in row.runs if _labelled(r, label_edge) and r not in row.values]
    # the first line of the first row's label, wrapped above its figures, is no head
    above = [r for row in head if all(_labelled(r, label_edge) for r in row.runs) for r in row.runs]
    for block in _blocks(above + labels):
        if any(r in labels for r in block):
            taken = [r for r in block if r in above]
            labels += taken
            head = [_Row(row.lines, [r for r in row.runs if r not in taken]) for row in head
                    if any(r not in taken for r in row.runs)]
    splits = _label_splits(labels, [[r for r in row.runs if r in labels] for row in rest])
    depth = len(splits) + 1 if labels else 0

    def spans(run: Run) -> bool:
        return any(run.x0 < s < run.x1 for s in splits)

    def sub(run: Run) -> int:
        """A label's sub-column: where its middle is, or its start when it spans a split; a
        line centred under one that spans a split is its wrapped end (…不计其他情 / 形）)."""
        if id(run) in wrapped:
            return wrapped[id(run)]
        x = run.x0 + 1 if spans(run) else run.centre
        return sum(1 for s in splits if s <= x)

    wrapped: dict[int, int] = {}
    for run in sorted(labels, key=lambda r: r.top):
        parent = next((p for p in labels if (spans(p) or id(p) in wrapped)
                       and 0 <= run.top - p.bottom < _SAME_CELL * run.size
                       and p.x0 - 1 <= run.x0 and run.x1 <= p.x1 + 1 and abs(run.centre - p.centre) <= run.size),
                      None)
        if parent is not None:
            wrapped[id(run)] = sub(parent)

    grid_rows: list[tuple[float, list[str], list[bool]]] = []  # (middle, cells, copies)
    anchors: list[tuple[_Row, list[str]]] = []
    heads: list[float] = []  # tops of the head rows inside the table (a caption stands over one)
    for row in rest:
        values = row.values
        texts = [r for r in row.runs if not _labelled(r, label_edge) and r not in values]
        if values:
            cells = [""] * (depth + len(columns))
            # its figures in their cells, and any other text it holds past the labels in the
            # cell it stands in: kept, and a cell of text reads as no figure (said missing)
            for run in [r for r in row.runs if not _labelled(r, label_edge) or r in values]:
                cells[depth + _column_at(edges, run.centre)] += run.text
            anchors.append((row, cells))
            grid_rows.append((row.middle, cells, [False] * len(cells)))
        elif texts:  # a head or a line of text across the value columns, inside the table
            heads.append(row.top)
            for n, (cells, copies) in enumerate(_head([row], columns, edges, label_edge, depth, sub, side)):
                grid_rows.append((row.middle + n * 1e-3, cells, copies))
    if not anchors:
        return None, None
    widest = [max((r.x1 - r.x0 for r in labels if sub(r) == k and not spans(r)), default=0.0) for k in range(depth)]
    _label(anchors, labels, depth, sub, grid_rows, heads, widest)
    head_rows = _head(head, columns, edges, label_edge, depth, sub, side)
    grid = [cells for cells, _ in head_rows] + [cells for _, cells, _ in sorted(grid_rows, key=lambda t: t[0])]
    copies = [c for _, c in head_rows] + [c for _, _, c in sorted(grid_rows, key=lambda t: t[0])]
    marks = [_line_up([r for r in labels if sub(r) == k and not spans(r)]
                      or [r for r in labels if sub(r) == k]) for k in range(depth)]
    lined = model.marks if model else [
        _line_up([r for row in body for r in row.values if _column_at(edges, r.centre) == j]) or (a + b) / 2
        for j, (a, b) in enumerate(columns)]
    marks += lined
    keep = [c for c in range(len(grid[0])) if c >= depth or any(row[c] for row in grid)]  # a label column may be empty
    grid, copies = [[row[c] for c in keep] for row in grid], [[row[c] for c in keep] for row in copies]
    if not grid or len(grid[0]) < 2:
        return None, None
    xs = [marks[c] for c in keep]
    pitch = statistics.median(b - a for a, b in zip(xs, xs[1:], strict=False)) if len(xs) > 1 else 20.0
    return PlacedTable(region[0].top, region[-1].bottom, grid, copies=copies,
                       xs=[*xs, xs[-1] + max(pitch, 8.0)], labels=sum(1 for c in keep if c < depth)), \
        Columns(columns, lined)


def _same_table(own: list[tuple[float, float]], model: Columns, body: list[_Row]) -> bool:
    """Whether rows at the top of a page go on with the table the page before ended inside:
    no more columns of figures than it has, each under one of its columns."""
    spans = model.spans
    if len(own) > len(spans):
        return False
    return all(any(a - run.size <= run.centre <= b + run.size for a, b in spans)
               or spans[0][0] <= run.centre <= spans[-1][1]  # centred over merged columns
               for row in body for run in row.values)


def _line_up(runs: list[Run]) -> float:
    """Where a column's cells line up (their left edges, middles or right edges, whichever
    varies least): the same on both pages of a table a page break splits, which is how
    extract/layout.py's join_tables knows the second piece for the first's."""
    if not runs:
        return 0.0
    sides = [[r.x0 for r in runs], [r.centre for r in runs], [r.x1 for r in runs]]
    return statistics.median(min(sides, key=lambda v: max(v) - min(v)))


def _labelled(run: Run, edge: float) -> bool:
    """Left of the value columns (a label's last glyph may overhang its cell's padding)."""
    return run.x1 <= edge + 0.5 * run.size


def _label_splits(labels: list[Run], rows: list[list[Run]]) -> list[float]:
    """Where the label sub-columns part. Two labels side by side in a row have a part between
    them; it lies where fewest labels cross (only those spanning sub-columns: 一、本年新收…,
    （七）总计), left-aligned or centred alike. Between a group label and a row label with an
    empty sub-column between them, there are two such places."""
    if len(labels) < 2:
        return []
    lo = min(r.x0 for r in labels)

    def crossing(x: float) -> int:
        return sum(1 for r in labels if r.x0 < x < r.x1)

    found: list[float] = []
    for row in rows:
        ordered = sorted(row, key=lambda r: r.x0)
        for a, b in zip(ordered, ordered[1:], strict=False):
            if b.x0 - a.x1 < 2:
                continue
            xs = [a.x1 + 0.5 * i for i in range(1, int((b.x0 - a.x1) * 2))]
            counts = [crossing(x) for x in xs]
            least = min(counts)
            low: list[float] = []
            for x, n in zip(xs, counts, strict=True):
                if n <= least + 1 and (not low or x - low[-1] <= 0.5 or n <= least):
                    if low and x - low[-1] > 0.5:
                        found.append((low[0] + low[-1]) / 2)
                        low = []
                    low.append(x)
                elif n > least + 1 and low:
                    found.append((low[0] + low[-1]) / 2)
                    low = []
            if low:
                found.append((low[0] + low[-1]) / 2)
    splits: list[list[float]] = []
    for x in sorted(found):
        if splits and x - splits[-1][-1] <= 4:
            splits[-1].append(x)
        else:
            splits.append([x])
    return [statistics.median(c) for c in splits if statistics.median(c) > lo][:3]

def _head(head: list[_Row], columns, xs: list[float], label_edge: float, depth: int,  # noqa: ANN001
          sub, side: str) -> list[tuple[list[str], list[bool]]]:
    """The head's cells (wrapped lines joined), each over the columns it heads, a row per level.

    Without rules a head cell's span is read from how it sits over the cells below it. Left-
    aligned heads (their text starting where the columns' figures start) reach from their own
    column to the next cell of their level; centred heads reach as far right of their middle as
    their range's left edge is left of it, less the columns at either end whose lowest cell sits
    above the head's own children (a cell merged down beside them: 自然人 beside 法人或其他组织
    over 商业企业…). Then the same inside each cell's range, and in the columns it left."""
    runs = [r for row in head for r in row.runs]
    cells = [Run(min(r.x0 for r in b), max(r.x1 for r in b), _top(b), _bottom(b), _text(b), b[0].size)
             for b in _blocks([r for r in runs if not _labelled(r, label_edge)])]
    # figures set right: a head starting just inside its cell's left edge is set left
    lefts = xs[:-1] if side == "right" else [a for a, _ in columns]
    reach = 0.8 * min((c.size for c in cells), default=0.0) if side == "right" else 2.0
    left_aligned = sum(any(-2 <= c.x0 - x <= reach if side == "right" else abs(c.x0 - x) <= reach
                           for x in lefts) for c in cells) >= 0.6 * max(len(cells), 1)

    def home(cell: Run) -> int:
        if left_aligned:
            return min(range(len(lefts)), key=lambda i: abs(lefts[i] - cell.x0))
        return _column_at(xs, cell.centre)

    def over(cell: Run, c: int) -> bool:
        return cell.x0 < xs[c + 1] and cell.x1 > xs[c]

    def below(cell: Run, c: int) -> Run | None:
        """The topmost cell under `cell` in column c."""
        return min((o for o in cells if o.middle > cell.bottom and over(o, c)), key=lambda o: o.top, default=None)

    def merged_down(cell: Run, c: int, level: float) -> bool:
        """Column c's highest cell under `cell` is its lowest (a leaf) and sits above `level`."""
        first = below(cell, c)
        lowest = max((o for o in cells if over(o, c)), key=lambda o: o.middle, default=None)
        return first is not None and first is lowest and first.middle < level - 0.5 * first.size

    levels: list[list[tuple[Run, int, int]]] = []

    def tile(first: int, last: int, depth_: int, pending: list[Run]) -> None:
        inside = [c for c in pending if first <= home(c) <= last]
        if not inside:
            return
        top = min(inside, key=lambda c: c.top)
        level = sorted((c for c in inside if c.middle <= top.bottom + 0.5 * top.size), key=home)
        rest = [c for c in inside if c not in level]
        placed: list[tuple[Run, int, int]] = []
        cursor = first
        for n, cell in enumerate(level):
            own = max(home(cell), cursor)
            if own > last:
                break
            if left_aligned:
                start, end = own, (max(own, home(level[n + 1]) - 1) if n + 1 < len(level) else last)
            else:
                reach = 2 * cell.centre - xs[cursor]
                start, end = cursor, min(range(own, last + 1), key=lambda i: abs(xs[i + 1] - reach))
                child = below(cell, own)
                if child is not None:
                    while start < own and merged_down(cell, start, child.middle):
                        start += 1
                    while end > own and merged_down(cell, end, child.middle):
                        end -= 1
            placed.append((cell, start, end))
            cursor = end + 1
        while len(levels) <= depth_:
            levels.append([])
        levels[depth_] += placed
        covered = {i for _c, a, b in placed for i in range(a, b + 1)}
        for _cell, a, b in placed:
            tile(a, b, depth_ + 1, rest)
        gap: list[int] = []
        for i in [*range(first, last + 1), None]:
            if i is not None and i not in covered:
                gap.append(i)
            elif gap:
                tile(gap[0], gap[-1], depth_ + 1, rest)
                gap = []

    tile(0, len(columns) - 1, 0, cells)
    width = depth + len(columns)
    out: list[tuple[list[str], list[bool]]] = []
    tops: list[float] = []  # each head row's top, where a label of a row of its own goes in
    for level in levels:
        row, copies = [""] * width, [False] * width
        for cell, a, b in level:
            for i in range(a, b + 1):
                row[depth + i], copies[depth + i] = cell.text, i > a
        out.append((row, copies))
        tops.append(min(cell.top for cell, _a, _b in level))
    # a label beside the head goes in its first row (merged down through its levels); two in one
    # sub-column (第二十条第（一）项 over 信息内容): the one beside the first row's heads stays, the
    # other is a row of its own where it stands
    slots: dict[int, list[list[Run]]] = {}
    for block in sorted(_blocks([r for r in runs if _labelled(r, label_edge)]), key=_top):
        slots.setdefault(min(sub(r) for r in block), []).append(block)
    first = (tops[0] + max(cell.bottom for cell, _a, _b in levels[0])) / 2 if levels else None
    own_rows: list[tuple[int, list[Run]]] = []
    for k, blocks in slots.items():
        stay = blocks[0] if first is None else min(blocks, key=lambda b: abs((_top(b) + _bottom(b)) / 2 - first))
        if not out:
            out.append(([""] * width, [False] * width))
            tops.append(_top(stay))
        out[0][0][k] = _text(stay)
        own_rows += [(k, b) for b in blocks if b is not stay]
    for k, block in sorted(own_rows, key=lambda kb: _top(kb[1])):
        at = sum(1 for top in tops if top <= _top(block))
        out.insert(at, ([""] * width, [False] * width))
        tops.insert(at, _top(block))
        out[at][0][k] = _text(block)
    return out


def _more_columns(columns: list[tuple[float, float]], body: list[_Row],
                  head: list[_Row]) -> list[tuple[float, float]]:
    """The value columns with those the fullest rows leave blank: a figure of another row, or
    a cell of the head's lowest level (at its foot, nothing under it), standing where no
    column is (a report that leaves cells empty: the 四 table's one row with five blanks).
    Heads count only where they stand over their figures; heads set left of figures set
    right (as a spreadsheet prints numbers) tell no column."""
    found = list(columns)

    def free(a: float, b: float) -> bool:
        return all(b <= x0 or a >= x1 for x0, x1 in found)

    middles = [(a + b) / 2 for a, b in columns]
    between = [(x + y) / 2 for x, y in zip(middles, middles[1:], strict=False)]
    for row in body:
        for run in row.values:
            if free(run.x0, run.x1) and not any(abs(run.centre - m) <= 2 for m in between):
                found.append((run.x0, run.x1))  # not a figure centred over two merged columns
    edge = columns[0][0] - 1
    cells = _blocks([r for row in head for r in row.runs if not _labelled(r, edge)])
    floor = max((_bottom(block) for block in cells), default=0.0)
    leaves = [(min(r.x0 for r in block), max(r.x1 for r in block)) for block in cells
              if floor - _bottom(block) <= 1.5 * block[0].size and not any(
                  _top(o) > _bottom(block) and min(r.x0 for r in o) < max(r.x1 for r in block)
                  and max(r.x1 for r in o) > min(r.x0 for r in block) for o in cells if o is not block)]
    headed = sum(1 for x0, x1 in found if any(a < x1 and b > x0 for a, b in leaves))
    if 2 * headed >= len(found):  # heads stand over their figures: a head with none is a blank column
        for a, b in leaves:
            if a > edge and free(a, b):
                found.append((a, b))
    return sorted(found)


def _side(body: list[_Row], columns: list[tuple[float, float]], heads: list[Run]) -> str:
    """How a table's figures sit in their cells: "left", "right" (as a spreadsheet sets
    numbers) or "centre", by which of their edges or middles line up best, column by column."""
    edges = _cell_edges(columns)
    votes: dict[str, int] = {}
    for j in range(len(columns)):
        runs = [r for row in body for r in row.values if _column_at(edges, r.centre) == j]
        if len({round(r.x1 - r.x0) for r in runs}) < 2:
            continue  # figures all as wide tell nothing
        spreads = {side: max(v) - min(v) for side, v in (
            ("left", [r.x0 for r in runs]), ("centre", [r.centre for r in runs]), ("right", [r.x1 for r in runs]))}
        side = min(spreads, key=spreads.__getitem__)
        votes[side] = votes.get(side, 0) + 1
    if not votes:  # figures all as wide (all 0): a head wholly in the gap left of its figures
        for j in range(1, len(columns) - 1):  # inner columns: the first has labels to its left
            (_, before), (a, b), (after, _) = columns[j - 1], columns[j], columns[j + 1]
            if any(before < r.x0 and r.x1 < a for r in heads):
                votes["right"] = votes.get("right", 0) + 1
            elif any(b < r.x0 and r.x1 < after for r in heads):
                votes["left"] = votes.get("left", 0) + 1
        if sum(votes.values()) * 2 < len(columns):
            return "centre"
    return max(votes, key=votes.__getitem__) if votes else "centre"


def _cell_edges(columns: list[tuple[float, float]], side: str = "centre") -> list[float]:
    """Where each value column's cells begin and end: just before its figures when they are
    set left, just after the figures left of it when set right, else midway between
    neighbouring columns' text; the outermost as far out as their neighbour's edge is in."""
    if side == "left":
        inner = [b[0] - 1 for b in columns[1:]]
    elif side == "right":
        inner = [a[1] + 1 for a in columns[:-1]]
    else:
        inner = [(a[1] + b[0]) / 2 for a, b in zip(columns, columns[1:], strict=False)]
    if not inner:
        a, b = columns[0]
        return [a - 2, b + 2]
    first = 2 * (columns[0][0] + columns[0][1]) / 2 - inner[0]
    last = 2 * (columns[-1][0] + columns[-1][1]) / 2 - inner[-1]
    if side == "right":  # the first cell is as wide as the next: figures set right leave its left
        first = inner[0] - (inner[1] - inner[0] if len(inner) > 1 else columns[0][1] - columns[0][0] + 4)
    elif side == "left":
        last = inner[-1] + (inner[-1] - inner[-2] if len(inner) > 1 else columns[-1][1] - columns[-1][0] + 4)
    return [min(first, columns[0][0]), *inner, max(last, columns[-1][1])]


def _column_at(xs: list[float], x: float) -> int:
    return max(0, min(len(xs) - 2, sum(1 for e in xs[1:-1] if e <= x)))


def _label(anchors: list[tuple[_Row, list[str]]], labels: list[Run], depth: int, sub,  # noqa: ANN001
           grid_rows: list, heads: list[float], widest: list[float]) -> None:
    """Each row of values gets its labels: in each sub-column, the cell whose block spans the
    row; a group label printed once beside several rows repeated into each row of its group.
    `heads`: the tops of head rows inside the table (a caption stands right above one);
    `widest`: each sub-column's widest label of its own (spanning none other)."""
    on_figures = {id(r) for row, _cells in anchors for r in row.runs}
    by_column: list[list[list[Run]]] = []
    for k in range(depth):
        by_column.append([piece for block in _blocks([r for r in labels if sub(r) == k])
                          for one in _one_row_each(block, on_figures, widest[k] if k < depth - 1 else None)
                          for piece in _caption_apart(one, on_figures, heads)])
    width = len(anchors[0][1])
    for block in by_column[-1] if depth > 1 else []:
        if not any(_top(block) - 1 <= row.middle <= _bottom(block) + 1 for row, _cells in anchors):
            _row_of_its_own(block, width, anchors, grid_rows)  # a row the report left blank
    anchors.sort(key=lambda anchor: anchor[0].middle)
    own: list[list[list[Run] | None]] = [[None] * depth for _ in anchors]
    for k, blocks in enumerate(by_column):
        for block in blocks:
            inside = [a for a, (row, _) in enumerate(anchors)
                      if _top(block) - 1 <= row.middle <= _bottom(block) + 1]
            if len(inside) == 1:
                own[inside[0]][k] = block
    deepest = [max([k for k in range(depth) if own[a][k] is not None], default=-1) for a in range(len(anchors))]
    for k in range(depth):
        group: list[int] = []  # rows under one group label; a row labelled at k or left of it ends one
        for a in range(len(anchors) + 1):
            if a == len(anchors) or 0 <= deepest[a] <= k:
                _fill_group(group, k, anchors, own, by_column[k])
                group = []
            else:
                group.append(a)
    for k, blocks in enumerate(by_column):
        taken = {id(o[k]) for o in own if o[k] is not None}
        for block in blocks:
            if id(block) not in taken:  # a label no row of figures took (第二十条第（五）项)
                _row_of_its_own(block, width, anchors, grid_rows)
                own.append([block if j == k else None for j in range(depth)])
    _mark_copies(anchors, own, grid_rows, depth)


def _row_of_its_own(block: list[Run], width: int, anchors: list, grid_rows: list) -> None:
    """A label with no figures beside it as a row of the table (kept, not lost)."""
    cells = [""] * width
    anchors.append((_Row([], block), cells))
    grid_rows.append(((_top(block) + _bottom(block)) / 2, cells, [False] * width))


def _one_row_each(block: list[Run], on_figures: set[int], widest: float | None = None) -> list[list[Run]]:
    """A block of label lines split so that no two rows of figures share it: rows set close
    (no padding in their cells) run their labels together into one block. Each line printed
    beside figures starts a label; a line between two of them goes with the nearer. But a
    numbered label wrapped in a narrow column beside several rows' figures is one group's label
    ((三) / 不予公 / 开): in a block that begins with a number, a line with no number of its own
    under a line as wide as the column's widest label (`widest`) goes on with the label above.
    In the last label column (`widest` None), whose labels are each a row's own, each number
    starts a label, beside figures or not (5.要求…重新出 / 具已获取信息 around its figures)."""
    if not _ITEM.match(block[0].text):
        return _at_marks(block, on_figures)
    starts = [i for i, r in enumerate(block) if i == 0 or _ITEM.match(r.text) or (
        widest is not None and block[i - 1].x1 - block[i - 1].x0 < widest - 1.2 * block[i - 1].size)]
    pieces: list[list[Run]] = []
    rest: list[Run] = []
    for a, b in zip(starts, [*starts[1:], len(block)], strict=True):
        label = block[a:b]
        if widest is None:  # a row's own labels: each number starts one
            pieces += _at_marks(label, on_figures)
        elif sum(id(r) in on_figures for r in label) >= 2:
            pieces += _at_marks(rest, on_figures) if rest else []
            pieces.append(label)
            rest = []
        else:
            rest += label
    return pieces + (_at_marks(rest, on_figures) if rest else [])


def _at_marks(block: list[Run], on_figures: set[int]) -> list[list[Run]]:
    """`block` split at each line printed beside figures, a line between two going with the nearer."""
    marks = [i for i, r in enumerate(block) if id(r) in on_figures]
    if len(marks) < 2:
        return [block]
    cuts = []
    for a, b in zip(marks, marks[1:], strict=False):
        cut = b
        for i in range(a + 1, b):
            if block[i].middle - block[a].middle > block[b].middle - block[i].middle:
                cut = i
                break
        cuts.append(cut)
    return [block[i:j] for i, j in zip([0, *cuts], [*cuts, len(block)], strict=True)]


def _caption_apart(block: list[Run], on_figures: set[int], heads: list[float]) -> list[list[Run]]:
    """A block's last line set right above a head row inside the table, below its row's
    figures, is a caption of its own (行政规范性文件 / 第二十条第（五）项 over 信息内容…, rows set
    close): a row's wrapped label ends before the next head begins."""
    last = block[-1]
    if len(block) < 2 or id(last) in on_figures or not any(id(r) in on_figures for r in block[:-1]):
        return [block]
    if any(0 <= top - last.bottom < _SAME_CELL * last.size * 2 for top in heads):
        return [block[:-1], [last]]
    return [block]


def _fill_group(group: list[int], k: int, anchors, own, blocks) -> None:  # noqa: ANN001
    """The rows of one group in sub-column k without a label there get the group label whose
    rows they are in. The group's labels split its rows into consecutive runs, one each, in
    order; the split chosen is the one where each label sits best on its rows: at their top
    (labels aligned to the top) or in their middle (centred), whichever fits the labels
    better. A row whose own line holds the label stays with it."""
    if not group or all(own[a][k] is not None for a in group):
        return
    size = anchors[group[0]][0].runs[0].size
    extents = [_extent(a, k, anchors, own) for a in group]
    top, bottom = extents[0][0], extents[-1][1]
    free = sorted((b for b in blocks if top - 2 * size <= (_top(b) + _bottom(b)) / 2 <= bottom + 2 * size
                   and not any(own[a][k] is b for a in range(len(anchors)) if a not in group)), key=_top)
    if not free:
        return
    pinned = {i: free.index(own[a][k]) for i, a in enumerate(group) if own[a][k] in free}
    best: tuple[float, list[int]] | None = None
    for place in (lambda b, t, e: abs(_top(b) - t),
                  lambda b, t, e: abs((_top(b) + _bottom(b)) / 2 - (t + e) / 2)):
        found = _partition(extents, free, pinned, place)
        if found is not None and (best is None or found[0] < best[0]):
            best = found
    if best is None:
        return
    for i, a in enumerate(group):
        if own[a][k] is None:
            own[a][k] = free[best[1][i]]


def _extent(a: int, k: int, anchors, own) -> tuple[float, float]:  # noqa: ANN001
    """How far a row reaches down the page: its figures and its labels right of column k."""
    row = anchors[a][0]
    tops, bottoms = [row.top], [row.bottom]
    for block in own[a][k + 1:]:
        if block is not None:
            tops.append(_top(block))
            bottoms.append(_bottom(block))
    return min(tops), max(bottoms)


def _partition(extents: list[tuple[float, float]], labels: list[list[Run]], pinned: dict[int, int],
               place) -> tuple[float, list[int]] | None:  # noqa: ANN001
    """The cheapest split of the rows into consecutive runs, label j over run j (each label
    over one run at least); `place(label, top, bottom)` the cost of a label over rows reaching
    from top to bottom. Returns (cost, label of each row)."""
    n, m = len(extents), len(labels)
    if m > n:
        return None
    inf = float("inf")
    cost = [[inf] * (n + 1) for _ in range(m + 1)]  # cost[j][i]: first j labels over first i rows
    back = [[0] * (n + 1) for _ in range(m + 1)]
    cost[0][0] = 0.0
    for j in range(1, m + 1):
        for i in range(j, n + 1):
            for start in range(j - 1, i):
                if cost[j - 1][start] == inf or any(pinned.get(r, j - 1) != j - 1 for r in range(start, i)):
                    continue
                c = cost[j - 1][start] + place(labels[j - 1], extents[start][0], extents[i - 1][1])
                if c < cost[j][i]:
                    cost[j][i], back[j][i] = c, start
    if cost[m][n] == inf:
        return None
    which, i = [0] * n, n
    for j in range(m, 0, -1):
        start = back[j][i]
        which[start:i] = [j - 1] * (i - start)
        i = start
    return cost[m][n], which


def _mark_copies(anchors, own, grid_rows, depth: int) -> None:  # noqa: ANN001
    """A group label repeated into its rows is printed once (the first row keeps it)."""
    seen: set[int] = set()
    for a, (_row, cells) in enumerate(anchors):
        copies = next(c for _m, g, c in grid_rows if g is cells)
        for k in range(depth):
            block = own[a][k]
            if block is None:
                continue
            cells[k] = _text(block)
            if id(block) in seen:
                copies[k] = True
            seen.add(id(block))
