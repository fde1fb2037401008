"""Positioned lines of printed pages (a PDF's text layer or OCR) → the text a reader sees.

Running headers, footers and page numbers are found by position and repetition across pages
and removed; lines are reflowed into paragraphs (a line ending short of the right margin or with
。；： ends one, so does an indented or differently sized next line); headings stay lines; tables
sit in reading order. Coordinates are top-down (y grows down the page), in any unit.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import statistics
from dataclasses import dataclass, field

from extract.ideographs import unify_ideographs
from extract.model import Grid

SENTENCE_END = "。；：！？;:!?"  # a line ending with one ends its paragraph
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’、]")
# how a report numbers its headings: 一、 and （一）
HEADING_MARK = r"[一二三四五六七八九十]{1,3}\s*[、.．]|[（(][一二三四五六七八九十]{1,3}[）)]"
_HEADING = re.compile(rf"^(?:{HEADING_MARK}|第[一二三四五六七八九十\d]{{1,3}}[章节部分]|附件\s*\d*[:：]?$|附表)")
# `- 2 -`, `— 2 —`, `第2页`, `第 2 页 共 5 页`, `2/5`, `2`, `Page 2 of 5`, `·2·`
PAGE_NUMBER = re.compile(
    r"^[\s\-—–_·•.]*(?:第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}|"
    r"\d{1,4}|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页)[\s\-—–_·•.]*$")
_SPACE = re.compile(r"[\s\u3000\xa0]+")
# A justified line's widened gaps come out as spaces: none between Chinese characters, Chinese
# punctuation (，：。《》…) and quotation marks next to them (`号 ， 邮编 ：` is `号，邮编：`).
_CJK_GAP = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’])"
                      r"|(?<=[“”‘’])\s+(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])")
# Word and WPS set a gap between Chinese and Latin letters or digits (autospace), which a PDF's
# text layer gives as a space: Chinese prose has none (`信息 729 条` is `信息729条`).
_AUTOSPACE = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])[ \t]+(?=[0-9A-Za-z%])"
                        r"|(?<=[0-9A-Za-z%])[ \t]+(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])")
_ZONE = 0.1  # the top and bottom tenth of a page is where running heads and page numbers sit


def clean(text: str) -> str:
    """One line of text: whitespace runs to one space, none between CJK characters nor
    between them and Latin letters or digits; look-alike ideographs unified."""
    return unify_ideographs(_AUTOSPACE.sub("", _CJK_GAP.sub("", _SPACE.sub(" ", text or "").strip())))


def table_lines(grid: Grid, copies: list[list[bool]] | None = None) -> list[str]:
    """A table as text, one line per row, as HTML prints it: a merged cell once. `copies`
    (from the table's rules) marks the slots that repeat one; without it a label equal to the
    slot above or to the left is taken as one, and every figure is kept."""
    if copies is not None and [len(row) for row in copies] != [len(row) for row in grid]:
        copies = None  # a grid reshaped since its rules were read
    out = []
    for r, row in enumerate(grid):
        cells = []
        for c, text in enumerate(row):
            if not text:
                continue
            if copies is not None:
                if not copies[r][c]:
                    cells.append(text)
                continue
            copy = (c > 0 and row[c - 1] == text) or (r > 0 and c < len(grid[r - 1])
                                                      and grid[r - 1][c] == text)
            if not copy or re.fullmatch(r"[\d.,+\-/—%]+", text):
                cells.append(text)
        if cells:
            out.append("\t".join(cells))
    return out


@dataclass(frozen=True)
class Line:
    """One printed line: its box (top-down), text, character size and OCR confidence; `turn`:
    a line read along another direction than across the page (extract/turned.py), a block of
    its own that no line across the page joins. `glyphs`: each printed character's left and
    right edge, where the text layer gives them (extract/stream.py splits a line into cells
    by its gaps; a text layer may join the texts of two cells printed without rules)."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    size: float
    confidence: float | None = None
    turn: int = 0
    glyphs: tuple[tuple[float, float, str], ...] = ()


@dataclass(frozen=True)
class PlacedTable:
    """A table on a page: its box, grid, and per-slot OCR confidence (None: text layer)."""

    top: float
    bottom: float
    grid: Grid
    confidence: list[list[float | None]] | None = None
    xs: list[float] | None = None  # column boundaries, to join a table broken by a page break
    copies: list[list[bool]] | None = None  # slots repeating a merged cell (None: not known)
    # a table read from where its text sits (extract/stream.py): how many label columns lead;
    # its xs are then where its columns line up, not rules
    labels: int | None = None
    # (top, foot), each column's: the page's edge cut the table there, its cell running on
    # from the page before or on to the next (Lattice.cut)
    cut: tuple[tuple[bool, ...], tuple[bool, ...]] = ((), ())


def join_tables(a: PlacedTable, b: PlacedTable) -> PlacedTable | None:
    """The two pieces of a table a page break split (same outer edges), as one table; the
    columns are the union of both pieces' boundaries, a wider cell copied into each."""
    if a.labels is not None or b.labels is not None:
        a, b = _lined_up(a, b)  # type: ignore[assignment]
        if a is None:
            return None
    if not a.xs or not b.xs or abs(a.xs[0] - b.xs[0]) > 3 or abs(a.xs[-1] - b.xs[-1]) > 3:
        return None
    xs: list[float] = []
    for x in sorted(a.xs + b.xs):
        if not xs or x - xs[-1] > 3:
            xs.append(x)

    def spread(t: PlacedTable) -> tuple[Grid, list, list, tuple]:
        cols = [max(0, min(len(t.xs) - 2, sum(1 for e in t.xs if e <= (lo + hi) / 2) - 1))  # type: ignore[arg-type]
                for lo, hi in zip(xs, xs[1:], strict=False)]
        conf = t.confidence or [[None] * len(row) for row in t.grid]
        copies = t.copies or [[False] * len(row) for row in t.grid]  # a wider cell spread is one
        cut = tuple(tuple(bool(edge) and edge[c] for c in cols) for edge in t.cut)
        return ([[row[c] for c in cols] for row in t.grid], [[row[c] for c in cols] for row in conf],
                [[row[c] or (i > 0 and c == cols[i - 1]) for i, c in enumerate(cols)] for row in copies], cut)

    (ga, ca, pa, cut_a), (gb, cb, pb, cut_b) = spread(a), spread(b)
    head = _repeated_head(ga, gb)
    gb, cb, pb = gb[head:], cb[head:], pb[head:]
    across = [foot and top for foot, top in zip(cut_a[1], cut_b[0], strict=True)] if ga and gb and not head else []
    if any(across):
        # the page's margins cut cells at the break in two (wkhtmltopdf draws the table whole
        # on each page): each one cell, its text joined; where they cut every column, the
        # row at the break is one row, and none where nothing of its own is left
        strip = all(across) and _cut_strip(ga, pa, gb, pb)
        _join_cut_cells(ga, pa, gb, pb, across)
        if all(across):
            gb, cb, pb = gb[1:], cb[1:], pb[1:]
        if strip:
            ga, ca, pa = ga[:-1], ca[:-1], pa[:-1]
    elif ga and gb:
        # a group's label merged down across the break, printed in part on each page
        # ((五）不予处 at the foot, 理 beside the group's next items): one cell, its text joined
        _join_cut_cells(ga, pa, gb, pb, _group_goes_on(ga[-1], gb[0], pb[0]))
    wide = _wide(ga[-1], pa[-1] if a.copies is not None else None, ga[-2] if len(ga) > 1 else None) if ga else []
    cut = _cut_head_cells(ga[-1], gb[0], pb[0], wide) if ga and gb else []
    for c in cut:  # the rest of a head cell cut at the page's foot, beside the head's next level
        ga[-1][c] = gb[0][c] = ga[-1][c] + gb[0][c]
        pb[0][c] = True
    if ga and gb and (_row_continues(ga[-1], gb[0]) or _head_continues(ga[-1], gb[0], pb[0], wide)
                      or _label_follows(ga[-1], pa[-1], gb[0], pb[0])) \
            and not _recurs(gb[0], ga + gb[1:]):
        # a row broken across the page (Word's default); a cell merged down from it goes on
        # below with the text joined (（六）其 / 他处理 over the rows after)
        joined = [x + (y if not copy else "") for x, y, copy in zip(ga[-1], gb[0], pb[0], strict=True)]
        for c, (y, copy) in enumerate(zip(gb[0], pb[0], strict=True)):
            for r in range(1, len(gb)):
                if not y or copy or not pb[r][c] or gb[r][c] != y:
                    break
                gb[r][c] = joined[c]
        ga[-1] = joined
        gb, cb, pb = gb[1:], cb[1:], pb[1:]
    if ga and not any(across):  # (cells cut across the break are joined already)
        _carry_merged_labels(ga[-1], ca[-1], gb, cb, pb)
    both_ocr = a.confidence is not None or b.confidence is not None
    known = a.copies is not None and b.copies is not None
    return PlacedTable(a.top, b.bottom, ga + gb, ca + cb if both_ocr else None, xs, pa + pb if known else None,
                       cut=(cut_a[0], cut_b[1]))


def _lined_up(a: PlacedTable, b: PlacedTable) -> tuple[PlacedTable | None, PlacedTable | None]:
    """Two pieces of a table read from text, given the same columns, or (None, None) when
    their figures do not line up. A piece may show fewer label columns (only the labels that
    span them, or only the row labels): each of its labels goes to the deeper piece's label
    column nearest it, copied right up to the next."""
    if a.labels is None or b.labels is None or not a.xs or not b.xs:
        return None, None
    va, vb = a.xs[a.labels:-1], b.xs[b.labels:-1]  # the last is no column's: it closes the table
    if len(va) != len(vb) or any(abs(x - y) > 3 for x, y in zip(va, vb, strict=True)):
        return None, None
    deep = a if a.labels >= b.labels else b

    def widen(t: PlacedTable) -> PlacedTable:
        if t is deep:
            return t
        n = deep.labels or 0
        slots = [min(range(n), key=lambda k: abs(deep.xs[k] - x)) for x in t.xs[:t.labels]]  # type: ignore[index]
        copies = t.copies or [[False] * len(row) for row in t.grid]
        grid, marks = [], []
        for row, copy in zip(t.grid, copies, strict=True):
            labels, flags = [""] * n, [False] * n
            for i, slot in enumerate(slots):
                end = slots[i + 1] if i + 1 < len(slots) else n
                for k in range(slot, max(end, slot + 1)):
                    labels[k], flags[k] = row[i], copy[i] or k > slot
            grid.append(labels + row[t.labels:])
            marks.append(flags + copy[t.labels:])
        return PlacedTable(t.top, t.bottom, grid, None, deep.xs, marks, n)

    return widen(a), widen(b)


_FIGURE = re.compile(r"[\d.,%\-—/]+")
_ITEM_MARK = re.compile(r"^(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}\s*[.．、])")


def _cut_strip(ga: Grid, pa: list[list[bool]], gb: Grid, pb: list[list[bool]]) -> bool:
    """The row the page's margins cut in two holds nothing of its own (a strip of the row the
    margin hides): the first piece's last row holds only cells merged down into it, the
    second's first row only cells that go on down, and neither holds a figure."""
    if len(ga) < 2 or len(gb) < 2:
        return False
    last, first = ga[-1], gb[0]
    if any(_FIGURE.fullmatch(x) for x in last + first if x):
        return False
    return all(not x or pa[-1][c] for c, x in enumerate(last)) and \
        all(not x or (c > 0 and first[c - 1] == x) or (pb[1][c] and gb[1][c] == x) for c, x in enumerate(first))


def _join_cut_cells(ga: Grid, pa: list[list[bool]], gb: Grid, pb: list[list[bool]], across: list[bool]) -> None:
    """Each cell the page's margins cut in two (`across`: its column) as one cell: its text
    joined (自然 / 人; （三）不 / 予公开, centred in a cell merged down across the break) in each
    of its slots on both pages."""
    for c, (above, below) in enumerate(zip(ga[-1], gb[0], strict=True)):
        if across[c] and c > 0 and pb[0][c] and pa[-1][c]:  # one cell across columns on both pages
            ga[-1][c], gb[0][c] = ga[-1][c - 1], gb[0][c - 1]
            continue
        if not across[c] or pb[0][c]:
            continue
        joined = above + below if above != below else below  # (the cell's text all above: copied down)
        r = len(ga) - 1
        while r >= 0 and ga[r][c] == above:
            ga[r][c] = joined
            if not pa[r][c]:
                break
            r -= 1
        r = 0
        while r < len(gb) and gb[r][c] == below and (r == 0 or pb[r][c]):
            gb[r][c] = joined
            r += 1
        pb[0][c] = True  # the cell goes on from the page before


def _carry_merged_labels(last: list[str], last_conf: list, rows: Grid, conf: list,
                         copies: list[list[bool]]) -> None:
    """A label cell merged down across the page break (`（六）其他处理` over rows on both pages)
    prints its text on the first page only: its blank top on the next page is that label,
    down to the first row with something of its own in that column."""
    for c, label in enumerate(last):
        if not label or _FIGURE.fullmatch(label):
            continue
        for r, row in enumerate(rows):
            if row[c] or not any(x and not _FIGURE.fullmatch(x) for x in row[c + 1:]):
                break
            row[c], conf[r][c], copies[r][c] = label, last_conf[c], True


def _repeated_head(a: Grid, b: Grid) -> int:
    """How many rows of the head the piece after a page break repeats (Word's 重复标题行):
    its first rows as the table's first rows, text without figures (four cells in five the
    same, for OCR's misreads)."""
    n = 0
    while n < min(len(a), len(b) - 1):
        above, below = a[n], b[n]
        if any(_FIGURE.fullmatch(x) for x in above if x):
            break
        filled = [(x, y) for x, y in zip(above, below, strict=True) if x or y]
        if not filled or sum(x == y for x, y in filled) < 0.8 * len(filled):
            break
        n += 1
    return n


def _row_continues(last: list[str], first: list[str]) -> bool:
    """The first row after a page break is the rest of the row before it: that row holds
    figures (a data row, not a heading row the table's head goes on from), and this one has
    text only under the labels it continues (no figure of its own, none where that row has
    one), and does not start an item (`3.`, `（二）`, `二、`)."""
    if not any(first) or not any(_FIGURE.fullmatch(x) for x in last if x):
        return False
    for above, below in zip(last, first, strict=True):
        if below and (not above or _FIGURE.fullmatch(above) or _FIGURE.fullmatch(below)
                      or _ITEM_MARK.match(below)):
            return False
    return True


_ITEM_NUMBER = re.compile(r"^([（(]?)([一二三四五六七八九十]{1,3}|\d{1,2})([）)]?\s*[、.．]?)")
_CHINESE_DIGITS = "一二三四五六七八九"


def _item_number(text: str) -> tuple[str, int] | None:
    """An item's number and how it is written (`2.` → ('#.', 2), `（十二）` → ('（一）', 12));
    None for no item, or a numeral that is none (十十)."""
    m = _ITEM_NUMBER.match(text)
    if not m or not _ITEM_MARK.match(text):
        return None
    digits = m.group(2)
    if digits.isdigit():
        return m.group(1) + "#" + m.group(3), int(digits)
    tens, ten, ones = digits.rpartition("十")
    if (tens and tens not in _CHINESE_DIGITS) or (ones and ones not in _CHINESE_DIGITS) or len(ones) > 1 \
            or (not ten and len(digits) > 1):
        return None
    n = ((_CHINESE_DIGITS.index(tens) + 1 if tens else 1) * 10 if ten else 0) + \
        (_CHINESE_DIGITS.index(ones) + 1 if ones else 0)
    return m.group(1) + "一" + m.group(3), n


def _group_goes_on(last: list[str], first: list[str], first_copies: list[bool]) -> list[bool]:
    """Columns where the first row after a page break holds the rest of a group's label cut by
    the break: the row before holds a label there, this one text that starts no item, and the
    items beside it go on counting (1.信访… before the break, 2.重复申请 after): the same group,
    so one cell. A label beside items that begin again (1.) is a group of its own."""
    goes_on = [False] * len(first)
    for c in range(len(first) - 1):
        above, below = last[c], first[c]
        if not above or not below or above == below or first_copies[c] or _FIGURE.fullmatch(above) \
                or _FIGURE.fullmatch(below) or _ITEM_MARK.match(below):
            continue
        before, after = _item_number(last[c + 1]), _item_number(first[c + 1])
        goes_on[c] = bool(before and after and before[0] == after[0] and after[1] == before[1] + 1)
    return goes_on


def _label_follows(last: list[str], last_copies: list[bool], first: list[str], first_copies: list[bool]) -> bool:
    """The first row after a page break holds the label of the row before it, whose figures
    the page before holds (WeasyPrint moves a label that does not fit whole to the next page
    and sets the row's figures in what is left): that row holds figures and no text of its
    own besides, and this one holds no figure and text only where that row has none."""
    if not any(_FIGURE.fullmatch(x) for x in last if x):
        return False
    own = [c for c, x in enumerate(first) if x and not first_copies[c]]
    return bool(own) and not any(_FIGURE.fullmatch(first[c]) or last[c] for c in own) and \
        not any(x and not last_copies[c] and not _FIGURE.fullmatch(x) for c, x in enumerate(last))


def _head_continues(last: list[str], first: list[str], copies: list[bool], wide: list[bool]) -> bool:
    """The first row after a page break is the rest of a head row broken across it (商业 /
    企业): neither holds a figure, and this one's own text stands only under cells of that row
    one column wide, none starting an item. (A head's next level stands under a cell merged
    across its columns.)"""
    own = _own(first, copies)
    return bool(own) and _narrow_under(last, first, own, wide) == own


def _cut_head_cells(last: list[str], first: list[str], copies: list[bool], wide: list[bool]) -> list[int]:
    """The columns where the first row after a page break holds the rest of a head cell one
    column wide (自然 / 人, a cell spanning two head rows cut at the page's foot) while its other
    text is the head's next level, under cells merged across columns (商业企业 under 法人或其他
    组织)."""
    own = _own(first, copies)
    narrow = _narrow_under(last, first, own, wide)
    return narrow if narrow and len(narrow) < len(own) and all(wide[c] for c in own if c not in narrow) else []


def _own(row: list[str], copies: list[bool]) -> list[int]:
    return [c for c, (x, copy) in enumerate(zip(row, copies, strict=True)) if x and not copy]


def _wide(row: list[str], copies: list[bool] | None, above: list[str] | None) -> list[bool]:
    """Which cells of the row are merged across columns: the same text beside it, the right
    one a copy where the table says which slots are, and not of the cell above it (two cells
    both 结果, each merged down from the row above, are two cells)."""
    def pair(a: int, b: int) -> bool:
        return bool(row[a]) and row[a] == row[b] and (copies is None or (copies[b] and (above is None or above[b] != row[b])))

    return [(c > 0 and pair(c - 1, c)) or (c + 1 < len(row) and pair(c, c + 1)) for c in range(len(row))]


def _narrow_under(last: list[str], first: list[str], own: list[int], wide: list[bool]) -> list[int]:
    """Of the columns `own`, those where `first` holds no figure nor an item's start under a
    cell of `last` one column wide (neither row holding a figure)."""
    if any(_FIGURE.fullmatch(x) for x in last + first if x):
        return []
    return [c for c in own if last[c] and not wide[c] and not _ITEM_MARK.match(first[c])]


def _pattern(row: list[str]) -> tuple[str, ...]:
    """A row's text with its numbering masked (第二十条第（五）项 → 第#条第#项)."""
    return tuple(re.sub(r"[（(]?[一二三四五六七八九十\d]+[)）]?", "#", x) for x in row)


def _recurs(row: list[str], rows: Grid) -> bool:
    """Another row of the table reads like this one but for its numbering: a caption the
    table repeats (第二十条第（八）项 after 第二十条第（六）项), not the end of a broken row."""
    mine = _pattern(row)
    return any(len(other) == len(row) and _pattern(other) == mine for other in rows)


@dataclass
class PrintedPage:
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[PlacedTable] = field(default_factory=list)
    layer: str = ""  # the characters of its text layer, each once ("" when read by OCR)
    seals: int = 0  # seals whose red ink was taken out before OCR (extract/figures.py without_seals)


@dataclass
class Flow:
    """The document in reading order: ("title"|"h"|"p", text) and ("table", PlacedTable)."""

    blocks: list[tuple[str, object]]
    removed: dict[str, list[str]]
    confidence: dict[str, float] = field(default_factory=dict)  # OCR'd text → lowest line score


def rows_of(lines: list[Line]) -> list[Line]:
    """Pieces sharing a baseline band → one line each (a PDF or OCR may split a printed line)."""
    out: list[Line] = []
    for line in sorted(lines, key=lambda s: (round(s.top), s.x0)):
        prev = out[-1] if out else None
        mid = (line.top + line.bottom) / 2
        if prev is not None and prev.top <= mid <= prev.bottom and line.x0 >= prev.x1 - prev.size \
                and not prev.turn and not line.turn:
            gap = line.x0 - prev.x1
            sep = " " if gap > prev.size * 1.5 or not (_cjk_end(prev.text) or _cjk_start(line.text)) else ""
            confs = [c for c in (prev.confidence, line.confidence) if c is not None]
            out[-1] = Line(prev.x0, min(prev.top, line.top), line.x1, max(prev.bottom, line.bottom),
                           prev.text + sep + line.text, max(prev.size, line.size),
                           min(confs) if confs else None)
        else:
            out.append(line)
    return out


def _cjk_end(text: str) -> bool:
    return bool(text) and bool(_CJK.match(text[-1]))


def _cjk_start(text: str) -> bool:
    return bool(text) and bool(_CJK.match(text[0]))


def _norm(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def strip_running(pages: list[PrintedPage], removed: dict[str, list[str]]) -> None:
    """Drop page numbers and lines repeated at the same place in the top/bottom zone of pages."""
    def zone(page: PrintedPage, line: Line) -> bool:
        return line.bottom <= page.height * _ZONE or line.top >= page.height * (1 - _ZONE)

    counts: dict[str, int] = {}
    for page in pages:
        for key in {_norm(s.text) for s in page.lines if zone(page, s)}:
            counts[key] = counts.get(key, 0) + 1
    need = max(2, (len(pages) + 1) // 2)
    # A running head that repeats the title is one on page 2 already (short documents)
    head = "".join(_norm(s.text) for s in pages[0].lines if s.top < pages[0].height * 0.3) \
        if pages else ""
    body_size = statistics.median([s.size for p in pages for s in p.lines] or [1.0])
    top = body_top(pages)
    for number, page in enumerate(pages):
        kept = []
        # only the outermost lines of a page can be page numbers (a table's last row is not)
        edge = [s for s in page.lines if zone(page, s)]
        for line in page.lines:
            if line in edge and PAGE_NUMBER.match(line.text):
                removed.setdefault("page_number", []).append(line.text)
            elif line in edge and len(pages) > 1 and (counts.get(_norm(line.text), 0) >= need or (
                    number > 0 and (_norm(line.text) in head or _small_head(line, page, body_size, top)
                                     or _title_echo(line, page, head)))):
                removed.setdefault("running_header", []).append(line.text)
            else:
                kept.append(line)
        page.lines = kept


def _topmost(line: Line, page: PrintedPage) -> bool:
    first = min((s.top for s in page.lines if s is not line), default=page.height)
    return line.bottom < min([first, *(t.top for t in page.tables)])


def _title_echo(line: Line, page: PrintedPage, head: str) -> bool:
    """The topmost line of a later page, not a sentence, printing (nearly) the title of page 1
    (`…2016年政府信息公开…` over a title `…2016年度政府信息公开…`): a running head."""
    text = _norm(line.text)
    if len(text) < 6 or not head or re.search("[。；，]", text) or not _topmost(line, page):
        return False
    blocks = difflib.SequenceMatcher(None, text, head, autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks) >= 0.85 * len(text)


def body_top(pages: list[PrintedPage]) -> float | None:
    """Where the pages begin their text, below any running head: over the pages, the median
    top of the first line or table not set apart from what follows by more than a line of its
    type, taken from the pages that begin with such a line when any do (a line set apart at a
    page's top may be a running head, or the end of a row broken across the page). A head
    stands above it, in the margin; a table's head at the top of a page does not."""
    tops, plain = [], []  # plain: pages whose first line is not set apart, so begins their text
    for page in pages:
        items = sorted([(s.top, s.bottom, s.size) for s in page.lines] + [(t.top, t.bottom, 0.0) for t in page.tables])
        if not items:
            continue
        top, bottom, size = items[0]
        below = min((t for t, _b, _s in items if t >= bottom), default=None)
        apart = bool(size) and below is not None and below - bottom > size
        tops.append(below if apart else top)
        if not apart:
            plain.append(top)
    return statistics.median(plain or tops) if tops else None


def _small_head(line: Line, page: PrintedPage, body_size: float, top: float | None) -> bool:
    """A line above everything else of a later page, in a smaller type, not a sentence, set
    apart from what follows by more than a line of its type and standing above where pages
    begin their text (`top`, body_top): the running head of a document too short to show it
    repeated. A table's head at the top of a page is none."""
    first = min((s.top for s in page.lines if s is not line), default=page.height)
    first = min([first, *(t.top for t in page.tables)])
    return in_head_margin(line.top, line.bottom, line.size, first, top) and line.size < 0.85 * body_size \
        and not re.search("[。；，]", line.text)


def in_head_margin(top: float, bottom: float, size: float, following: float | None,
                   body: float | None) -> bool:
    """A line at the top of a page stands where a running head does: set apart from what
    follows it (`following`: its top; None, nothing) by more than a line of its type, and
    above where the pages begin their text (`body`, body_top)."""
    return (following is None or following - bottom > size) and (body is None or top < body - 0.5 * size)


def _margins(pages: list[PrintedPage]) -> tuple[float, float]:
    """(left, right) body margins: the common start and the far end of long lines."""
    lines = [s for p in pages for s in p.lines if len(s.text) >= 8 and not s.turn]
    if not lines:
        return 0.0, max((p.width for p in pages), default=0.0)
    lefts = sorted(round(s.x0) for s in lines)
    left = statistics.median_low(lefts[: max(1, len(lefts) // 2)])
    rights = sorted(s.x1 for s in lines)
    right = rights[int(len(rights) * 0.9) - 1 if len(rights) > 1 else 0]
    return float(left), right


def _wrapped_word(a: Line, b: Line, right: float) -> bool:
    """b starts with a run of Latin letters or digits, with any punctuation no line may start
    with after it, too long for the room a left (as printed, or a Latin character taken as
    half as wide as a CJK one; a tenth of a character to spare): the run was pushed down
    whole (0564-82626913, 2023年 after 统计期限自, 50.0%； after 占), so a ended short without
    ending a paragraph."""
    run = re.match(r"([A-Za-z0-9.\-/@:_%]+)([" + _NO_LINE_START + "]*)", b.text)
    if not run:
        return False
    latin, after = run.groups()
    glyphs = sorted(g for g in b.glyphs if not g[2].isspace())
    if len(glyphs) >= run.end():  # as printed
        width = glyphs[run.end() - 1][1] - glyphs[0][0]
    else:
        width = a.size * (0.5 * len(latin) + sum(0.5 if c == "%" else 1.0 for c in after))
    return a.x1 + width > right - 0.1 * a.size


def _joins(a: Line, b: Line, left: float, right: float, gap: float, paragraph: str) -> bool:
    """Does line b continue the paragraph (so far `paragraph`) whose last line is a?"""
    size = max(a.size, 1.0)
    if _HEADING.match(b.text) or gap > 1.2 * size or not a.text or a.turn or b.turn:
        return False
    tail = a.text  # an open bracket on the last line: the paragraph runs on
    opened = tail.count("（") + tail.count("(") > tail.count("）") + tail.count(")") and \
        paragraph.count("（") + paragraph.count("(") > paragraph.count("）") + paragraph.count(")")
    if opened or _wrapped_word(a, b, right):  # a bracket or a long number runs on
        return b.x0 <= left + 1.2 * size
    if a.text[-1] in SENTENCE_END:
        return False
    if a.x1 < right - 1.6 * size and not (a.x1 >= right - 3.2 * size and _pushed_down(b.text)):
        return False  # ended short of the margin, and not because its last word was pushed down
    ocr = a.confidence is not None  # OCR box heights vary with the glyphs: no size evidence
    if _HEADING.match(b.text) or (not ocr and abs(a.size - b.size) > 0.2 * size):
        return False
    if b.x0 > left + 1.2 * size:  # an indented first line starts a new paragraph
        return False
    return gap <= 1.2 * size


# Punctuation no line may start with (Chinese line breaking, 禁则): the character before it is
# carried down with it, and the line above ends a character or two short of the margin.
_NO_LINE_START = "，。、；：！？）》」』”’%"


def _pushed_down(text: str) -> bool:
    return len(text) >= 2 and text[1] in _NO_LINE_START


def _join(text: str, more: str) -> str:
    """Lines of a Chinese paragraph join with no space: CJK typesetting breaks lines anywhere,
    inside a Latin word or a number too; Latin text keeps a space between words."""
    if _cjk_end(text) or _cjk_start(more) or text.endswith("-") or _CJK.search(text[-30:]):
        return text + more
    return text + " " + more


def _centred(line: Line, page: PrintedPage, left: float, right: float) -> bool:
    """Set in the middle: room on both sides, about as much left as right."""
    before, after = line.x0 - left, right - line.x1
    return before > 1.5 * line.size and after > 1.5 * line.size and \
        abs(before - after) < 2 * line.size


def _runs_on(a: Line, b: Line | None, left: float, right: float) -> bool:
    """a ends where line breaking ended it: b, back at the left margin, starts with what was
    pushed down from a (a character with punctuation no line may start with, or a long Latin
    run). A paragraph's indented first line ending a character short so sits in the middle."""
    return b is not None and b.x0 <= left + 1.2 * a.size and a.x1 >= right - 3.2 * a.size and \
        abs(a.size - b.size) <= 0.2 * a.size and (_pushed_down(b.text) or _wrapped_word(a, b, right))


def _sideways(page: PrintedPage) -> bool:
    """Every line of the page turned the same way, and no table: the reader turns the page and
    reads the lines in the order they are given (extract/turned.py), not top to bottom."""
    return bool(page.lines) and not page.tables and page.lines[0].turn != 0 and \
        all(s.turn == page.lines[0].turn for s in page.lines)


def _reading_order(page: PrintedPage) -> list[tuple[float, int, object]]:
    """A page's lines and tables top to bottom; a page printed sideways as it is read."""
    if _sideways(page):
        return [(s.top, 0, s) for s in page.lines]
    items: list[tuple[float, int, object]] = [(s.top, 0, s) for s in page.lines]
    items += [(t.top, 1, t) for t in page.tables]
    return sorted(items, key=lambda i: (i[0], i[1]))


def _table_first(order: list[tuple[float, int, object]], page: PrintedPage,
                 blocks: list[tuple[str, object]]) -> list[tuple[float, int, object]]:
    """A page's items with the rest of the table read from text that the page before ended
    with first, ahead of lines in the page's top zone that were not found to run (a running
    head on this page only, no heading): the table is joined, the lines follow it."""
    k = 0
    while k < len(order) and order[k][1] != 1 and order[k][2].bottom <= page.height * _ZONE \
            and not _HEADING.match(order[k][2].text):  # type: ignore[attr-defined]
        k += 1
    if 0 < k < len(order) and order[k][1] == 1 and order[k][2].labels is not None \
            and blocks and blocks[-1][0] == "table" \
            and join_tables(blocks[-1][1], order[k][2]) is not None:  # type: ignore[arg-type,attr-defined]
        return [order[k], *order[:k], *order[k + 1:]]
    return order


def reflow(pages: list[PrintedPage]) -> Flow:
    """Pages → paragraphs, headings and tables in reading order, running lines removed."""
    removed: dict[str, list[str]] = {}
    for page in pages:
        page.lines = page.lines if _sideways(page) else rows_of(page.lines)
    strip_running(pages, removed)
    left, right = _margins(pages)
    blocks: list[tuple[str, object]] = []
    current: Line | None = None  # the last line of the open paragraph
    text = ""
    confidence: dict[str, float] = {}
    scores: list[float] = []
    body_size = statistics.median([s.size for p in pages for s in p.lines] or [1.0])

    def emit(kind: str, line_text: str, line_scores: list[float]) -> None:
        blocks.append((kind, line_text))
        if line_scores:
            confidence[line_text] = min(line_scores + [confidence.get(line_text, 1.0)])

    def close() -> None:
        nonlocal current, text, scores
        if current is not None and text:
            heading = bool(_HEADING.match(text)) and len(text) <= 40
            emit("h" if heading else "p", text, scores)
        current, text, scores = None, "", []

    for page in pages:
        prev_bottom = None
        order = _table_first(_reading_order(page), page, blocks)
        for n, (_top, kind, item) in enumerate(order):
            if kind == 1:
                close()
                joined = join_tables(blocks[-1][1], item) if n == 0 and blocks and \
                    blocks[-1][0] == "table" else None  # type: ignore[arg-type]
                if joined is not None:
                    blocks[-1] = ("table", joined)
                else:
                    blocks.append(("table", item))
                prev_bottom = None
                continue
            line: Line = item  # type: ignore[assignment]
            following = order[n + 1][2] if n + 1 < len(order) and order[n + 1][1] == 0 else None
            centred = _centred(line, page, left, right) and not _runs_on(line, following, left, right)
            # a page break is no gap: the paragraph may go on at the next page's first line
            gap = 0.0 if prev_bottom is None else line.top - prev_bottom
            if current is not None and _joins(current, line, left, right, gap, text) \
                    and not centred:
                text = _join(text, line.text)
                current = line
            else:
                close()
                if centred or line.size > body_size * 1.3:
                    emit("title" if centred else "h", line.text,
                         [] if line.confidence is None else [line.confidence])
                    prev_bottom = line.bottom
                    continue
                current, text = line, line.text
            if line.confidence is not None:
                scores.append(line.confidence)
            prev_bottom = line.bottom
    close()
    blocks = [("table", _hollow_rows_out(item)) if kind == "table" else (kind, item)  # type: ignore[arg-type]
              for kind, item in blocks]
    return Flow(blocks, removed, confidence)


def _hollow_rows_out(table: PlacedTable) -> PlacedTable:
    """The table without rows holding nothing of their own: every slot blank or the cell above
    it merged down. A reader sees no row there; wkhtmltopdf leaves one where it draws a row's
    borders again under the row it moved to the next page (a figure cell merged down into it,
    read as a figure without a label)."""
    if table.copies is None:
        return table
    keep = [r for r, row in enumerate(table.grid)
            if r == 0 or any(x and not (table.copies[r][c] and x == table.grid[r - 1][c]) for c, x in enumerate(row))]
    if len(keep) == len(table.grid):
        return table
    return dataclasses.replace(table, grid=[table.grid[r] for r in keep], copies=[table.copies[r] for r in keep],
                               confidence=None if table.confidence is None else [table.confidence[r] for r in keep])
