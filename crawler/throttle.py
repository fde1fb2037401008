"""AutoThrottle per portal: each host's own concurrency and minimum delay from the registry.

Scrapy's AutoThrottle aims every slot at one global target concurrency and floors every
delay at the global DOWNLOAD_DELAY, so a registry that allows a host 2 parallel requests and
no delay still gets at most one request per DOWNLOAD_DELAY. Here the target is the slot's own
concurrency and the floor its own delay (`DOWNLOAD_SLOTS`, built from the registry by
`crawler.run.crawl_settings`); AutoThrottle still slows any host whose latency grows.
"""

from __future__ import annotations

from typing import Any

from scrapy.extensions.throttle import AutoThrottle


class PortalAutoThrottle(AutoThrottle):
    def _slot_floor(self, key: str | None) -> float:
        settings = self.crawler.engine.downloader.per_slot_settings.get(key or "", {})
        return float(settings.get("delay", self.mindelay))

    def _response_downloaded(self, response: Any, request: Any, spider: Any = None) -> None:
        key, slot = self._get_slot(request, spider)
        latency = request.meta.get("download_latency")
        if latency is None or slot is None or request.meta.get("autothrottle_dont_adjust_delay"):
            return
        target = latency / max(slot.concurrency, 1)
        new_delay = max(target, (slot.delay + target) / 2.0)
        new_delay = min(max(self._slot_floor(key), new_delay), self.maxdelay)
        if response.status != 200 and new_delay <= slot.delay:
            return  # small error pages would talk the delay down
        slot.delay = new_delay
