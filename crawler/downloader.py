"""Scrapy's Downloader with each slot held to its concurrency (setting DOWNLOADER).

Under the asyncio reactor, `Downloader._process_queue` starts each download as a task and the
task only adds its request to `slot.transferring` when it first runs, after the loop that
checks `slot.free_transfer_slots()` has finished. With no download delay the loop therefore
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


class SlotBoundDownloader(Downloader):
    def _wait_for_download(self, slot: Slot, request: Request,
                           queue_dfd: Deferred[Any]) -> Coroutine[Any, Any, None]:
        slot.transferring.add(request)  # counted now, not when the task first runs
        return super()._wait_for_download(slot, request, queue_dfd)
