"""CataloguePipeline: extract each captured page in worker processes, write catalogue rows.

Settings: CATALOGUE_PATH, WARC_DIR, EXTRACT_WORKERS (0 = extract in-process), EXTRACT_FUNCTION,
EXTRACT_MAXSIZE (larger payloads are catalogued as too large, not read),
CATALOGUE_BATCH_ITEMS and CATALOGUE_BATCH_SECONDS (how often rows are committed),
NIANBAO_COMMAND (recorded in crawl_runs).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

from archive.crashpoint import crash_point
from catalogue.catalogue import Catalogue
from crawler.alerts import OTHER, TOO_DEEP, run_warnings
from crawler.extraction import DEFAULT_EXTRACTOR, EXTRACT_MAXSIZE, extract_archived, warm_up
from crawler.items import CaptureItem
from crawler.rows import capture_row, report_row, verdict_fields

logger = logging.getLogger(__name__)


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
        self.pool: ProcessPoolExecutor | None = None
        self.run_id: int | None = None
        self.warc_capture: Any = None
        self.batch_items = crawler.settings.getint("CATALOGUE_BATCH_ITEMS", 100)
        self.batch_seconds = crawler.settings.getfloat("CATALOGUE_BATCH_SECONDS", 2.0)
        self.committer: Any = None
        self.max_size = crawler.settings.getint("EXTRACT_MAXSIZE", EXTRACT_MAXSIZE)

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
        self.catalogue = Catalogue(self.catalogue_path, self.batch_items, self.batch_seconds)
        self.catalogue.before_commit, self.catalogue.after_commit = self._checkpoint, self._committed
        # Readers (nianbao query, Datasette) see a quiet crawl's last rows within seconds.
        self.committer = create_looping_call(self.catalogue.commit)
        self.committer.start(self.batch_seconds, now=False)
        portals = list(getattr(self.crawler.spider, "portals", {}))
        self.run_id = self.catalogue.interrupted_run(portals)
        if self.run_id is not None:  # the last run over these portals was killed: resume it
            self.stats.set_value("nianbao/resumed", True)
            logger.info("resuming interrupted crawl run %s", self.run_id)
        else:
            self.run_id = self.catalogue.start_run(self.crawler.settings.get("NIANBAO_COMMAND", "crawl"), portals)
        self.stats.set_value("nianbao/run_id", self.run_id)
        if self.workers > 0:
            context = multiprocessing.get_context("spawn")  # never fork a running reactor
            self.pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=warm_up)

    def _checkpoint(self) -> None:
        """Before a batch commits: the WARC bytes its rows point at are on disk (fsync)."""
        warc = self.warc_capture.warc if self.warc_capture is not None else None
        if warc is not None:
            warc.sync()
        crash_point("after-fsync", warc)

    def _committed(self) -> None:
        crash_point("after-commit", self.warc_capture.warc if self.warc_capture is not None else None)

    async def _extract(self, item: CaptureItem) -> dict[str, Any]:
        hints = self._hints(item)
        if self.pool is None:
            return extract_archived(self.warc_dir, item.location, hints, self.extractor, self.max_size)
        future = self.pool.submit(extract_archived, self.warc_dir, item.location, hints, self.extractor,
                                  self.max_size)
        return await asyncio.wrap_future(future)

    def _hints(self, item: CaptureItem) -> dict[str, Any]:
        portal = self.crawler.spider.portals.get(item.portal)
        return {
            "portal_name": item.portal,
            "portal_title": portal.title if portal else None,
            "registry_region": portal.region if portal else None,
            "link_title": item.link_title,
            "parent_url": item.parent_url,
            "parent_location": item.parent_location,
        }

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, CaptureItem):
            return item
        if item.location is None:
            self.stats.inc_value("catalogue/not_archived")
            return item
        assert self.catalogue is not None
        result = await self._extract(item) if self._extracted(item) else None
        for warning in (result or {}).get("warnings", ()):  # a page read only in part: say so
            logger.warning("extraction of %s: %s", item.url, warning)
            self.stats.inc_value(TOO_DEEP if warning.startswith("too deep") else OTHER)
        with self.catalogue.item():  # no await inside: a batch commit never splits an item
            self._catalogue(item, result)
        return item

    @staticmethod
    def _is_unchanged(item: CaptureItem) -> bool:
        return item.status == 304 or item.record_type == "revisit"

    def _extracted(self, item: CaptureItem) -> bool:
        """Listings, gone pages and unchanged pages are recorded, not extracted."""
        return item.kind != "listing" and item.status not in (404, 410) and not self._is_unchanged(item)

    def _catalogue(self, item: CaptureItem, result: dict[str, Any] | None) -> None:
        """One capture's rows (and its metadata record), written as one catalogue item."""
        assert self.catalogue is not None and self.run_id is not None
        if item.kind == "listing":  # kept for its validators: the next run asks conditionally
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
            self.pool.shutdown(wait=True)
        if self.catalogue is not None and self.run_id is not None:
            self.catalogue.mark_listed(self.run_id, getattr(self.crawler.spider, "listed_urls", set()))
            self.stats.set_value("nianbao/warnings", run_warnings(self.stats.get_stats()))
            stats = self.stats.get_stats()
            run = self.catalogue.finish_run(self.run_id, reason, stats,
                                            self.crawler.settings.getint("WITHDRAW_AFTER_RUNS", 2))
            self.stats.set_value("nianbao/run", {k: run[k] for k in (
                "id", "reports_new", "reports_changed", "reports_unchanged", "reports_withdrawn", "failed")})
            self.catalogue.close()
