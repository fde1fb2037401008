"""One worker of a distributed crawl: PortalSpider over the shared frontier, into its own DATA.

A worker fetches what the frontier hands it (scrapy-redis' scheduler and duplicate filter,
with leases), holds each portal to its politeness across all workers (HostGate), archives
every exchange in its own WARC files (crawl id, worker id and host in their names and
warcinfo) and writes no catalogue: the one catalogue is built from every worker's WARCs by
`nianbao merge` (distributed.merge). See docs/design.md, "Distributed crawling".
"""

from __future__ import annotations

import os
import re
import socket
from pathlib import Path
from typing import Any

from scrapy import signals

from archive.lock import DataLock
from crawler.registry import parse_registry
from crawler.run import crawl_settings, data_paths, run_portal_spider, seal_crashed
from distributed import store

WORKER_SETTINGS: dict[str, Any] = {
    "SCHEDULER": "distributed.scheduler.LeasedScheduler",
    "SCHEDULER_QUEUE_CLASS": "distributed.queue.LeasedQueue",
    "SCHEDULER_QUEUE_KEY": store.QUEUE_KEY,
    "SCHEDULER_DUPEFILTER_KEY": store.DUPEFILTER_KEY,
    "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
    "SCHEDULER_PERSIST": True,  # a worker that stops must not drop the crawl's frontier
    "DOWNLOADER": "distributed.gate.GlobalSlotDownloader",
    "CRAWL_STATE": "distributed.state.RedisCrawlState",
    "ITEM_PIPELINES": {},  # the catalogue is built from all workers' WARCs (nianbao merge)
    "EXTRACT_WORKERS": 0,
}
_MIDDLEWARES = {"scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
                "distributed.robots.SharedRobotsTxtMiddleware": 100,
                "distributed.rebuild.SharedRebuildMiddleware": 945}


def default_worker_id() -> str:
    from archive.warcfile import host_label

    return f"{host_label()}-{os.getpid()}"


def worker_settings(redis_url: str, data_dir: str | os.PathLike[str], portals: list, crawl_id: str,
                    worker_id: str, coordinator: bool, overrides: dict[str, Any] | None = None) -> Any:
    settings = crawl_settings(data_dir, portals, {**WORKER_SETTINGS, **(overrides or {})})
    middlewares = {**settings.getdict("DOWNLOADER_MIDDLEWARES"), **_MIDDLEWARES}
    safe_id = re.sub(r"[^a-z0-9-]+", "-", worker_id.lower())
    settings.setdict({
        "REDIS_URL": redis_url, "REDIS_PARAMS": store.redis_params(), "WORKER_ID": worker_id,
        "NIANBAO_ROLE": "coordinator" if coordinator else "worker", "NIANBAO_DATA": str(data_dir),
        "DOWNLOADER_MIDDLEWARES": middlewares, "WARC_PREFIX": f"nianbao-{crawl_id}-{safe_id}",
        "LOG_FILE": str(data_paths(data_dir)["logs"] / f"worker-{safe_id}.log"),
        "LOG_INSTALL_ROOT_HANDLER": True,
        "EXTENSIONS": {**settings.getdict("EXTENSIONS"), "distributed.worker.WorkerInfo": 200},
    }, priority="cmdline")
    return settings


class WorkerInfo:
    """Extension: the crawl and worker go into every WARC's warcinfo record."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> WorkerInfo:
        ext = cls(crawler)
        crawler.signals.connect(ext.engine_started, signal=signals.engine_started)
        return ext

    def engine_started(self) -> None:
        from archive.capture import WarcCapture

        settings = self.crawler.settings
        for ext in self.crawler.extensions.middlewares:
            if isinstance(ext, WarcCapture):
                ext.warc.info.update({"nianbao-worker": settings.get("WORKER_ID"), "hostname": socket.gethostname(),
                                      "nianbao-crawl": settings.get("NIANBAO_CRAWL_ID", "")})


def run_worker(redis_url: str, data_dir: str | os.PathLike[str], worker_id: str | None = None,
               overrides: dict[str, Any] | None = None, coordinator: bool = False) -> dict[str, Any]:
    """Join the crawl in Redis and work until it is done; returns this worker's Scrapy stats."""
    server = store.connect(redis_url)
    record = store.crawl_record(server)
    if record.get("status") != "running":
        raise store.NoCrawl(f"no crawl is running in {redis_url}; start one with "
                            f"`nianbao crawl --portals FILE --data DIR --redis {redis_url}`")
    portals = parse_registry(record["registry"])
    worker_id = worker_id or default_worker_id()
    with DataLock(data_dir, f"nianbao worker --redis {redis_url}").acquire():
        paths = data_paths(data_dir)
        paths["data"].mkdir(parents=True, exist_ok=True)
        Path(paths["registry"]).write_text(record["registry"], encoding="utf-8")  # merge replays with it
        settings = worker_settings(redis_url, data_dir, portals, record["id"], worker_id, coordinator, overrides)
        settings.set("NIANBAO_CRAWL_ID", record["id"], priority="cmdline")
        seal_crashed(paths["warc"])
        return run_portal_spider(settings, portals)
