"""CataloguePipeline: extract each captured page in worker processes, write catalogue rows.

Settings: CATALOGUE_PATH, WARC_DIR, EXTRACT_WORKERS (0 = extract in-process),
EXTRACT_WORKER_MAX_RSS_MB (a worker holding more after a page is replaced), EXTRACT_OCR_THREADS
(each worker's OCR threads; 0 = the cores shared among the workers), EXTRACT_FUNCTION,
EXTRACT_MAXSIZE (larger payloads are catalogued as too large, not read),
CATALOGUE_BATCH_ITEMS and CATALOGUE_BATCH_SECONDS (how often rows are committed),
NIANBAO_COMMAND (recorded in crawl_runs), TEMPLATE_MIN_PAGES and TEMPLATE_SHARE (crawler/templates.py).
"""

from __future__ import annotations

import asyncio
import collections
import functools
import logging
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

from archive.crashpoint import crash_point
from archive.location import RecordLocation
from catalogue.catalogue import Catalogue
from crawler.alerts import INFORMATIONAL, LOST, OTHER, TOO_DEEP, run_warnings
from crawler.extraction import (
    DEFAULT_EXTRACTOR,
    EXTRACT_MAXSIZE,
    WORKER_PRELOAD,
    archived_lines,
    extract_archived,
    ocr_threads,
    warm_up,
)
from crawler.items import CaptureItem
from crawler.resources import resource_usage
from crawler.rows import capture_row, report_row, verdict_fields
from crawler.state import crawl_state
from crawler.templates import KEY, RECORD_URI, TEMPLATE_MIN_PAGES, TEMPLATE_SHARE, PortalTemplates
from crawler.workers import WorkerDied, WorkerPool
from extract.loss import says_lost

logger = logging.getLogger(__name__)

UNSAMPLED_KEPT = 1000  # a portal's unchanged pages kept for its template sample; chrome is on every one


class CataloguePipeline:
    def __init__(self, catalogue_path: str, warc_dir: str, workers: int, crawler: Crawler,
                 extractor: str = DEFAULT_EXTRACTOR) -> None:
        self.catalogue_path = catalogue_path
        self.extractor = extractor
        self.warc_dir = warc_dir
        self.workers = workers
        self.crawler = crawler
        self.stats = crawler.stats
        self.catalogue: Catalogue | None = None
        self.pool: WorkerPool | None = None
        self.run_id: int | None = None
        self.warc_capture: Any = None
        self.batch_items = crawler.settings.getint("CATALOGUE_BATCH_ITEMS", 100)
        self.batch_seconds = crawler.settings.getfloat("CATALOGUE_BATCH_SECONDS", 2.0)
        self.committer: Any = None
        self.max_size = crawler.settings.getint("EXTRACT_MAXSIZE", EXTRACT_MAXSIZE)
        self.templates = PortalTemplates(crawler.settings.getint("TEMPLATE_MIN_PAGES", TEMPLATE_MIN_PAGES),
                                         crawler.settings.getfloat("TEMPLATE_SHARE", TEMPLATE_SHARE))
        self.replay_templates: dict[str, list[str]] | None = None
        self.waiting: list[tuple[CaptureItem, frozenset[str] | None]] = []  # pages waiting for their portal's template
        # Unchanged pages not sampled yet: read only once a changed page of their portal needs
        # its template (an unchanged recrawl reads none), the most recent UNSAMPLED_KEPT each.
        self.unsampled: dict[str, collections.deque[RecordLocation | None]] = {}
        self.sampling: dict[str, asyncio.Lock] = collections.defaultdict(asyncio.Lock)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CataloguePipeline:
        settings = crawler.settings
        path, warc_dir = settings.get("CATALOGUE_PATH"), settings.get("WARC_DIR")
        if not path or not warc_dir:
            raise NotConfigured("CATALOGUE_PATH and WARC_DIR must be set")
        pipeline = cls(path, warc_dir, settings.getint("EXTRACT_WORKERS", 2), crawler,
                       settings.get("EXTRACT_FUNCTION") or DEFAULT_EXTRACTOR)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        from archive.capture import WarcCapture

        # Where metadata records go: the crawl's WarcCapture (absent in replay).
        self.warc_capture = next((e for e in self.crawler.extensions.middlewares
                                  if isinstance(e, WarcCapture)), None)
        self.replay_templates = _replay_templates(self.crawler)
        self.catalogue = Catalogue(self.catalogue_path, self.batch_items, self.batch_seconds,
                                   self.crawler.settings.getint("CATALOGUE_CACHE_MB", 16))
        self.catalogue.before_commit, self.catalogue.after_commit = self._checkpoint, self._committed
        # Readers (nianbao query, Datasette) see a quiet crawl's last rows within seconds.
        self.committer = create_looping_call(self.catalogue.commit)
        self.committer.start(self.batch_seconds, now=False)
        portals = list(getattr(self.crawler.spider, "portals", {}))
        self.run_id = self.catalogue.interrupted_run(portals)
        resumed = self.run_id is not None
        if resumed:  # the last run over these portals was killed: resume it
            logger.info("resuming interrupted crawl run %s", self.run_id)
        else:
            self.run_id = self.catalogue.start_run(self.crawler.settings.get("NIANBAO_COMMAND", "crawl"), portals)
        crawl_state(self.crawler).begin_run(self.run_id, resumed)  # the run's state: crawler/state.py
        if self.workers > 0:
            threads = ocr_threads(self.crawler.settings.getint("EXTRACT_OCR_THREADS", 0), self.workers)
            self.pool = WorkerPool(self.workers, functools.partial(warm_up, threads),
                                   self.crawler.settings.getfloat("EXTRACT_WORKER_MAX_RSS_MB", 160),
                                   preload=WORKER_PRELOAD)

    def _checkpoint(self) -> None:
        """Before a batch commits: the WARC bytes its rows point at are on disk (fsync)."""
        warc = self.warc_capture.warc if self.warc_capture is not None else None
        if warc is not None:
            warc.sync()
        crash_point("after-fsync", warc)

    def _committed(self) -> None:
        crash_point("after-commit", self.warc_capture.warc if self.warc_capture is not None else None)

    async def _in_worker(self, func: Any, *args: Any) -> Any:
        if self.pool is None:
            return func(*args)
        return await self.pool.run(func, *args)

    async def _template_hint(self, item: CaptureItem, hints: dict[str, Any],
                             own: frozenset[str] | None = None, waited: bool = False) -> bool | None:
        """Put the portal's template lines into an HTML page's hints. False: wait for them;
        True: the page joins its portal's sample once extracted; None: it does not (again).

        Lines already recorded beside the page's response record (replay, merge) are read back,
        so the order pages arrive in cannot change the catalogue. Otherwise, where this run
        writes WARCs (a live crawl, `nianbao merge`), the page takes the lines of the portal's
        pages sampled so far, recorded first, and joins the sample with its extraction. While
        the portal has fewer than TEMPLATE_MIN_PAGES sampled pages, the page joins the sample
        at once (`own`) and waits for the end of the crawl, to be given every other page.
        """
        recorded = (self.replay_templates or {}).get(item.record_id or "")
        if self.warc_capture is None or not item.record_id:
            if recorded is not None:
                hints["template_lines"] = recorded
            return None
        if recorded is not None:
            hints["template_lines"] = recorded
            return True
        await self._catch_up(item.portal)
        if not waited and self.templates.siblings(item.portal) < self.templates.min_pages:
            own = await self._sample(item)
            if self.templates.siblings(item.portal, own) < self.templates.min_pages:
                self.waiting.append((item, own))
                return False
        data = self.templates.record(item.portal, own)  # no await from here to the extraction
        try:
            self.warc_capture.write_json_metadata(RECORD_URI + item.url, data,
                                                 concurrent_to=item.record_id)
        except Exception:  # unrecorded lines would not replay: extract without them instead
            self.stats.inc_value("warc/write_error")
            logger.warning("could not record template lines for %s", item.url, exc_info=True)
        else:
            hints["template_lines"] = data[KEY]
            if data[KEY]:
                self.stats.inc_value("extract/template_hinted")
        return None if own is not None else True

    async def _sample(self, item: CaptureItem) -> frozenset[str] | None:
        """Add an archived HTML page to its portal's sample before its extraction (a page of
        a portal barely sampled yet); what was added."""
        return self.templates.add(item.portal, await self._archived_lines(item.location))

    async def _archived_lines(self, location: RecordLocation | None) -> list[str] | None:
        """An archived HTML page's lines, read back from the WARC in a worker."""
        return await self._in_worker(archived_lines, self.warc_dir, location, self.max_size)

    async def _catch_up(self, portal: str) -> None:
        """The portal's unchanged pages of this run join its sample before a changed page takes
        its template lines, in the order they came. A page that cannot be read is left out of
        the sample (the template is only what chrome is stripped by), said in the log."""
        async with self.sampling[portal]:
            pending = list(self.unsampled.pop(portal, ()))
            read = await asyncio.gather(*map(self._archived_lines, pending), return_exceptions=True)
            for location, lines in zip(pending, read, strict=True):
                if isinstance(lines, BaseException):
                    logger.warning("unchanged page at %s left out of its portal's template sample: %s",
                                   location, lines)
                    continue
                self.templates.add(portal, lines)
                self.stats.inc_value("extract/template_sampled_unchanged")

    def _hints(self, item: CaptureItem) -> dict[str, Any]:
        portal = self.crawler.spider.portals.get(item.portal)
        return {
            "portal_name": item.portal,
            "portal_title": portal.title if portal else None,
            "registry_region": portal.region if portal else None,
            "link_title": item.link_title,
            "parent_url": item.parent_url,
            "parent_location": item.parent_location,
            "page_images": item.images,
        }

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, CaptureItem):
            return item
        if item.location is None:
            self.stats.inc_value("catalogue/not_archived")
            return item
        await self._process(item)
        return item

    async def _process(self, item: CaptureItem, own: frozenset[str] | None = None, waited: bool = False) -> None:
        assert self.catalogue is not None
        result = None
        if self._extracted(item):
            hints = self._hints(item)
            joins = None
            if "html" in item.content_type.lower():
                joins = await self._template_hint(item, hints, own, waited)
                if joins is False:
                    return  # catalogued in close_spider, once its portal's pages are all in
            try:
                result = await self._in_worker(extract_archived, self.warc_dir, item.location, hints,
                                               self.extractor, self.max_size, bool(joins))
            except WorkerDied as exc:  # catalogued with the error, counted: never dropped
                self.stats.inc_value("nianbao/errors/worker_died")
                result = {"ok": False, "error": str(exc)}
            if joins:
                self.templates.add(item.portal, result.get("lines"))
        elif self._readable(item) and self.warc_capture is not None and "html" in item.content_type.lower():
            # an incremental run's changed pages still see the whole portal (`_catch_up`), as
            # a first crawl's do: its unchanged pages, never its listings (not sampled there)
            self.unsampled.setdefault(item.portal, collections.deque(maxlen=UNSAMPLED_KEPT)).append(item.location)
        lost = False
        for warning in (result or {}).get("warnings", ()):  # a page read only in part: say so
            if warning.startswith(INFORMATIONAL):  # how a document was read, not what was lost
                logger.info("extraction of %s: %s", item.url, warning)
                continue
            logger.warning("extraction of %s: %s", item.url, warning)
            if says_lost(warning):
                lost = True
            else:
                self.stats.inc_value(TOO_DEEP if warning.startswith("too deep") else OTHER)
        if lost:  # counted once a page: `verify` names the run
            self.stats.inc_value(LOST)
        with self.catalogue.item():  # no await inside: a batch commit never splits an item
            self._catalogue(item, result)

    async def close_spider(self) -> None:
        """The pages that came before their portal had enough siblings, now with all of them."""
        waiting, self.waiting = self.waiting, []
        done = await asyncio.gather(*(self._process(item, own, waited=True) for item, own in waiting),
                                    return_exceptions=True)
        for (item, _), outcome in zip(waiting, done, strict=True):
            if isinstance(outcome, Exception):
                self.stats.inc_value("extract/error")
                logger.error("could not catalogue %s", item.url, exc_info=outcome)

    @staticmethod
    def _is_unchanged(item: CaptureItem) -> bool:
        return (item.status == 304 or item.record_type == "revisit") and not item.images_changed

    @staticmethod
    def _readable(item: CaptureItem) -> bool:
        """A page or document a crawl reads (listings, a page's images and gone pages are only
        recorded): what is extracted when it changed and sampled for its template either way."""
        return item.kind not in ("listing", "image") and item.status not in (404, 410)

    def _extracted(self, item: CaptureItem) -> bool:
        return self._readable(item) and not self._is_unchanged(item)

    def _catalogue(self, item: CaptureItem, result: dict[str, Any] | None) -> None:
        """One capture's rows (and its metadata record), written as one catalogue item."""
        assert self.catalogue is not None and self.run_id is not None
        if item.kind in ("listing", "image"):  # validators kept; an image is read with its page
            self.catalogue.add_capture(capture_row(item, None, self.run_id, None, None))
            return
        if item.status in (404, 410):
            report_id = self.catalogue.report_gone(item.url, self.run_id)
            self.stats.inc_value("catalogue/reports_withdrawn" if report_id else "catalogue/gone")
            self.catalogue.add_capture(capture_row(item, None, self.run_id, report_id, f"HTTP {item.status}"))
            return
        if self._is_unchanged(item):
            report_id = self.catalogue.touch_report(item.url, self.run_id, item.warc_date, listed=False)
            self.stats.inc_value("catalogue/reports_unchanged")
            self.catalogue.add_capture(capture_row(item, None, self.run_id, report_id, None))
            return
        assert result is not None
        if result.get("too_large"):  # kept in the archive, catalogued as such, counted and logged
            self.stats.inc_value("nianbao/errors/too_large")
            logger.warning("%s: %s", item.url, result["error"])
            result = {**result, "page": {"kind": "too_large", "title": item.link_title}}
        page = result.get("page")
        report_id = None
        if page and page["kind"] == "report":
            portal = self.crawler.spider.portals.get(item.portal)
            issuer = bool(portal and portal.title and page.get("agency") == portal.title)
            report_id, state = self.catalogue.upsert_report(report_row(item, page), self.run_id, issuer,
                                                            result.get("details"), listed=False)
            self.stats.inc_value(f"catalogue/reports_{state}")
            if item.parent_url:
                self.catalogue.link_page(report_id, item.parent_url, item.portal)
        elif not result["ok"] and not result.get("too_large"):
            self.stats.inc_value("extract/error")
        self.catalogue.add_capture(capture_row(item, page, self.run_id, report_id, result.get("error")))
        self.stats.inc_value("catalogue/captures")
        if self.warc_capture is not None and item.record_id:
            self.warc_capture.write_metadata(item.url, verdict_fields(page, report_id, result.get("error"), self.extractor),
                                   concurrent_to=item.record_id)

    def spider_closed(self, spider: Any = None, reason: str = "finished") -> None:
        if self.committer is not None and self.committer.running:
            self.committer.stop()
        if self.pool is not None:
            self.pool.close()
            self.stats.set_value("nianbao/workers_replaced", self.pool.replaced)
        self.stats.set_value("nianbao/resources", resource_usage(
            *((self.pool.peak_rss_mb, self.pool.cpu_s) if self.pool is not None else ())))
        if self.catalogue is not None and self.run_id is not None:
            self.catalogue.mark_listed(self.run_id, getattr(self.crawler.spider, "listed_urls", set()))
            self.stats.set_value("nianbao/warnings", run_warnings(self.stats.get_stats()))
            stats = self.stats.get_stats()
            run = self.catalogue.finish_run(self.run_id, reason, stats,
                                            self.crawler.settings.getint("WITHDRAW_AFTER_RUNS", 2))
            self.stats.set_value("nianbao/run", {k: run[k] for k in (
                "id", "reports_new", "reports_changed", "reports_unchanged", "reports_withdrawn", "failed")})
            self.catalogue.close()


def _replay_templates(crawler: Crawler) -> dict[str, list[str]] | None:
    """In replay, the template lines the archive recorded, by response record id."""
    from crawler.replay import ReplayMiddleware

    middlewares = crawler.engine.downloader.middleware.middlewares if crawler.engine else ()
    replay = next((m for m in middlewares if isinstance(m, ReplayMiddleware) and m.index is not None), None)
    return replay.index.templates if replay is not None else None
