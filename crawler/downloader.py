"""Scrapy's Downloader with each registry portal's slot found and held (setting DOWNLOADER).

Which slot: `DOWNLOAD_SLOTS` is keyed by the registry's `allowed_domains` entries (`bl.gov.cn`,
`127.0.0.1:8001`), while Scrapy keys a request by its bare hostname: `www.bl.gov.cn` and every
`127.0.0.1:<port>` would miss their portal's concurrency and delay. Here a request without an
explicit `download_slot` goes to the registry entry that covers it (`crawler.registry.domain_keys`,
the rule `Portal.allows` uses; robots.txt requests included), so one portal's hosts share one
politeness budget.

Holding the slot: under the asyncio reactor, `Downloader._process_queue` starts each download
as a task and the task only adds its request to `slot.transferring` when it first runs, after
the loop that checks `slot.free_transfer_slots()` has finished. With no download delay the loop therefore
empties the slot's whole queue at once: a host allowed 2 parallel requests got 30, each
beyond the persistent-connection pool on a fresh connection (seen on the simulated portals
as stalls, SYN retries and download timeouts). Counting the request as transferring when its
download is scheduled restores the limit; `_download` adds it again (a set) and removes it.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from scrapy import Request
from scrapy.core.downloader import Downloader, Slot
from twisted.internet.defer import Deferred

from crawler.registry import domain_keys


class SlotBoundDownloader(Downloader):
    def get_slot_key(self, request: Request) -> str:
        if request.meta.get(self.DOWNLOAD_SLOT) is None and not self.ip_concurrency:
            for key in domain_keys(request.url):
                if key in self.per_slot_settings:
                    return key
        return super().get_slot_key(request)

    def _wait_for_download(self, slot: Slot, request: Request,
                           queue_dfd: Deferred[Any]) -> Coroutine[Any, Any, None]:
        slot.transferring.add(request)  # counted now, not when the task first runs
        return super()._wait_for_download(slot, request, queue_dfd)
