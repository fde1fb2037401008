"""A safety net for documents: the characters a file holds, against those its extraction kept.

CJK ideographs and digits are counted as multisets (whitespace, punctuation and order left
out) in the file's own text (a DOCX's w:t, a PDF's text layer less the running heads and page
numbers removed on purpose, a workbook's strings) and in the extracted text and table cells.
A sizeable share missing is a warning, never silence (docs/design.md: a dropped sentence is
the worst failure)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from extract.ideographs import unify_ideographs
from extract.model import Grid

# Page.warnings that say part of what the document shows is not in its extraction (the bytes
# are archived; the catalogue lacks it until a better reader replays them), as against those
# that say how it was read. Each is the start, or for the check below a phrase, of the warning
# its reader emits.
LOST_TEXT = " characters of the document not in the extracted text"
# the crawl's stats key counting pages read only in part (crawler/pipelines.py), which
# `verify` reads back from crawl_runs.stats (archive/runcheck.py)
LOST_STAT = "extract/warning/lost"
IMAGE_LOSSES = ("image not archived", "image unreadable", "image not fetched")
LOSS_WARNINGS = (*IMAGE_LOSSES, "pdf: only the first")


def says_lost(warning: str) -> bool:
    """Whether a Page warning reports content left out of the extraction: a document or image
    unreadable, pages past the reading limit, text the loss check found missing, objects such
    as charts whose content was not read."""
    head = warning.split(":", 1)[0]
    return (warning.startswith(LOSS_WARNINGS) or LOST_TEXT in warning
            or head.endswith(" unreadable") or warning.endswith(" not read")
            or " not read (" in warning)


MISSING_SHARE = 0.02  # share of the file's characters missing from the extraction that warns
MISSING_MIN = 20  # …and at least this many characters (a stray symbol font is no report)
_MEANINGFUL = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff0-9]")
_WORDS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _counted(text: str) -> Counter[str]:
    return Counter(_MEANINGFUL.findall(unify_ideographs(text).translate(_DIGITS)))


def missing_warning(kind: str, source: str, text: str, tables: Iterable[Grid],
                    removed: Iterable[str] = (), tables_in_text: bool = False) -> str | None:
    """A warning when `source` (the file's own text) has characters that `text`, the cells of
    `tables` and what was `removed` on purpose do not hold; None when nothing sizeable is.
    `tables_in_text`: the text holds the tables again, their rows as lines."""
    have = _counted(source)
    total = sum(have.values())
    # A grid repeats a merged cell in every slot it covers, and a text that holds the tables
    # holds their characters twice over: counted so, a table's copies would stand in for a
    # lost sentence's characters. Each merged cell counts once, and with the tables in the
    # text a character counts as often as the text or the tables hold it, whichever is more.
    said, cells = _counted("\n".join([text, *removed])), _counted("\n".join(_cells_once(g) for g in tables))
    kept = said | cells if tables_in_text else said + cells
    lost = have - kept
    count = sum(lost.values())
    if count < MISSING_MIN or count < MISSING_SHARE * total:
        return None
    return f"{kind}: {count:,} of {total:,}{LOST_TEXT} (e.g. '{_sample(source, kept)}')"


def _cells_once(grid: Grid) -> str:
    """A grid's text with each merged cell of words once: a slot repeating the words left of
    it or above it is their copy (a figure beside the same figure is two cells: 0 0)."""
    out = []
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            words = bool(_WORDS.search(cell))
            if cell and not (words and c and row[c - 1] == cell) and not (
                    words and r and c < len(grid[r - 1]) and grid[r - 1][c] == cell):
                out.append(cell)
    return "\n".join(out)


def _sample(source: str, kept: Counter[str]) -> str:
    """The longest run of the source whose characters the extraction ran out of (≤ 40)."""
    left = Counter(kept)
    best, run = "", []
    for char in unify_ideographs(source).translate(_DIGITS):
        if not _MEANINGFUL.match(char):
            if run:
                run.append(char)
            continue
        if left[char] > 0:
            left[char] -= 1
            run = []
            continue
        run.append(char)
        if len(run) > len(best):
            best = "".join(run)
    return best.strip()[:40]
