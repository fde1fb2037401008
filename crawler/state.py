"""A crawl's shared state, behind one seam: the page budget, the report links seen on
listings, the URLs known not to be reports, and the last capture of each URL.

`LocalCrawlState` keeps it in this process and reads captures from DATA's CDXJ indexes
(a single-machine crawl); `distributed.state.RedisCrawlState` keeps it in Redis for every
worker of a distributed crawl. The spider and RevalidateMiddleware call `crawl_state(crawler)`,
which builds the class named by the CRAWL_STATE setting once per crawler.
"""

from __future__ import annotations

import weakref
from collections import Counter
from dataclasses import dataclass
from typing import Any

from scrapy.utils.misc import load_object

from archive.location import RecordLocation

_STATES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def crawl_state(crawler: Any) -> Any:
    """The crawl's state object (one per crawler)."""
    state = _STATES.get(crawler)
    if state is None:
        cls = load_object(crawler.settings.get("CRAWL_STATE") or "crawler.state.LocalCrawlState")
        state = _STATES[crawler] = cls.from_crawler(crawler)
    return state


@dataclass(frozen=True)
class KnownCapture:
    """The last archived 200 of a URL: validators for a conditional request, what a revisit
    refers to, and where its record lies when this process can read it (`location`)."""

    etag: str | None
    last_modified: str | None
    refers_to: dict[str, Any]  # uri, date, record_id, digest, status, headers (archive.capture)
    location: RecordLocation | None


class LocalCrawlState:
    """Today's single-process state: counters and sets in memory, captures from DATA/warc."""

    def __init__(self, warc_dir: str | None, stats: Any) -> None:
        self.warc_dir = warc_dir
        self.stats = stats
        self.budget: Counter[str] = Counter()
        self.listed: set[str] = set()  # report links seen on a listing this run
        self._captures: dict[str, Any] | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> LocalCrawlState:
        return cls(crawler.settings.get("WARC_DIR"), crawler.stats)

    def take_budget(self, portal: str, limit: int, key: str | None = None) -> bool:
        """Spend one request of the portal's budget, if any is left. `key` (the request's
        fingerprint) lets a shared state charge a request made again once; one process
        makes each request once."""
        if self.budget[portal] >= limit:
            return False
        self.budget[portal] += 1
        return True

    def add_listed(self, url: str) -> None:
        self.listed.add(url)

    def is_non_report(self, url: str) -> bool:
        return False  # the spider's own catalogue state knows them (PortalSpider.known)

    def seeds(self) -> bool:
        """Whether this process yields the start requests (always, on one machine)."""
        return True

    def seeded(self) -> None:
        """Every start request has been scheduled."""

    def known_capture(self, url: str) -> KnownCapture | None:
        from archive.reader import read_record_at, resolve_path
        from crawler.revalidate import headers_of, latest_captures

        if self._captures is None:  # built once, when the first request of the run goes out
            self._captures = latest_captures(self.warc_dir)
        entry = self._captures.get(url)
        if entry is None:
            return None
        try:  # headers only: the body stays compressed on disk
            archived = read_record_at(resolve_path(self.warc_dir, entry.filename), entry.offset, headers_of)
        except Exception:
            archived = None
        if archived is None:
            self.stats.inc_value("revalidate/unreadable")
            return None
        refers_to = {"uri": url, "date": archived.warc_date, "record_id": archived.record_id,
                     "digest": entry.digest, "status": archived.status, "headers": archived.headers}
        return KnownCapture(archived.header("ETag"), archived.header("Last-Modified"), refers_to,
                            RecordLocation(entry.filename, entry.offset, entry.length))
