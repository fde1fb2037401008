"""DiscoverSpider: from a portal's home page to its annual-report columns, the way a person
browses — 政务公开 / 信息公开 sections, then the 信息公开目录 of departments and townships and
the subsites of bodies — and every candidate column fetched to see whether it lists reports.

Run by `nianbao discover URL…` (crawler/discovery.py) by its name; findings
(crawler/findings.py) are left in `spider.sites`. Only the seeds' domains are visited;
robots.txt and the crawl's politeness settings apply, and with WARC_DIR set every exchange is
archived as in a crawl (archive/capture.py).
"""

from __future__ import annotations

from typing import Any

import scrapy
from scrapy.http import Response, TextResponse

from crawler.findings import ColumnFinding, SiteFinding, Verdict, seed_domains
from crawler.meta import BODY, HOPS, PORTAL, ROOT, SITE, TRAIL
from crawler.registry import is_loopback
from spiders import cms, links, navigation, pagination

_META = "//meta[@name='{}']/@content"


class DiscoverSpider(scrapy.Spider):
    name = "discover"
    custom_settings = {  # breadth first: the shallowest route to a column names its body
        "DEPTH_PRIORITY": 1,
        "SCHEDULER_DISK_QUEUE": "scrapy.squeues.PickleFifoDiskQueue",
        "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
    }

    def __init__(self, seeds: list[str], extra_domains: tuple[str, ...] = (), max_depth: int = 6,
                 max_pages: int = 400, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sites = {seed: SiteFinding(seed, seed_domains(seed) + tuple(extra_domains)) for seed in seeds}
        self.max_depth, self.max_pages = max_depth, max_pages

    async def start(self) -> Any:
        for seed in self.sites:
            yield self._follow(seed, self.parse_nav, site=seed, body=None, root=None, trail=(), hops=0)

    def _follow(self, url: str, callback, **meta: Any) -> scrapy.Request:
        meta[PORTAL] = meta[SITE]
        if is_loopback(url):
            meta["autothrottle_dont_adjust_delay"] = True
        return scrapy.Request(url, callback=callback, errback=self.on_error, meta=meta)

    def on_error(self, failure: Any) -> None:
        site = self.sites[failure.request.meta[SITE]]
        site.errors.append(f"{failure.request.url}: {failure.value}")
        self.crawler.stats.inc_value(f"discover/errors/{failure.type.__name__}")

    # -- navigation pages ---------------------------------------------------------------------

    def parse_nav(self, response: Response) -> Any:
        meta = response.meta
        site = self.sites[meta[SITE]]
        if not isinstance(response, TextResponse) or response.status != 200:
            return
        site.pages += 1
        if meta[HOPS] == 0:
            self._read_home(site, response)
        for src in response.xpath("//frame/@src | //iframe/@src").getall():  # a frameset home page
            url = response.urljoin(src.strip())
            if site.allows(url) and site.pages < self.max_pages:
                yield self._follow(url, self.parse_nav, site=site.seed, body=meta[BODY], root=meta[ROOT],
                                   trail=meta[TRAIL], hops=meta[HOPS])
        yield from self._navigate(site, response)

    def _navigate(self, site: SiteFinding, response: TextResponse) -> Any:
        """Follow the page's section and body links; propose its column links."""
        meta = response.meta
        for url, text in links.anchors(response.text, response.url):
            if not site.allows(url) or url == response.url:
                continue
            kind = navigation.link_kind(text)
            if kind == "column":
                yield from self._candidate(site, response, url, text)
            elif kind in ("section", "body") and meta[HOPS] < self.max_depth and site.pages < self.max_pages:
                if kind == "body":  # its pages: those below its link, unless that is the site's own root
                    body, root = text, url.rsplit("/", 1)[0] + "/"
                    root = url if site.seed.startswith(root) else root
                else:  # a section below a body's own pages stays that body's
                    inside = meta[ROOT] and url.startswith(meta[ROOT])
                    body, root = (meta[BODY], meta[ROOT]) if inside else (None, None)
                yield self._follow(url, self.parse_nav, site=site.seed, body=body, root=root,
                                   trail=(*meta[TRAIL], text), hops=meta[HOPS] + 1)

    def _read_home(self, site: SiteFinding, response: TextResponse) -> None:
        def meta(name: str) -> str | None:
            found = response.xpath(_META.format(name)).get()
            return found.strip() if found else None

        # A frameset's frames are read as the home page too: fill in what it did not say.
        site.owner = site.owner or navigation.site_owner(meta("SiteName"), response.xpath("//title/text()").get())
        site.site_id = site.site_id or meta("SiteIDCode")
        site.cms = site.cms or cms.detect_cms(response.text)[0]

    def _candidate(self, site: SiteFinding, response: Response, url: str, text: str) -> Any:
        meta = response.meta
        finding = ColumnFinding(url, text, meta[BODY], (*meta[TRAIL], text), meta[HOPS] + 1)
        known = site.columns.get(url)
        if known is None:  # once per candidate, even when the page was also read as navigation
            site.columns[url] = finding
            yield self._follow(url, self.parse_column, site=site.seed, body=meta[BODY], root=meta[ROOT],
                               trail=finding.trail, hops=meta[HOPS] + 1).replace(dont_filter=True)
        elif finding.depth < known.depth:  # a shorter route decides the body
            known.body, known.trail, known.depth = finding.body, finding.trail, finding.depth

    # -- candidate columns --------------------------------------------------------------------

    def parse_column(self, response: Response) -> Any:
        site = self.sites[response.meta[SITE]]
        finding = site.columns[(response.meta.get("redirect_urls") or [response.url])[0]]
        if not isinstance(response, TextResponse) or response.status != 200:
            finding.verdict = Verdict("undecided", f"{finding.name!r} answered HTTP {response.status}")
            return
        anchors = links.anchors(response.text, response.url)
        for fragment in pagination.record_fragments(response.text):  # Hanweb's embedded first page
            anchors += links.anchors(f"<div>{fragment}</div>", response.url)
        finding.verdict = navigation.judge_listing(finding.name, response.url, anchors, site.allows)
        finding.cms, finding.cms_evidence = cms.detect_cms(response.text)
        finding.pagination = cms.detect_pagination(response, anchors)
        dated = [u for u, t in anchors if navigation.YEAR.search(t) and site.allows(u)]
        if finding.verdict.kind != "report" and not dated and response.meta[HOPS] < self.max_depth:
            # No items at all: a hub (年报专栏 → 本级年报, 部门年报, …) or an empty column; read on.
            yield from self._navigate(site, response)
            onward = [t for u, t in anchors if site.allows(u) and navigation.link_kind(t) in ("column", "body")]
            if onward:
                finding.verdict = Verdict("hub", f"{finding.name!r} lists no item but links "
                                                     f"{len(onward)} columns or bodies, followed")
        declared, shown = cms.declared_total(response.text), len(finding.verdict.reports)
        if finding.verdict.kind == "report" and finding.pagination == "single-page" and (declared or 0) > shown:
            finding.verdict.warning = (f"the listing says it holds {declared} items but links {shown} reports "
                                       "and no pager nianbao follows: later pages may be filled by a script")
        self.crawler.stats.inc_value(f"discover/columns/{finding.verdict.kind}")
