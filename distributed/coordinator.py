"""`nianbao crawl --redis URL`: start (or rejoin) a distributed crawl, work in it, and build
its catalogue when every worker is done.

The coordinator records the crawl in Redis (registry included, so workers need only the
Redis URL), publishes what its DATA knows (distributed.seed), seeds the frontier with its
spider's start requests, works as one more worker into DATA, marks the crawl finished when
nothing is queued or leased, and then runs `nianbao merge` over DATA and the given worker
directories (in a new process: a Twisted reactor runs once per process).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from crawler.registry import load_registry
from distributed import store
from distributed.seed import publish_known, start_crawl
from distributed.worker import run_worker


def crawl(registry: str | os.PathLike[str], data_dir: str | os.PathLike[str], redis_url: str,
          overrides: dict[str, Any] | None = None, sources: tuple[str, ...] = (), merge: bool = True,
          worker_id: str | None = None, wait_workers: float = 60.0) -> dict[str, Any]:
    """Run a distributed crawl of the registry from this machine; returns this worker's stats
    (`distributed/crawl_id`, `distributed/published`, `distributed/merge_exit` added)."""
    portals = load_registry(registry)
    server = store.connect(redis_url)
    command = "crawl --redis " + str(registry)
    crawl_id, new = start_crawl(server, Path(registry).read_text(encoding="utf-8"), command)
    published = publish_known(server, data_dir, portals) if new else {}
    stats = run_worker(redis_url, data_dir, worker_id or "coordinator", overrides, coordinator=True)
    stats.update({"distributed/crawl_id": crawl_id, "distributed/published": published})
    if stats.get("finish_reason") != "finished":
        return stats  # stopped early: the crawl stays running in Redis; run the command again
    server.hset(store.CRAWL, mapping={"status": "finished", "finished": f"{store.server_time(server):.3f}"})
    # Other workers close their WARC files and leave; a silent one (killed) is not waited for.
    silent = float((overrides or {}).get("LEASE_SECONDS", 60.0))
    deadline = time.monotonic() + wait_workers
    while store.workers(server, alive_within=silent) and time.monotonic() < deadline:
        time.sleep(0.2)
    if merge:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[1]),
                                                                            os.environ.get("PYTHONPATH")]))}
        done = subprocess.run([sys.executable, "-m", "crawler", "merge", "--data", str(data_dir), *map(str, sources)],
                              env=env)
        stats["distributed/merge_exit"] = done.returncode
    return stats
