"""Each portal's template lines, from the pages of it this crawl has archived (issue 12).

A line that most of a portal's detail pages print (the CMS stamps it into every article) is
template; a line unique to a page is content. The live crawl keeps the `page_lines` of every
HTML page it archived, per portal, and before extracting a page writes the lines it passes (from
the portal's other pages) as a JSON metadata record beside the page's response record. A page
that comes before its portal has TEMPLATE_MIN_PAGES other pages waits for the end of the crawl
and is then extracted with every page of its portal the crawl saw. Replay
reads that record back (`template_record_lines`) instead of recomputing from another set of
pages, so a live crawl and a replay of its archive give the same catalogue whatever order the
pages came in. A portal with fewer than TEMPLATE_MIN_PAGES other pages has no template lines.
Settings: TEMPLATE_MIN_PAGES, TEMPLATE_SHARE.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from extract.template import shared_lines

TEMPLATE_MIN_PAGES = 5  # below this many sibling pages no line counts as template
TEMPLATE_SHARE = 0.6  # …and a line must be on this share of them
KEY = "nianbao-template-lines"  # the JSON record's key, which tells it from other metadata
# The record's WARC-Target-URI, Heritrix-style: not the page's URL, so CDXJ lookups of the page
# (pywb, revisit resolution) never meet it; WARC-Concurrent-To names the response.
RECORD_URI = "metadata://nianbao/template-lines/"


class PortalTemplates:
    """The distinct lines of each archived HTML page, per portal, in the order they came."""

    def __init__(self, min_pages: int = TEMPLATE_MIN_PAGES, share: float = TEMPLATE_SHARE) -> None:
        self.min_pages = min_pages
        self.share = share
        self.pages: dict[str, list[frozenset[str]]] = defaultdict(list)

    def add(self, portal: str, lines: list[str] | None) -> int | None:
        """Add one page's lines to its portal's sample; its place there (None: no sample)."""
        if lines is None:
            return None
        self.pages[portal].append(frozenset(lines))
        return len(self.pages[portal]) - 1

    def siblings(self, portal: str, own: int | None = None) -> int:
        """How many pages of the portal are sampled, the page at `own` left out."""
        return len(self.pages.get(portal, ())) - (own is not None)

    def lines(self, portal: str, own: int | None = None) -> list[str]:
        """The portal's template lines now, from every sampled page but the one at `own`, sorted."""
        pages = [p for i, p in enumerate(self.pages.get(portal, ())) if i != own]
        return sorted(shared_lines(pages, self.share, self.min_pages))

    def record(self, portal: str, own: int | None = None) -> dict[str, Any]:
        """The JSON body of the metadata record: the lines, and what they were computed from."""
        return {KEY: self.lines(portal, own), "portal": portal, "pages": self.siblings(portal, own),
                "min_pages": self.min_pages, "share": self.share}


def template_record_lines(record: Any, block: bytes) -> tuple[str, list[str]] | None:
    """(the response's WARC-Record-ID, its template lines) if `record` is a template record."""
    headers = record.rec_headers
    if record.rec_type != "metadata" or not (headers.get_header("Content-Type") or "").startswith(
            "application/json"):
        return None
    try:
        data = json.loads(block)
    except ValueError:
        return None
    refers = headers.get_header("WARC-Concurrent-To")
    if not isinstance(data, dict) or KEY not in data or not refers:
        return None
    return refers, [str(line) for line in data[KEY]]
