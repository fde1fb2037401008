"""SharedRobotsTxtMiddleware: robots.txt fetched once per host for the whole crawl.

The first worker to need a host's robots.txt claims it in Redis, fetches it (archived to its
WARC like any response) and stores the body; the others wait for that body and parse it,
instead of each fetching its own. A claim expires, so a worker that died while fetching
does not leave the host blocked. Replaces Scrapy's RobotsTxtMiddleware in workers.
"""

from __future__ import annotations

import asyncio
from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler

from distributed import store

FAILED = b"\0failed"  # the fetch failed: every worker then allows all, as Scrapy does


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    CLAIM_SECONDS = 60

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        from scrapy_redis.connection import get_redis_from_settings

        self.server = get_redis_from_settings(crawler.settings)
        self.worker = crawler.settings.get("WORKER_ID", "")

    async def robot_parser(self, request: Request) -> Any:
        netloc = urlparse_cached(request).netloc
        while netloc not in self._parsers:
            body = self.server.hget(store.ROBOTS, netloc)
            if body is not None:
                self._stats.inc_value("robotstxt/shared")
                self._parsers[netloc] = (None if body == FAILED
                                         else build_from_crawler(self._parserimpl, self.crawler, body))
                break
            if self.server.set(store.ROBOTS_CLAIM + netloc, self.worker, nx=True, ex=self.CLAIM_SECONDS):
                return await super().robot_parser(request)  # ours to fetch; stored in _parse_robots
            await asyncio.sleep(0.1)
        return await super().robot_parser(request)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        self.server.hset(store.ROBOTS, netloc, response.body)
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        self.server.hset(store.ROBOTS, netloc, FAILED)
        super()._robots_error(exc, netloc)
