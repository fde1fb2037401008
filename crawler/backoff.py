"""Back off a host that says it is overloaded (429/503, Retry-After) or drops connections.

Retries themselves stay with Scrapy's RetryMiddleware; this middleware only slows the host's
download slot, so the retry (and everything else queued for that host) waits. The slot's
delay returns to normal after the host answers again. Settings: BACKOFF_MAX_DELAY.
"""

from __future__ import annotations

import email.utils
import logging
import time
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

logger = logging.getLogger(__name__)

OVERLOADED = (429, 503)


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, when - (now if now is not None else time.time()))


class BackoffMiddleware:
    def __init__(self, crawler: Crawler, max_delay: float) -> None:
        self.crawler = crawler
        self.max_delay = max_delay
        self.normal: dict[str, float] = {}  # slot → delay before backing off
        self.since: dict[str, float] = {}  # slot → when its delay was last raised

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffMiddleware:
        return cls(crawler, crawler.settings.getfloat("BACKOFF_MAX_DELAY", 120.0))

    def _slot(self, request: Request) -> tuple[str, Any] | tuple[None, None]:
        downloader = self.crawler.engine.downloader if self.crawler.engine else None
        if downloader is None:
            return None, None
        key = downloader.get_slot_key(request)
        return key, downloader.slots.get(key)

    def _back_off(self, request: Request, wait: float | None, why: str) -> None:
        key, slot = self._slot(request)
        if slot is None:
            return
        self.normal.setdefault(key, slot.delay)
        now = time.monotonic()
        # Answers to requests already in flight belong to the same episode: no compounding.
        compound = now - self.since.get(key, float("-inf")) >= slot.delay
        slot.delay = min(self.max_delay, max(slot.delay * 2 if compound else slot.delay, wait or 0.0, 1.0))
        self.since[key] = now
        self.crawler.stats.inc_value(f"nianbao/backoff/{why}")
        logger.info("backing off %s for %.1fs (%s)", key, slot.delay, why)

    def process_response(self, request: Request, response: Any) -> Any:
        if response.status in OVERLOADED:
            self._back_off(request, retry_after_seconds(response.headers.get("Retry-After")), str(response.status))
        else:
            key, slot = self._slot(request)
            if slot is not None and key in self.normal:
                slot.delay = self.normal.pop(key)  # the host answers again
                self.since.pop(key, None)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if isinstance(exception, IgnoreRequest):
            return  # dropped on our side (robots.txt, offsite, replay): the host said nothing
        self._back_off(request, None, type(exception).__name__)
