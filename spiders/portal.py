"""PortalSpider: from each registry portal's report column to every report page and attachment.

Run as `nianbao crawl --portals FILE` or `scrapy crawl portal -a registry=FILE`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse

from archive.location import RecordLocation
from crawler.alerts import LISTING_BUDGET, TRAP
from crawler.budget import BudgetSpent
from crawler.documents import attachment_extension
from crawler.guard import RequestRefused
from crawler.items import CaptureItem
from crawler.meta import (
    LINK_TITLE,
    PARENT_LOCATION,
    PARENT_URL,
    PORTAL,
    REBUILT_FROM_ARCHIVE,
    REFERER_URL,
    REPLAY_LOCATION,
    WARC_DATE,
    WARC_LOCATION,
    WARC_PAYLOAD_DIGEST,
    WARC_RECORD_ID,
    WARC_RECORD_TYPE,
)
from crawler.registry import Portal, is_loopback, load_registry
from crawler.state import crawl_state
from spiders import links, pagination
from spiders.page_images import PageImagesMixin


class PortalSpider(PageImagesMixin, scrapy.Spider):
    name = "portal"

    def __init__(self, registry: str | None = None, portals: list[Portal] | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        if portals is None:
            if not registry:
                raise ValueError("PortalSpider needs -a registry=FILE")
            portals = load_registry(registry)
        self.portals = {p.name: p for p in portals}
        self.patterns = {
            p.name: re.compile(p.title_pattern) if p.title_pattern else links.REPORT_TITLE for p in portals
        }
        self.listing_pages: Counter[str] = Counter()
        self.listing_links: dict[str, set[str]] = {name: set() for name in self.portals}  # trap detection
        self.dead_listings: Counter[str] = Counter()  # listing pages in a row with no new link

    @property
    def state(self) -> Any:
        """The run's state (crawler/state.py): the run, what earlier runs captured, a resumed
        run's archived URLs, budget, listed links, known captures; this process's, or a
        distributed crawl's."""
        return crawl_state(self.crawler)

    @property
    def listed_urls(self) -> set[str]:
        """Report links seen on a listing this run (CataloguePipeline marks them listed)."""
        return self.state.listed

    # -- requests ---------------------------------------------------------------------------

    def _meta(self, portal: Portal, url: str, **extra: Any) -> dict[str, Any]:
        meta = {PORTAL: portal.name, **extra}  # the download slot: crawler.downloader
        if portal.download_delay is None and is_loopback(url):
            # Loopback hosts are the simulated portals: politeness delays would only slow tests.
            meta["autothrottle_dont_adjust_delay"] = True
        return meta

    def _request(self, portal: Portal, url: str, callback, priority: int = 0, **meta: Any) -> scrapy.Request | None:
        if not portal.allows(url):
            self.crawler.stats.inc_value("nianbao/offsite_dropped")
            return None
        archived = self.state.archived_this_run.get(url) if callback != self.parse_listing else None
        if archived is not None:
            # Archived before the kill: taken from the WARC, not the portal, and parsed again, so
            # links it leads to (attachments) are followed and its rows are (re)written. Rows
            # committed before the kill are written again unchanged; the open batch was lost.
            meta[REPLAY_LOCATION] = archived
            self.crawler.stats.inc_value("nianbao/resume_from_archive")
        if callback != self.parse_listing:
            meta["handle_httpstatus_list"] = [304, 404, 410]  # unchanged or gone reach the callbacks
        return scrapy.Request(url, callback=callback, meta=self._meta(portal, url, **meta),
                              priority=priority, errback=self.on_error)

    async def start(self) -> Any:
        settings = self.crawler.settings
        self.state.load_catalogue(settings.get("CATALOGUE_PATH"), settings.get("WARC_DIR"), self.portals)
        if not self.state.seeds():
            return  # a distributed crawl's worker: the frontier is seeded once, by the crawl
        for portal in self.portals.values():
            for url in portal.start_urls:
                request = self._request(portal, url, self.parse_listing)
                if request is not None:
                    yield request
        # Known reports are revalidated even when gone from their listing: a 404/410 marks
        # them withdrawn, a 304 confirms them without a second copy (crawler.revalidate).
        known_pages = {url: known for url, known in self.state.known_pages.items()
                       if known["kind"] not in ("listing", "image")}
        skipped = self._known_non_reports(list(known_pages))  # one question for all of them
        for url, known in known_pages.items():
            if url in skipped:
                continue
            portal = self.portals[known["portal"]]
            callback = self.parse_attachment if known["kind"] == "attachment" else self.parse_detail
            parent = self._known_parent(known)
            if known.get("parent_url") and not parent:
                # its linking page has no capture (lost to a crash before its batch committed):
                # seeded alone it would be read without the page's metadata, and, taking the
                # duplicate filter's slot, as a second report; the page, crawled again, links it
                continue
            request = self._request(portal, url, callback, priority=-1, **parent)
            if request is not None:
                yield request
        self.state.seeded()

    def _known_parent(self, known: dict[str, Any]) -> dict[str, Any]:
        """An attachment's linking page, so a changed (or resumed) attachment report is read
        with the page's metadata, as when it was first found there (crawler.extraction)."""
        parent = self.state.known_pages.get(known.get("parent_url") or "")
        if parent is None or parent.get("warc_filename") is None:
            return {}
        return {PARENT_URL: parent["url"], PARENT_LOCATION: RecordLocation(
            parent["warc_filename"], parent["warc_offset"], parent["warc_length"])}

    def on_error(self, failure: Any) -> None:
        if failure.check(RequestRefused, BudgetSpent):
            return  # logged and counted by the guard (nianbao/refused) or the budget
        if failure.type is IgnoreRequest and str(failure.value).startswith("Forbidden by robots.txt"):
            return  # the portal's wish, not a failure: Scrapy counts robotstxt/forbidden
        self.crawler.stats.inc_value(f"nianbao/errors/{failure.type.__name__}")
        self.logger.warning("request failed: %s (%s)", failure.request.url, failure.value)

    def _known_non_reports(self, urls: list[str]) -> set[str]:
        """Fetched before and found not to be a report (一图读懂, 解读, a letter): not again."""
        other = {url for url in urls if (self.state.known_pages.get(url) or {}).get("page_kind") == "other"}
        other |= self.state.non_reports(url for url in urls if url not in other)
        if other:
            self.crawler.stats.inc_value("nianbao/known_non_report_skipped", sum(url in other for url in urls))
        return other

    # -- listings ---------------------------------------------------------------------------

    def parse_listing(self, response: Response) -> Iterator[Any]:
        portal = self.portals[response.meta[PORTAL]]
        if not isinstance(response, TextResponse):
            return
        self.listing_pages[portal.name] += 1
        if self.listing_pages[portal.name] > portal.max_listing_pages:
            self._limit_hit(LISTING_BUDGET, portal, "hit its listing budget (max_listing_pages = "
                            f"{portal.max_listing_pages}): {response.url} and later listing pages not parsed")
            return
        self.crawler.stats.inc_value("nianbao/listing_pages")
        yield self._item(response, "listing")
        found = self._listing_links(portal, response)
        yield from self._follow_items(portal, response, found)
        if self._dead_end(portal, response, found):
            return
        for url in pagination.trs_pages(response):
            request = self._request(portal, url, self.parse_listing)
            if request is not None:
                yield request
        for request in pagination.hanweb_requests(response, self._meta(portal, response.url)):
            if portal.allows(request.url):
                yield request.replace(callback=self.parse_listing, errback=self.on_error)
        for url, text in self._anchors(response.text, response.url):
            if links.is_pagination_link(url, text) and self._same_column(response.url, url):
                request = self._request(portal, url, self.parse_listing)
                if request is not None:
                    yield request

    def _dead_end(self, portal: Portal, response: Response, found: list[tuple[str, str]]) -> bool:
        """A spider trap: LISTING_TRAP_PAGES listing pages in a row that link nothing new but
        more pages (a pager that never ends, a calendar). Their pagination is not followed."""
        fresh = {url for url, text in found if not links.is_pagination_link(url, text)} - self.listing_links[portal.name]
        self.listing_links[portal.name] |= fresh
        self.dead_listings[portal.name] = 0 if fresh else self.dead_listings[portal.name] + 1
        if self.dead_listings[portal.name] < self.crawler.settings.getint("LISTING_TRAP_PAGES", 10):
            return False
        self._limit_hit(TRAP, portal, f"spider trap suspected at {response.url}: "
                        f"{self.dead_listings[portal.name]} listing pages in a row brought no new link; "
                        "their pagination is not followed")
        return True

    def _limit_hit(self, prefix: str, portal: Portal, message: str) -> None:
        """Counted per portal for crawl_runs.warnings (crawler.alerts); logged the first time."""
        if not self.crawler.stats.get_value(prefix + portal.name):
            self.logger.warning("portal %s %s", portal.name, message)
        self.crawler.stats.inc_value(prefix + portal.name)

    def _anchors(self, text: str, base: str, xpath: str | None = None) -> list[tuple[str, str]]:
        return links.anchors(text, base, xpath)

    def _listing_links(self, portal: Portal, response: TextResponse) -> list[tuple[str, str]]:
        found = self._anchors(response.text, response.url, portal.link_xpath)
        for fragment in pagination.record_fragments(response.text):
            found += self._anchors(f"<div>{fragment}</div>", response.url)
        return found

    @staticmethod
    def _same_column(listing_url: str, url: str) -> bool:
        a, b = urlsplit(listing_url), urlsplit(url)
        return a.netloc == b.netloc and a.path.rsplit("/", 1)[0] == b.path.rsplit("/", 1)[0]

    def _follow_items(self, portal: Portal, response: Response, anchors: list[tuple[str, str]]) -> Iterator[Any]:
        pattern = self.patterns[portal.name]
        titled = [(url, text) for url, text in anchors if links.is_report_title(text, pattern)]
        skipped = self._known_non_reports([url for url, _ in titled])
        follow = []
        for url, text in titled:
            if url in skipped:
                continue
            if not portal.allows(url):
                self.crawler.stats.inc_value("nianbao/offsite_dropped")
                continue
            follow.append((url, text))
        self.state.add_listed(*(url for url, _ in follow))
        for url, text in follow:
            callback = self.parse_attachment if attachment_extension(url) else self.parse_detail
            request = self._request(portal, url, callback, link_title=text, referer_url=response.url)
            if request is not None:
                yield request

    # -- report pages and attachments ----------------------------------------------------------

    def _item(self, response: Response, kind: str, **extra: Any) -> CaptureItem:
        meta = response.meta
        header = lambda name: (response.headers.get(name) or b"").decode("latin-1") or None  # noqa: E731
        return CaptureItem(
            url=response.url,
            portal=meta[PORTAL],
            kind=kind,
            status=304 if meta.get(REBUILT_FROM_ARCHIVE) else response.status,
            content_type=(response.headers.get("Content-Type") or b"").decode("latin-1"),
            link_title=meta.get(LINK_TITLE),
            referer_url=meta.get(REFERER_URL),
            location=meta.get(WARC_LOCATION),
            warc_date=meta.get(WARC_DATE),
            payload_digest=meta.get(WARC_PAYLOAD_DIGEST),
            record_type=meta.get(WARC_RECORD_TYPE, "response"),
            record_id=meta.get(WARC_RECORD_ID),
            etag=header("ETag"),
            last_modified=header("Last-Modified"),
            **extra,
        )

    def parse_detail(self, response: Response) -> Iterator[Any]:
        portal = self.portals[response.meta[PORTAL]]
        if response.status != 200:
            yield self._item(response, "page")
            return  # gone, or a 304 the archive could not give back: nothing to follow
        # An unchanged page (a revisit, its body from the archive) is followed like a new one:
        # its attachments and images are asked for again, conditionally, so a file replaced
        # under the same link is captured (and re-read with its page), not missed.
        if not isinstance(response, TextResponse):
            yield self._item(response, "attachment")
            return
        page = self._item(response, "page")
        yield from self.with_images(portal, response, page)  # its report images, then the page
        if not links.may_link_attachments(response.body):
            return  # most report pages: no second parse just to find no attachment
        # A link's document type shows in its href as in its absolute URL (path and query).
        anchors, embedded = links.page_links(response.text, response.url, keep=attachment_extension)
        for url, text in anchors + embedded:
            if url in (page.images or {}):
                continue  # the pages of an image report, read with the page
            if (attachment_extension(url) or (url, "") in embedded) and portal.allows(url):
                request = self._request(portal, url, self.parse_attachment,
                                        link_title=text or response.meta.get(LINK_TITLE),
                                        referer_url=response.url, parent_url=response.url,
                                        parent_location=response.meta.get(WARC_LOCATION))
                if request is not None:
                    yield request

    def parse_attachment(self, response: Response) -> Iterator[Any]:
        yield self._item(response, "attachment", parent_url=response.meta.get(PARENT_URL),
                         parent_location=response.meta.get(PARENT_LOCATION))
