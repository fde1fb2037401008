"""RedisCrawlState: the crawl state every worker of a distributed crawl shares (CRAWL_STATE).

The page budget is a Redis counter per portal (each request charged once), the report links
seen on listings one set for the whole crawl, and the last archived 200 of each URL one hash,
filled from the coordinator's DATA when the crawl starts (distributed.seed) and read by every
worker's RevalidateMiddleware, so conditional requests and revisits work across workers.
A capture made during the crawl is not added: the only request made twice in a crawl is one
requeued from a dead worker, and a 304 then would stop its page's links from being followed
(the dead worker may have archived the page and died before its callback queued them).
Only the crawl's coordinator yields the start requests, once (`seeds`, `seeded`).
Settings: REDIS_URL, NIANBAO_ROLE (`coordinator` or `worker`).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable
from typing import Any

from crawler.state import CrawlState, KnownCapture
from distributed import store

# KEYS: budget charged   ARGV: portal limit request-key-or-empty → 1 spent (or paid before), 0 refused.
# One script spends and refuses, so concurrent workers never overspend; a request already
# charged (its worker was killed and its lease requeued, so another worker makes it again)
# is not charged twice.
_TAKE = """
if ARGV[3] ~= '' and redis.call('SISMEMBER', KEYS[2], ARGV[3]) == 1 then return 1 end
local spent = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
if spent > tonumber(ARGV[2]) then redis.call('HINCRBY', KEYS[1], ARGV[1], -1) return 0 end
if ARGV[3] ~= '' then redis.call('SADD', KEYS[2], ARGV[3]) end
return 1
"""


class RedisCrawlState(CrawlState):
    def __init__(self, server: Any, stats: Any, coordinator: bool) -> None:
        self.server = server
        self.stats = stats
        self.coordinator = coordinator
        self.listed: set[str] = set()  # this worker's share; the crawl's is store.LISTED
        # Called before the crawl is marked seeded: the scheduler sends the start requests it
        # holds for its next round trip, so no worker sees "seeded, nothing queued" too early.
        self.before_seeded: Any = lambda: None
        self._take = server.register_script(_TAKE)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedisCrawlState:
        from scrapy_redis.connection import get_redis_from_settings

        settings = crawler.settings
        return cls(get_redis_from_settings(settings), crawler.stats, settings.get("NIANBAO_ROLE") == "coordinator")

    def take_budget(self, portal: str, limit: int, key: str | None = None) -> bool:
        """Spend one request of the portal's budget; `key` (the request's fingerprint) is
        charged once for the whole crawl, whichever worker makes it and how often."""
        return bool(self._take(keys=[store.BUDGET, store.CHARGED], args=[portal, limit, key or ""]))

    def add_listed(self, *urls: str) -> None:
        if urls:
            self.listed.update(urls)
            self.server.sadd(store.LISTED, *urls)

    def has_body(self, url: str) -> bool:
        """The crawl shares URL's last archived body (a listing: distributed.rebuild)."""
        return bool(self.server.hexists(store.BODIES, url))

    def non_reports(self, urls: Iterable[str]) -> set[str]:
        urls = list(dict.fromkeys(urls))
        if not urls:
            return set()
        return {url for url, known in zip(urls, self.server.smismember(store.NON_REPORTS, urls), strict=True) if known}

    def seeds(self) -> bool:
        return self.coordinator and store.crawl_record(self.server).get("seeded") != "1"

    def seeded(self) -> None:
        if self.coordinator:
            self.before_seeded()
            self.server.hset(store.CRAWL, "seeded", 1)

    def known_capture(self, url: str) -> KnownCapture | None:
        raw = self.server.hget(store.CAPTURES, url)
        if raw is None:
            return None
        known = json.loads(raw)
        return KnownCapture(known.get("etag"), known.get("last_modified"), known["refers_to"], None)


def publish_capture(server: Any, url: str, headers: list[tuple[str, str]], refers_to: dict[str, Any],
                    body: bytes | None = None) -> None:
    """Record URL's latest archived 200 (validators and what a revisit refers to) for every
    worker; with `body` (a listing's, decoded), a 304 can be rebuilt on any worker."""
    header = lambda name: next((v for k, v in headers if k.lower() == name), None)  # noqa: E731
    pipe = server.pipeline()
    pipe.hset(store.CAPTURES, url, json.dumps({
        "etag": header("etag"), "last_modified": header("last-modified"),
        "refers_to": {**refers_to, "headers": headers}}, ensure_ascii=False))
    if body is not None:
        pipe.hset(store.BODIES, url, zlib.compress(body))
    pipe.execute()


def shared_body(server: Any, url: str) -> bytes | None:
    raw = server.hget(store.BODIES, url)
    return None if raw is None else zlib.decompress(raw)
