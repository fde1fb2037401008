"""trafilatura as a second opinion on recall, where no known CMS container was found.

Our container is found by scoring (extract/container.py); on a layout nobody has seen, it can
miss part of the article. trafilatura (run with recall-leaning options, tables left out, no
deduplication) reads the same page independently; every sentence it finds that our container
does not hold is either taken in (the container grows to the nearest ancestor holding it, at
most `MAX_CLIMB` levels up and never to <body>) or reported in `Page.warnings`, so a loss is
never silent (issue 12).
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from extract.chrome import is_prose
from extract.tables import string_value

MAX_CLIMB = 2  # levels above the container a missed sentence may pull it
MIN_SENTENCE = 15  # characters; shorter lines are labels, not sentences worth a second look
_WS = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _WS.sub("", text)


def missed_sentences(html: str, container: HtmlElement, url: str | None) -> list[str]:
    """Sentences trafilatura extracts from the page that the container's text lacks."""
    import trafilatura

    found = trafilatura.extract(html, url=url, include_tables=False, include_comments=False,
                                include_links=False, favor_recall=True, fast=True,
                                deduplicate=False, output_format="txt") or ""
    ours = _squash(string_value(container))
    return [line.strip() for line in found.splitlines()
            if len(line.strip()) >= MIN_SENTENCE and is_prose(line) and _squash(line) not in ours]


def _holder(root: HtmlElement, sentence: str) -> HtmlElement | None:
    """The innermost element whose text holds the sentence."""
    key = _squash(sentence)[:40]
    best = None
    for el in root.iter("p", "div", "td", "li", "span", "section", "article", "font"):
        if key in _squash(string_value(el)):
            best = el  # iteration is in document order: later hits are deeper or later
    return best


def widen(root: HtmlElement, container: HtmlElement, missed: list[str],
          warnings: list[str]) -> HtmlElement:
    """The container grown to take the missed sentences in, when they are close to it;
    otherwise `container`, with a warning naming what trafilatura saw outside it."""
    body = root.find("body")
    ancestors = [container, *container.iterancestors()]  # climbs count from the container
    widened, far = container, []
    for sentence in missed:
        holder = _holder(root, sentence)
        if holder is None or holder is widened or widened in holder.iterancestors():
            continue
        common = next((a for a in [holder, *holder.iterancestors()] if a in ancestors), None)
        if common is None or common is body or common.tag == "html" \
                or ancestors.index(common) > MAX_CLIMB:
            far.append(sentence)
        elif ancestors.index(common) > ancestors.index(widened):
            widened = common
    if far:
        warnings.append(f"second opinion: {len(far)} sentence(s) found outside the body "
                        f"container, kept out: {' | '.join(s[:40] for s in far[:3])}")
    return widened
