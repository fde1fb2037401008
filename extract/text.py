"""A content subtree → blocks (paragraphs, headings, tables) in reading order, and back to text.

We walk the lxml tree ourselves instead of running trafilatura on the container: the container
is already chosen (extract/container.py), and a plain walk keeps every paragraph, the 落款 and
the tables in place (trafilatura moves nested tables after the text, shared/docs/extract-anchors
§2.3) at a fraction of the cost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

from lxml.html import HtmlElement

from extract.ideographs import unify_ideographs
from extract.model import Grid
from extract.tables import cell_text, clean_cell_text, string_value, table_grid

BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dir div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hr html li main menu nav ol p pre section "
    "summary table tbody td tfoot th thead tr ul ucapcontent ucaptitle".split()
)
HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())
SKIP_TAGS = frozenset("script style noscript template iframe object embed select option "
                      "button input textarea svg canvas map head title meta link".split())
# Spaces of every width a Word paste or a CMS leaves: nbsp, ideographic, em/en, thin, zero-width.
_SPACES = re.compile(r"[\s\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_TOP_HEADING = re.compile(r"^[一二三四五六七八九十]{1,3}\s*[、.．]")
_MAX_HEADING = 40


@dataclass
class Block:
    """One paragraph, heading or table of the body, in reading order."""

    kind: str  # "p", "h" or "table"
    text: str
    grid: Grid | None = None
    tag: str = ""  # the element the block came from (h1 titles are told apart from <p> ones)
    links: list[tuple[str, str]] = field(default_factory=list)  # (href, link text)


def clean_line(text: str) -> str:
    """Collapse every kind of space to one ASCII space, unify look-alike ideographs
    (extract/ideographs.py); punctuation is left as published."""
    if len(text) <= _CACHED_LINE:
        return _clean_short(text)
    return unify_ideographs(_SPACES.sub(" ", text).strip())


# Short lines (cells, labels, link texts) repeat within a page and across a portal's pages.
_CACHED_LINE = 64


@lru_cache(maxsize=16384)
def _clean_short(text: str) -> str:
    return unify_ideographs(_SPACES.sub(" ", text).strip())


def is_layout_table(table: HtmlElement, raws: dict[HtmlElement, str] | None = None) -> bool:
    """A table used for page layout (holds paragraphs or other tables), not data.

    `raws`, when given, is filled with the text_content of the cells looked at."""
    if next(table.iterdescendants("table"), None) is not None:
        return True
    cells = list(table.iterdescendants("td", "th"))
    if len(cells) <= 2:
        return True
    raws = {} if raws is None else raws
    for c in cells:  # long text first: most cells are short and need no descendant count
        raws[c] = raw = string_value(c)
        if len(raw) > 300 and len(list(islice(c.iterdescendants("p", "div", "br"), 4))) > 3:
            return True
    return False


def table_text(table: HtmlElement, texts: dict | None = None,
               raws: dict[HtmlElement, str] | None = None) -> str:
    """Reading-order text of a data table: one line per row, each printed cell once.

    `texts`, when given, is filled with each cell's `cell_text` (for `table_grid`); `raws`
    may hold cells' text_content already read (by `is_layout_table`)."""
    texts = {} if texts is None else texts
    raws = raws or {}
    rows = []
    for tr in table.iter("tr"):
        cells = []
        for c in tr:
            if isinstance(c.tag, str) and c.tag in ("td", "th"):
                raw = raws.get(c)
                texts[c] = text = cell_text(c) if raw is None else clean_cell_text(raw)
                if text:
                    cells.append(text)
        if cells:
            rows.append("\t".join(cells))
    return "\n".join(rows)


class _Walker:
    """Accumulates inline text into lines and flushes a block at each block boundary."""

    def __init__(self, grids: bool = True, tables: bool = True) -> None:
        self.grids = grids
        self.tables = tables
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.links: list[tuple[str, str]] = []
        self.heading = False
        self.tag = ""

    def flush(self) -> None:
        text = clean_line("".join(self.parts))
        if text:
            kind = "h" if self.heading or (_TOP_HEADING.match(text) and len(text) <= _MAX_HEADING) \
                else "p"
            self.blocks.append(Block(kind, text, links=self.links, tag=self.tag))
        elif self.links:
            self.blocks.append(Block("p", "", links=self.links, tag=self.tag))
        self.parts, self.links, self.heading, self.tag = [], [], False, ""

    def walk(self, el: HtmlElement) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag or tag in SKIP_TAGS:  # comments, processing instructions, scripts
            self.parts.append(el.tail or "")
            return
        # raws: each cell's text_content, read once (a dict only for tables, not every element)
        if tag == "table" and not is_layout_table(el, raws := {}):
            self.flush()
            if not self.tables:
                self.blocks.append(Block("table", ""))
                self.parts.append(el.tail or "")
                return
            texts: dict[HtmlElement, str] = {}  # each cell's text, computed once for both
            text = table_text(el, texts, raws)
            self.blocks.append(Block("table", text, grid=table_grid(el, texts) if self.grids else None))
        elif tag == "br":
            self.flush()
        else:
            self._walk_children(el, tag)
        self.parts.append(el.tail or "")

    def _walk_children(self, el: HtmlElement, tag: str) -> None:
        block = tag in BLOCK_TAGS
        if block:
            self.flush()
            self.heading = tag in HEADING_TAGS
            self.tag = "title" if "title" in (el.get("class") or "").lower() else tag
        if tag == "a" and el.get("href"):
            self.links.append((el.get("href"), clean_line(string_value(el))))
        self.parts.append(el.text or "")
        for child in el:
            self.walk(child)
        if block:
            self.flush()


def blocks_of(container: HtmlElement, grids: bool = True, tables: bool = True) -> list[Block]:
    """Blocks of a container subtree in document order; `grids=False` leaves table blocks'
    `grid` None (callers that only want text or links), `tables=False` their text empty too
    (callers that only want the lines around tables: a statistics table is most of a page)."""
    walker = _Walker(grids, tables)
    walker._walk_children(container, "div")
    walker.flush()
    return walker.blocks


def render(blocks: list[Block]) -> str:
    """The page text: one line per paragraph, tables as tab-separated rows, blank-free."""
    return "\n".join(b.text for b in blocks if b.text)


def _key(block: Block) -> str:
    return f"{block.kind}:{block.text}"


def drop_repeats(blocks: list[Block], removed: dict[str, list[str]]) -> list[Block]:
    """Drop a second copy of a run of blocks (print, mobile or accessible copies).

    A single paragraph printed twice is kept: reports legitimately repeat sentences. A run
    counts as a copy from three blocks, or two blocks of 200 characters, on.
    """
    first_seen: dict[str, list[int]] = {}
    drop: set[int] = set()
    i = 0
    while i < len(blocks):
        run = 0
        for j in first_seen.get(_key(blocks[i]), []):
            k = 0
            while i + k < len(blocks) and j + k < i and _key(blocks[j + k]) == _key(blocks[i + k]):
                k += 1
            chars = sum(len(b.text) for b in blocks[i:i + k])
            if k >= 2 and (k >= 3 or chars >= 200) and k > run:
                run = k
        if run:
            drop.update(range(i, i + run))
            removed.setdefault("repeat", []).append(" ".join(b.text for b in blocks[i:i + run])[:200])
            i += run
            continue
        first_seen.setdefault(_key(blocks[i]), []).append(i)
        i += 1
    return [b for n, b in enumerate(blocks) if n not in drop]


def sections_of(blocks: list[Block]) -> list[tuple[str, str]]:
    """(heading, text) pairs; text before the first heading has an empty heading."""
    sections: list[tuple[str, list[str]]] = [("", [])]
    for block in blocks:
        if block.kind == "h":
            sections.append((block.text, []))
        elif block.text:
            sections[-1][1].append(block.text)
    return [(h, "\n".join(lines)) for h, lines in sections if h or lines]
