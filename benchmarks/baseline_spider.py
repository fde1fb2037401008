"""The baseline: a bare Scrapy spider following the same listings and report links as
nianbao's PortalSpider, with nothing else — no WARC, no items, no extraction, no catalogue.

    scrapy runspider benchmarks/baseline_spider.py -a registry=REGISTRY.toml

It reads the same portal registry and uses the project's pure link helpers
(`spiders.pagination`, `spiders.links`) so that both crawlers fetch the same set of pages;
everything it does besides that is plain Scrapy (selectors, `response.follow`).
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import scrapy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crawler.documents import attachment_extension  # noqa: E402
from spiders import links, pagination  # noqa: E402


class BaselineSpider(scrapy.Spider):
    name = "baseline"

    def __init__(self, registry: str, **kwargs):
        super().__init__(**kwargs)
        data = tomllib.loads(Path(registry).read_text(encoding="utf-8"))
        self.portals = data["portal"]
        self.netlocs = {d for p in self.portals for d in p["allowed_domains"]}

    async def start(self):
        for portal in self.portals:
            for url in portal["start_urls"]:
                yield self._req(url, self.parse_listing)

    @staticmethod
    def _req(url: str, callback) -> scrapy.Request:
        # one download slot per host:port, as for separate real hosts (nianbao does the same)
        return scrapy.Request(url, callback=callback, meta={"download_slot": urlsplit(url).netloc})

    def _ok(self, url: str) -> bool:
        return urlsplit(url).netloc in self.netlocs

    def _anchors(self, response, selector=None):
        sel = selector if selector is not None else response
        for a in sel.xpath("//a[@href]"):
            href = a.attrib["href"].strip()
            if not href or href.startswith(("javascript:", "#", "mailto:")):
                continue
            label = a.attrib.get("title") or "".join(a.xpath(".//text()").getall())
            yield response.urljoin(href), re.sub(r"\s+", "", label)

    def parse_listing(self, response):
        if not isinstance(response, scrapy.http.TextResponse):
            return
        found = list(self._anchors(response))
        for fragment in pagination.record_fragments(response.text):
            found += self._anchors(response, scrapy.Selector(text=f"<div>{fragment}</div>"))
        for url, text in found:
            if links.is_report_title(text) and self._ok(url):
                cb = self.parse_detail if not attachment_extension(url) else self.parse_attachment
                yield self._req(url, cb)
            elif links.is_pagination_link(url, text) and self._ok(url):
                a, b = urlsplit(response.url), urlsplit(url)
                if a.path.rsplit("/", 1)[0] == b.path.rsplit("/", 1)[0]:
                    yield self._req(url, self.parse_listing)
        for url in pagination.trs_pages(response):
            yield self._req(url, self.parse_listing)
        for request in pagination.hanweb_requests(response, {"download_slot": urlsplit(response.url).netloc}):
            yield request.replace(callback=self.parse_listing)

    def parse_detail(self, response):
        if not isinstance(response, scrapy.http.TextResponse):
            return
        for url, _text in self._anchors(response):
            if attachment_extension(url) and self._ok(url):
                yield self._req(url, self.parse_attachment)

    def parse_attachment(self, response):
        return None
