"""Distributed crawling on Redis (scrapy-redis): many workers, one frontier with leases,
politeness held across workers, shared crawl state, one catalogue merged from every
worker's WARCs. See docs/distributed.md."""

from distributed.coordinator import crawl
from distributed.merge import merge
from distributed.status import crawl_status
from distributed.worker import run_worker

__all__ = ["crawl", "crawl_status", "merge", "run_worker"]
