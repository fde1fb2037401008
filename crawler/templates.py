"""Each portal's template lines, from the pages of it this crawl has archived (issue 12).

A line that most of a portal's detail pages print (the CMS stamps it into every article) is
template; a line unique to a page is content. The live crawl counts the `page_lines` of every
HTML page it extracted, per portal, and before extracting a page writes the lines it passes (from
the portal's pages sampled so far) as a JSON metadata record beside the page's response record.
A page that comes before its portal has TEMPLATE_MIN_PAGES sampled pages waits for the end of
the crawl and is then extracted with every other page of its portal the crawl saw. Replay
reads that record back (`template_record_lines`) instead of recomputing from another set of
pages, so a live crawl and a replay of its archive give the same catalogue whatever order the
pages came in. A portal with fewer than TEMPLATE_MIN_PAGES other pages has no template lines.
Settings: TEMPLATE_MIN_PAGES, TEMPLATE_SHARE.
"""

from __future__ import annotations

import json
from typing import Any

TEMPLATE_MIN_PAGES = 5  # below this many sibling pages no line counts as template
TEMPLATE_SHARE = 0.6  # …and a line must be on this share of them
KEY = "nianbao-template-lines"  # the JSON record's key, which tells it from other metadata
# The record's WARC-Target-URI, Heritrix-style: not the page's URL, so CDXJ lookups of the page
# (pywb, revisit resolution) never meet it; WARC-Concurrent-To names the response.
RECORD_URI = "metadata://nianbao/template-lines/"


MAX_TRACKED = 100_000  # distinct lines counted over all portals before the rarest are forgotten


class _Sample:
    """One portal's sample as running counts: pages seen, and on how many pages each line is.

    Counting as pages arrive keeps each page's cost proportional to its own lines (recomputing
    over every sampled page made a portal of n pages cost n² line updates)."""

    def __init__(self, least: int) -> None:
        self.least = least
        self.pages = 0
        self.counts: dict[str, int] = {}
        self.since: dict[str, int] = {}  # the page a line's count began on
        self.frequent: set[str] = set()  # lines on at least `least` pages: the only candidates

    def add(self, lines: frozenset[str]) -> int:
        """Count a page's lines; how many lines are counted now that were not."""
        self.pages += 1
        counts, before = self.counts, len(self.counts)
        for line in lines:
            k = counts.get(line, 0) + 1
            counts[line] = k
            if k == 1:
                self.since[line] = self.pages
            if k == self.least:
                self.frequent.add(line)
        return len(counts) - before

    def forget_rarest(self, share: float) -> None:
        """Forget the lines on fewer than half the share of the pages a template line needs,
        of those since each was first counted: a page's own sentences a few pages on, and
        sentences a few reports repeat. A line that will be template has more; at most
        ~2 / share × a page's lines stay, and the last few pages' lines."""
        since, last = self.since, self.pages + 1
        self.counts = {line: k for line, k in self.counts.items() if k >= share / 2 * (last - since[line])}
        self.since = {line: since[line] for line in self.counts}
        self.frequent &= self.counts.keys()

    def shared(self, share: float, own: frozenset[str] | None = None) -> list[str]:
        """Lines on at least `share` of the pages and on at least `least` of them, sorted;
        `own`: the lines of a sampled page to leave out."""
        n = self.pages - (own is not None)
        if n < self.least:
            return []
        own = own or frozenset()
        need = max(self.least, share * n)
        return sorted(line for line in self.frequent
                      if line and self.counts.get(line, 0) - (line in own) >= need)


class PortalTemplates:
    """Each portal's sample of archived HTML pages, as counts of their distinct lines.

    Memory: when more than MAX_TRACKED lines are counted over the whole crawl, every portal
    forgets its rare lines (lossy counting, `_Sample.forget_rarest`), so what a portal holds is
    bounded by its template candidates, not by its pages, and a crawl of many portals holds a
    few lines each. Before, each portal counted up to 50,000 lines and forgot only lines on a
    single page: a registry of thousands of portals would have held gigabytes, and a portal whose
    reports repeat sentences year after year (each on two or three pages) filled its table and
    then forgot every new line the moment it came, rebuilding the table on every page. A
    forgotten line is a page's own content unless it then appears on most of the following
    pages; it is counted again from then on, short by the pages it was on, when a template line
    must be on TEMPLATE_SHARE of them. A crawl that counts fewer lines forgets nothing."""

    def __init__(self, min_pages: int = TEMPLATE_MIN_PAGES, share: float = TEMPLATE_SHARE) -> None:
        self.min_pages = min_pages
        self.share = share
        self.samples: dict[str, _Sample] = {}
        self.tracked = 0  # lines counted over all portals
        self.limit = MAX_TRACKED  # …when the rarest are next forgotten

    def add(self, portal: str, lines: list[str] | None) -> frozenset[str] | None:
        """Add one page's lines to its portal's sample; what was added (None: no sample)."""
        if lines is None:
            return None
        page = frozenset(lines)
        self.tracked += self.samples.setdefault(portal, _Sample(self.min_pages)).add(page)
        if self.tracked > self.limit:
            for sample in self.samples.values():
                sample.forget_rarest(self.share)
            self.tracked = sum(len(sample.counts) for sample in self.samples.values())
            # What stays is needed (each portal's candidates): not forgotten again before it doubles
            self.limit = max(MAX_TRACKED, 2 * self.tracked)
        return page

    def siblings(self, portal: str, own: frozenset[str] | None = None) -> int:
        """How many pages of the portal are sampled, the sampled page `own` left out."""
        sample = self.samples.get(portal)
        return (sample.pages if sample else 0) - (own is not None)

    def lines(self, portal: str, own: frozenset[str] | None = None) -> list[str]:
        """The portal's template lines from every page sampled so far but `own`, sorted."""
        sample = self.samples.get(portal)
        return sample.shared(self.share, own) if sample else []

    def record(self, portal: str, own: frozenset[str] | None = None) -> dict[str, Any]:
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
