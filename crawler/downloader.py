"""Scrapy's Downloader with each registry portal's slot found and held (setting DOWNLOADER).

Which slot: `DOWNLOAD_SLOTS` is keyed by the registry's `allowed_domains` entries (`bl.gov.cn`,
`127.0.0.1:8001`), while Scrapy keys a request by its bare hostname: `www.bl.gov.cn` and every
`127.0.0.1:<port>` would miss their portal's concurrency and delay. Here a request without an
explicit `download_slot` goes to the entry covering its host:port, its host or a parent domain
(robots.txt requests included), so one portal's hosts share one politeness budget.

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
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred


def slot_candidates(host: str, port: int | None) -> list[str]:
    """`host:port`, then the host, then its parent domains: the keys a slot may be set under."""
    host = host.lower()
    names = [f"{host}:{port}"] if port else []
    if host.replace(".", "").isdigit() or ":" in host:  # an IP address has no parent domain
        return [*names, host]
    labels = host.split(".")
    return names + [".".join(labels[i:]) for i in range(len(labels) - 1)]


class SlotBoundDownloader(Downloader):
    def get_slot_key(self, request: Request) -> str:
        if request.meta.get(self.DOWNLOAD_SLOT) is None and not self.ip_concurrency:
            parts = urlparse_cached(request)
            for name in slot_candidates(parts.hostname or "", parts.port):
                if name in self.per_slot_settings:
                    return name
        return super().get_slot_key(request)

    def _wait_for_download(self, slot: Slot, request: Request,
                           queue_dfd: Deferred[Any]) -> Coroutine[Any, Any, None]:
        slot.transferring.add(request)  # counted now, not when the task first runs
        return super()._wait_for_download(slot, request, queue_dfd)
