"""RedisCrawlState: the crawl state every worker of a distributed crawl shares (CRAWL_STATE).

The page budget is a Redis counter per portal, the report links seen on listings one set
for the whole crawl, and the last archived 200 of each URL one hash, written by whichever
worker archived it (`response_downloaded`, after WarcCapture) and read by every worker's
RevalidateMiddleware, so conditional requests and revisits work across workers. Only the
crawl's coordinator yields the start requests, once (`seeds`, `seeded`).
Settings: REDIS_URL, NIANBAO_ROLE (`coordinator` or `worker`).
"""

from __future__ import annotations

import json
from typing import Any

from scrapy import Request, signals
from scrapy.http import Response

from archive.records import header_pairs
from crawler.meta import (
    WARC_DATE,
    WARC_LOCATION,
    WARC_PAYLOAD_DIGEST,
    WARC_RECORD_ID,
    WARC_RECORD_TYPE,
)
from crawler.state import CrawlState, KnownCapture
from distributed import store

# The Lua script both spends and refuses, so concurrent workers never overspend.
_TAKE = """
local spent = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
if spent > tonumber(ARGV[2]) then redis.call('HINCRBY', KEYS[1], ARGV[1], -1) return 0 end
return 1
"""


class RedisCrawlState(CrawlState):
    def __init__(self, server: Any, stats: Any, coordinator: bool) -> None:
        self.server = server
        self.stats = stats
        self.coordinator = coordinator
        self.listed: set[str] = set()  # this worker's share; the crawl's is store.LISTED
        self._take = server.register_script(_TAKE)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedisCrawlState:
        from scrapy_redis.connection import get_redis_from_settings

        settings = crawler.settings
        state = cls(get_redis_from_settings(settings), crawler.stats, settings.get("NIANBAO_ROLE") == "coordinator")
        crawler.signals.connect(state.response_downloaded, signal=signals.response_downloaded)
        return state

    def take_budget(self, portal: str, limit: int) -> bool:
        return bool(self._take(keys=[store.BUDGET], args=[portal, limit]))

    def add_listed(self, url: str) -> None:
        self.listed.add(url)
        self.server.sadd(store.LISTED, url)

    def is_non_report(self, url: str) -> bool:
        return bool(self.server.sismember(store.NON_REPORTS, url))

    def seeds(self) -> bool:
        return self.coordinator and store.crawl_record(self.server).get("seeded") != "1"

    def seeded(self) -> None:
        if self.coordinator:
            self.server.hset(store.CRAWL, "seeded", 1)

    def known_capture(self, url: str) -> KnownCapture | None:
        raw = self.server.hget(store.CAPTURES, url)
        if raw is None:
            return None
        known = json.loads(raw)
        return KnownCapture(known.get("etag"), known.get("last_modified"), known["refers_to"], None)

    def response_downloaded(self, response: Response, request: Request, spider: Any = None) -> None:
        """A report page or attachment just archived as a full 200: the crawl's latest capture."""
        meta = request.meta
        if (response.status != 200 or meta.get(WARC_RECORD_TYPE) == "revisit" or not meta.get(WARC_LOCATION)
                or 304 not in meta.get("handle_httpstatus_list", ())):
            return
        publish_capture(self.server, request.url, header_pairs(response.headers), {
            "uri": request.url, "date": meta[WARC_DATE], "record_id": meta[WARC_RECORD_ID],
            "digest": meta[WARC_PAYLOAD_DIGEST], "status": 200})


def publish_capture(server: Any, url: str, headers: list[tuple[str, str]], refers_to: dict[str, Any]) -> None:
    """Record URL's latest archived 200 (validators and what a revisit refers to) for every worker."""
    header = lambda name: next((v for k, v in headers if k.lower() == name), None)  # noqa: E731
    server.hset(store.CAPTURES, url, json.dumps({
        "etag": header("etag"), "last_modified": header("last-modified"),
        "refers_to": {**refers_to, "headers": headers}}, ensure_ascii=False))
