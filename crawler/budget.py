"""PageBudgetMiddleware: each portal's `max_pages` counts requests that reach the downloader.

The budget is charged here, after the scheduler's duplicate filter, not when the spider yields
a request: a resumed or unchanged re-crawl yields every known page twice (revalidation and its
listing), and charging both spent the budget on requests the dupefilter then dropped (issue 11).
Retries (`retry_times` in meta) are not charged again; each redirect hop is a request and is.
A request is charged once by its fingerprint: in a distributed crawl, one made again after its
worker died (its lease requeued) does not pay twice.
The count lives in the crawl state (`crawler.state`), so the workers of a distributed crawl
share one budget per portal. A request over budget is dropped with `BudgetSpent`, counted per portal in
`nianbao/budget_hit/<portal>`, logged once per portal, and reported in `crawl_runs.warnings`.
Ordered after RobotsTxtMiddleware: a request robots.txt forbids costs nothing.
"""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

from crawler.alerts import BUDGET
from crawler.meta import PORTAL
from crawler.state import crawl_state

logger = logging.getLogger(__name__)


class BudgetSpent(IgnoreRequest):
    """The portal's page budget (registry `max_pages`) is spent for this run."""


class PageBudgetMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageBudgetMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        portals = getattr(self.crawler.spider, "portals", None) or {}
        portal = portals.get(request.meta.get(PORTAL))
        if portal is None or request.meta.get("retry_times"):
            return
        key = self.crawler.request_fingerprinter.fingerprint(request).hex()  # a requeued request pays once
        if crawl_state(self.crawler).take_budget(portal.name, portal.max_pages, key):
            return
        key = BUDGET + portal.name
        if not self.stats.get_value(key):
            logger.warning("portal %s hit its page budget (max_pages = %d): %s and later requests not made",
                           portal.name, portal.max_pages, request.url)
        self.stats.inc_value(key)
        raise BudgetSpent(f"page budget of portal {portal.name!r} spent")
