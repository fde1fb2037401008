"""A crawl run's state, behind one seam: the run itself (its crawl_runs row, whether it resumes
a killed run, what earlier runs captured, what the killed run had archived) and what the crawl
shares (the page budget, the report links seen on listings, the URLs known not to be reports,
the last capture of each URL).

`CrawlState` holds the run; its subclasses keep the shared part: `LocalCrawlState` in this
process, reading captures from DATA's CDXJ indexes (a single-machine crawl), and
`distributed.state.RedisCrawlState` in Redis for every worker of a distributed crawl.
The spider, the pipeline and the middlewares call `crawl_state(crawler)`, which builds the
class named by the CRAWL_STATE setting once per crawler.
"""

from __future__ import annotations

import weakref
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from scrapy.utils.misc import load_object

from archive.location import RecordLocation

_STATES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def crawl_state(crawler: Any) -> Any:
    """The crawl run's state object (one per crawler)."""
    state = _STATES.get(crawler)
    if state is None:
        cls = load_object(crawler.settings.get("CRAWL_STATE") or "crawler.state.LocalCrawlState")
        if not (isinstance(cls, type) and issubclass(cls, CrawlState)):
            # Refused before the crawl starts: a state without the run's fields would fail later,
            # in the spider, with the run half done.
            raise TypeError(f"CRAWL_STATE {cls!r} is not a crawler.state.CrawlState subclass")
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


class CrawlState:
    """What a crawl run knows about itself, whichever subclass keeps the crawl's shared part.

    Filled in order: `begin_run` when the catalogue opens the run (CataloguePipeline), then
    `load_catalogue` when the spider starts. A process that catalogues nothing (a distributed
    worker, `nianbao discover`) opens no run and keeps those defaults.
    """

    stats: Any  # the crawler's stats, set by each subclass
    run_id: int | None = None  # the crawl_runs row this run writes
    resumed: bool = False  # the run continues one a kill interrupted (same row)
    # url → the catalogue's latest capture of a report page or attachment (Catalogue.known_pages,
    # plus its `portal`): revalidated even when gone from its listing, or skipped if not a report.
    known_pages: Mapping[str, dict[str, Any]] = MappingProxyType({})
    # A resumed run's URLs archived before the kill → their records, read back instead of fetched.
    archived_this_run: Mapping[str, RecordLocation] = MappingProxyType({})

    def begin_run(self, run_id: int, resumed: bool) -> None:
        """The catalogue opened this run; the stats keep a copy (the summary, crawl_runs.stats)."""
        self.run_id, self.resumed = run_id, resumed
        if resumed:
            self.stats.set_value("nianbao/resumed", True)
        self.stats.set_value("nianbao/run_id", run_id)

    def load_catalogue(self, catalogue_path: str | None, warc_dir: str | None, portals: Iterable[str]) -> None:
        """What earlier runs captured of these portals, and, when this run resumes a killed one,
        every URL it archived (from the CDXJ indexes, since the run started)."""
        from catalogue.catalogue import Catalogue
        from crawler.revalidate import latest_captures

        if not catalogue_path or not Path(catalogue_path).exists():
            return
        catalogue = Catalogue(catalogue_path)
        try:
            self.known_pages = {row["url"]: {**row, "portal": portal}
                                for portal in portals for row in catalogue.known_pages(portal)}
            if self.run_id and self.resumed:
                started = catalogue.run(self.run_id)["started"]
                self.archived_this_run = {url: RecordLocation(e.filename, e.offset, e.length)
                                          for url, e in latest_captures(warc_dir, since=started).items()}
        finally:
            catalogue.close()


class LocalCrawlState(CrawlState):
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

    def add_listed(self, *urls: str) -> None:
        """Report links one listing showed (one call a listing: a shared state's round trip)."""
        self.listed.update(urls)

    def non_reports(self, urls: Iterable[str]) -> set[str]:
        """Those of `urls` known not to be reports, asked in one call a listing."""
        return set()  # this process's catalogue knows them: `known_pages`, page_kind "other"

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
