"""HTML tables → grids of cell texts, with rowspan/colspan expanded."""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from extract.ideographs import unify_ideographs
from extract.model import Grid

_SPACE = re.compile(r"[\s\u3000\xa0]+")
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff\uff08\uff09（）、])\s+(?=[\u4e00-\u9fff\uff08\uff09（）、])")
# XPath string() (what text_content() runs) is the same text as "".join(itertext()), comments
# and PIs left out both ways, in about half the time.
_STRING = etree.XPath("string()", smart_strings=False)
_SPAN_VALUE = re.compile(r"\s*(\d{1,6})")
_MAX_COLSPAN = 100  # as trafilatura caps spans: a malformed span must not allocate a huge grid
_MAX_CELLS = 200_000  # a hostile table is cut here, not allowed to exhaust memory


def cell_text(cell: lxml_html.HtmlElement) -> str:
    """A cell's visible text; Word pastes split labels over <p>/<br>, so CJK gaps are closed."""
    return clean_cell_text(_STRING(cell))


def string_value(el: lxml_html.HtmlElement) -> str:
    """el.text_content(): the element's text with its descendants', comments left out."""
    return _STRING(el)


def clean_cell_text(raw: str) -> str:
    """`cell_text` of a cell whose string_value is `raw`."""
    text = unify_ideographs(_SPACE.sub(" ", raw).strip())
    return _CJK_GAP.sub("", text) if " " in text else text  # _SPACE left no other whitespace


def _span(cell: lxml_html.HtmlElement, name: str, limit: int) -> int:
    value = cell.get(name)
    if value is None:  # most cells span nothing
        return 1
    match = _SPAN_VALUE.match(value)
    return max(1, min(int(match.group(1)), limit)) if match else 1


def _own_rows(table: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """Rows of this table only, not of tables nested inside its cells."""
    return [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]


def table_grid(table: lxml_html.HtmlElement, texts: dict | None = None) -> Grid:
    """Expand a <table> into rows of equal length, copying spanned text into every slot.

    `texts` may map cells to their `cell_text` already computed (by the caller, this call)."""
    grid: list[list[str | None]] = []
    rows = _own_rows(table)
    cells = 0
    for r, tr in enumerate(rows):
        while len(grid) <= r:
            grid.append([])
        row = grid[r]
        c = 0
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                continue
            while c < len(row) and row[c] is not None:
                c += 1
            text = texts[cell] if texts is not None and cell in texts else cell_text(cell)
            # rowspan never reaches past the table's last row
            rowspan, colspan = _span(cell, "rowspan", len(rows) - r), _span(cell, "colspan", _MAX_COLSPAN)
            cells += rowspan * colspan
            if cells > _MAX_CELLS:
                break
            if rowspan == colspan == 1:  # most cells: one slot, free (the loop above found it)
                if c == len(row):
                    row.append(text)
                else:
                    row[c] = text
                c += 1
                continue
            for dr in range(rowspan):
                while len(grid) <= r + dr:
                    grid.append([])
                target = grid[r + dr]
                while len(target) < c + colspan:
                    target.append(None)
                for dc in range(colspan):
                    if target[c + dc] is None:
                        target[c + dc] = text
            c += colspan
    width = max((len(row) for row in grid), default=0)
    return [[cell if cell is not None else "" for cell in row] + [""] * (width - len(row))
            for row in grid if row]


def grids_from_html(fragment: str | bytes) -> list[Grid]:
    """Every table in an HTML document or fragment, outermost first."""
    root = lxml_html.fromstring(fragment)
    return [table_grid(t) for t in root.iter("table")]
