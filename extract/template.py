"""Template lines of a portal: the lines most of its pages share (header, footer, notices).

A line every page of a portal prints is the portal's template; a line unique to a page is
content (issue 12). The caller, who holds the portal's other captures, computes the lines once
and passes them to `extract_page(..., hints={"template_lines": ...})`, so extraction stays a
pure function of the record and its hints.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from extract.charset import decode_html
from extract.chrome import MARKUP, template_key
from extract.text import blocks_of

MAX_LINE = 300  # longer lines are paragraphs, not template notices


def page_lines(body: bytes) -> set[str]:
    """The distinct non-table lines of one page (whitespace removed)."""
    from extract.page import parse_html

    text, _ = decode_html(body)
    root = parse_html(text)
    found = root.find("body")
    blocks = blocks_of(found if found is not None else root, grids=False, tables=False)
    return {template_key(MARKUP.sub("", b.text)) for b in blocks
            if b.kind != "table" and b.text and len(b.text) <= MAX_LINE}


def template_lines(pages: Iterable[bytes], share: float = 0.6, least: int = 3) -> frozenset[str]:
    """Lines found on at least `share` of `pages` and on at least `least` of them.

    Pass pages of one portal that are not copies of each other (a report page, its listing,
    other reports and news of the same column); fewer than `least` pages give no lines.
    """
    return shared_lines((page_lines(body) for body in pages), share, least)


def shared_lines(line_sets: Iterable[Iterable[str]], share: float = 0.6, least: int = 3) -> frozenset[str]:
    """`template_lines` over pages already reduced to their `page_lines` (the crawl keeps these)."""
    counts: Counter[str] = Counter()
    n = 0
    for lines in line_sets:
        counts.update(set(lines))
        n += 1
    if n < least:
        return frozenset()
    need = max(least, share * n)
    return frozenset(line for line, k in counts.items() if k >= need and line)
