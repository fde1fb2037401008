"""A report page's images (tables pasted as pictures, a report published as page images) are
fetched with the page, one after the other, before the page goes to the catalogue: its
extraction reads them from the archive (extract/images.py, crawler/extraction.py), so replay,
which fetches them again from the archive in the same chain, gives the same report.

The chain passes the page's item along in `cb_kwargs`; a failed or refused image (offsite,
the portal's page budget, an error) is recorded as missing and the chain goes on, so the page
is always catalogued, its report then warning what is missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

from scrapy.http import Response

from crawler.items import CaptureItem
from crawler.meta import PARENT_URL, PORTAL, REFERER_URL, WARC_LOCATION, WARC_RECORD_TYPE
from extract.images import images_to_fetch

_IMAGE_SUFFIX = re.compile(rb"\.(?:jpe?g|png|bmp|tiff?)\b")
_IMG_SRC = re.compile(rb"<img\b[^>]*?\bsrc\s*=\s*[\"']?([^\"'\s>]+)", re.I)
_LINKED_IMAGE = re.compile(rb"<a\b[^>]*?\bhref\s*=\s*[\"']?[^\"'\s>]+\.(?:jpe?g|png|bmp|tiff?)\b", re.I)


class PageImagesMixin:
    """For PortalSpider: `with_images(portal, response, item)` yields the page's item at once
    (no report image) or the first image request of its chain."""

    def with_images(self, portal: Any, response: Response, item: CaptureItem) -> Iterator[Any]:
        urls = self._report_images(portal.name, response)
        if not urls:
            yield item
            return
        item.images = dict.fromkeys(urls)  # each filled in as it is archived; None: missing
        yield from self._next_image(portal, item, urls, response.url)

    def _report_images(self, portal: str, response: Response) -> list[str]:
        """The page's report images. Finding them means finding the page's body (8 ms or so in
        the crawl process); a page whose every <img> the portal's other pages already showed
        outside their body (its logo, its icons) and that links no image file is not searched."""
        lowered = response.body.lower()
        if b"<img" not in lowered and not _IMAGE_SUFFIX.search(lowered):
            return []
        shown = {urljoin(response.url, src.decode("utf-8", "replace").strip())
                 for src in _IMG_SRC.findall(response.body)}
        chrome = self.__dict__.setdefault("_chrome_images", {}).setdefault(portal, set())
        if shown <= chrome and not _LINKED_IMAGE.search(response.body):
            return []
        urls = images_to_fetch(response.text, response.url)
        chrome.update(shown - set(urls))
        return urls

    def _next_image(self, portal: Any, item: CaptureItem, pending: list[str], page_url: str) -> Iterator[Any]:
        while pending:
            url, *rest = pending
            request = self._request(portal, url, self.parse_page_image, referer_url=page_url,  # type: ignore[attr-defined]
                                    parent_url=page_url)
            if request is not None:
                self.crawler.stats.inc_value("nianbao/page_images")  # type: ignore[attr-defined]
                yield request.replace(dont_filter=True,  # an image two pages show is fetched for each
                                      cb_kwargs={"item": item, "url": url, "pending": rest},
                                      errback=self.page_image_failed)
                return
            pending = rest  # offsite: counted by _request, the image stays missing
        yield item

    def parse_page_image(self, response: Response, item: CaptureItem, url: str,
                         pending: list[str]) -> Iterator[Any]:
        location = response.meta.get(WARC_LOCATION)
        item.images[url] = location if response.status in (200, 304) else None  # type: ignore[index]
        if item.images[url] is None:  # type: ignore[index]
            self.crawler.stats.inc_value("nianbao/page_images_missing")  # type: ignore[attr-defined]
        elif response.status == 200 and response.meta.get(WARC_RECORD_TYPE, "response") != "revisit":
            item.images_changed = True  # a new payload: the page's report is read again with it
        if location is not None:
            yield self._item(response, "image", parent_url=response.meta.get(PARENT_URL))  # type: ignore[attr-defined]
        portal = self.portals[response.meta[PORTAL]]  # type: ignore[attr-defined]
        yield from self._next_image(portal, item, pending, response.meta.get(REFERER_URL) or item.url)

    def page_image_failed(self, failure: Any) -> Iterator[Any]:
        request = failure.request
        self.on_error(failure)  # type: ignore[attr-defined]
        item, pending = request.cb_kwargs["item"], request.cb_kwargs["pending"]
        item.images[request.cb_kwargs["url"]] = None
        self.crawler.stats.inc_value("nianbao/page_images_missing")  # type: ignore[attr-defined]
        portal = self.portals[request.meta[PORTAL]]  # type: ignore[attr-defined]
        yield from self._next_image(portal, item, pending, request.meta.get(REFERER_URL) or item.url)
