"""LeasedScheduler: scrapy-redis' Scheduler over a LeasedQueue, for one worker of a crawl.

A leased request is acknowledged when Scrapy is done with it: when the engine drops it
from its in-progress set, which happens only after the download, the WARC record, the
callback or errback and every request and item it produced were handled (retries and
redirects are queued first, and take the lease over). That set is engine-internal
(`engine._slot.inprogress`), so `open` checks it once and fails loudly if a Scrapy release
stops exposing it, as the Apify Scrapy integration does for the same reason.

While it runs, the scheduler renews its leases, sends a heartbeat, requeues expired leases
(a dead worker's) and wakes the engine when other workers have queued requests. The worker
stays open until the whole crawl is done: seeded, nothing queued, nothing leased.
A callback's links and the acknowledgements go to Redis with the next pop or tick, in one
round trip (LeasedQueue.push_later, ack_later): a page used to cost its worker about ten.
Settings: LEASE_SECONDS, WORKER_ID, plus scrapy-redis' REDIS_URL and SCHEDULER_*.
"""

from __future__ import annotations

import logging
import os
import socket
from typing import Any

from scrapy import Request, signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.asyncio import create_looping_call
from scrapy_redis.scheduler import Scheduler

from crawler.state import crawl_state
from distributed import store
from distributed.queue import LeasedQueue

logger = logging.getLogger(__name__)


class _AckingSet(set):
    """The engine's in-progress set: removing a request acknowledges its lease."""

    def __init__(self, items: set, ack: Any) -> None:
        super().__init__(items)
        self._ack = ack

    def remove(self, request: Request) -> None:
        super().remove(request)
        self._ack(request)

    def discard(self, request: Request) -> None:
        super().discard(request)
        self._ack(request)


class LeasedScheduler(Scheduler):
    queue: LeasedQueue

    @classmethod
    def from_crawler(cls, crawler: Any) -> LeasedScheduler:
        scheduler = super().from_crawler(crawler)
        settings = crawler.settings
        scheduler.crawler = crawler
        scheduler.worker = settings.get("WORKER_ID") or f"{socket.gethostname()}-{os.getpid()}"
        scheduler.lease_seconds = settings.getfloat("LEASE_SECONDS", 60.0)
        scheduler.data_dir = settings.get("NIANBAO_DATA", "")
        scheduler.ticker = None
        scheduler.waiting: list[str] = []  # portals with queued requests, as of the last look
        scheduler.turn = 0
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        return scheduler

    def open(self, spider: Any) -> None:
        super().open(spider)
        if not isinstance(self.queue, LeasedQueue):
            raise ValueError("LeasedScheduler needs SCHEDULER_QUEUE_CLASS = distributed.queue.LeasedQueue")
        self.queue.worker, self.queue.lease_seconds = self.worker, self.lease_seconds
        slot = getattr(self.crawler.engine, "_slot", None)
        if type(getattr(slot, "inprogress", None)) is not set:
            raise RuntimeError("this Scrapy release no longer exposes engine._slot.inprogress: leases "
                               "could never be acknowledged (see distributed/scheduler.py)")
        slot.inprogress = _AckingSet(slot.inprogress, self.queue.ack_later)
        state = crawl_state(self.crawler)
        if hasattr(state, "before_seeded"):
            state.before_seeded = self.send
        self._tick()
        self.ticker = create_looping_call(self._tick)
        self.ticker.start(min(0.5, self.lease_seconds / 3), now=False)

    def enqueue_request(self, request: Request) -> bool:
        """scrapy-redis' enqueue, with the duplicate filter's mark and the push in one script,
        sent with the next pop: a request found seen then is logged as a duplicate (`_sent`)."""
        fingerprint = "" if request.dont_filter else self.df.request_fingerprint(request)
        self.queue.push_later(request, fingerprint, self.df.key)
        portal = self.queue.portal_of(request)
        if portal not in self.waiting:  # poppable at once, not after the next look at Redis
            self.waiting.append(portal)
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def send(self) -> None:
        """Send the queued pushes and acknowledgements now."""
        self.queue.send()
        self._log_duplicates()

    def _log_duplicates(self) -> None:
        seen, self.queue.duplicates = self.queue.duplicates, []
        for request in seen:
            self.df.log(request, self.spider)
            self.stats.inc_value("scheduler/enqueued/redis", -1)
            self.queue.ack_later(request)  # a redirect to a page already seen: its lease ends

    def next_request(self) -> Request | None:
        """Lease a request for the portal this worker's downloader is least busy with."""
        order = self._portal_order()
        request = self.queue.pop(portals=order)  # with no portal to pop, it still sends
        self._log_duplicates()
        if request is None:
            self.waiting = [k.decode("utf-8") for k, n in self.server.hgetall(store.QUEUED).items() if int(n) > 0]
            return None
        self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def _portal_order(self) -> list[tuple[str, str, int]]:
        """Portals with queued requests, least loaded here first, as (name, gate key, limit).
        Those with twice their concurrency already here are left to other workers; so are,
        in the pop, those whose every download token is out while this worker holds none:
        a request popped then would wait here, polling the gate, while the worker holding
        the host could have fetched it (the cause of 2 workers crawling slower than 1)."""
        downloader = self.crawler.engine.downloader
        gate = getattr(downloader, "gate", None)
        portals = getattr(self.spider, "portals", {})
        default = self.crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        loads = []
        self.turn += 1
        for k, name in enumerate(self.waiting):
            portal = portals.get(name)
            domains = portal.allowed_domains if portal else ()
            load = sum(len(downloader.slots[d].active) for d in domains if d in downloader.slots)
            limits = [downloader.slots[d].concurrency if d in downloader.slots
                      else downloader.per_slot_settings.get(d, {}).get("concurrency", default) for d in domains]
            if domains and load >= 2 * sum(limits):
                continue
            check = ("", 0)  # several hosts (or no gate): the downloader's gate alone decides
            if gate is not None and len(domains) == 1 and not gate.holds(domains[0]):
                check = (store.GATE + domains[0], limits[0])
            loads.append((load, (k + self.turn) % len(self.waiting), (name, *check)))
        return [entry for *_, entry in sorted(loads)]

    def _tick(self) -> None:
        """Renew, beat, requeue the dead's leases, and wake the engine for others' requests."""
        try:
            self.send()
            self.queue.renew()
            renew_tokens = getattr(self.crawler.engine.downloader, "renew_tokens", None)
            if renew_tokens is not None:  # distributed.gate: download tokens live as long as leases
                renew_tokens()
            stats = self.crawler.stats
            store.heartbeat(self.server, self.worker, {
                "host": socket.gethostname(), "pid": os.getpid(), "data": self.data_dir,
                "responses": stats.get_value("downloader/response_count", 0),
                "started": str(stats.get_value("start_time", "")), "held": len(self.queue.held)})
            requeued = self.queue.requeue()
            if requeued:
                logger.warning("requeued %d requests whose worker stopped renewing its leases", requeued)
                stats.inc_value("lease/requeued", requeued)
            self.waiting = [k.decode("utf-8") for k, n in self.server.hgetall(store.QUEUED).items() if int(n) > 0]
            slot = getattr(self.crawler.engine, "_slot", None)
            if slot is not None and self.crawler.engine.scraper.slot is not None \
                    and not self.crawler.engine.needs_backout():
                slot.nextcall.schedule()  # others' requests, or the crawl's end, seen now, not at the 5 s heartbeat
        except Exception:  # Redis away (restart): the client retried; the next tick tries again
            logger.warning("lease upkeep failed", exc_info=True)

    def crawl_done(self) -> bool:
        record = store.crawl_record(self.server)
        if record.get("status") != "running":
            return True  # finished, or never started
        self.send()
        return record.get("seeded") == "1" and not len(self.queue) and not self.queue.leases()

    def spider_idle(self, spider: Any = None) -> None:
        if not self.crawl_done():
            raise DontCloseSpider("other workers hold leases or the crawl is being seeded")

    def close(self, reason: str) -> None:
        if self.ticker is not None and self.ticker.running:
            self.ticker.stop()
        self.send()  # the last pages' links and acknowledgements
        held = list(self.queue.held)
        if held:  # stopped before finishing them: others take them now, not at the deadline
            logger.warning("returning %d leased requests to the queue", len(held))
            self.queue.requeue(held)
        self.server.hdel(store.WORKERS, self.worker)
        super().close(reason)
