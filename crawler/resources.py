"""CPU time and peak memory of the crawl process and of the children it has reaped.

Recorded in the run's stats at the end of a crawl (`nianbao/resources`), so every run says what
it cost: the crawl process itself, and its extraction workers once the pool has shut down
(getrusage(RUSAGE_CHILDREN) counts only children already waited for).
"""

from __future__ import annotations

import resource
from typing import Any

from scrapy import signals


def peak_rss_mb() -> float:
    """This process's own peak resident memory (VmHWM). Not `ru_maxrss`: Linux carries that
    across fork and exec, so a spawned worker's starts at its parent's peak (a 14 MB child of a
    514 MB parent reported 514 MB)."""
    try:
        with open("/proc/self/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, IndexError, ValueError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s() -> float:
    """This process's CPU seconds so far, with its reaped children's (a worker's LibreOffice)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def resource_usage(workers_peak_rss_mb: float | None = None, workers_cpu_s: float | None = None) -> dict[str, float]:
    """CPU seconds (user + system) and peak RSS in MB: `crawl_*` for this process, `workers_*`
    for the extraction workers together (CPU summed; RSS the largest worker's own peak), as the
    workers reported them, else from the children this process reaped (RUSAGE_CHILDREN: its
    ru_maxrss counts the crawl process's memory too, and workers forked by a fork server are
    not this process's children)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    if workers_peak_rss_mb is None:
        workers_peak_rss_mb = kids.ru_maxrss / 1024
    if workers_cpu_s is None:
        workers_cpu_s = kids.ru_utime + kids.ru_stime
    return {
        "crawl_cpu_s": round(me.ru_utime + me.ru_stime, 3),
        "crawl_peak_rss_mb": round(peak_rss_mb(), 1),
        "workers_cpu_s": round(workers_cpu_s, 3),
        "workers_peak_rss_mb": round(workers_peak_rss_mb, 1),
    }


class CrawlingCpu:
    """Extension: the CPU this process spent from spider open to close, in the stats
    (`nianbao/cpu_crawling_s`). Start-up (imports, reading the registry) is not crawling: a rate
    measured open → close is compared with the CPU spent over the same span (benchmarks)."""

    def __init__(self, stats: Any) -> None:
        self.stats = stats
        self.opened = 0.0

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlingCpu:
        ext = cls(crawler.stats)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Any = None) -> None:
        self.opened = resource_usage()["crawl_cpu_s"]

    def spider_closed(self, spider: Any = None) -> None:
        self.stats.set_value("nianbao/cpu_crawling_s", round(resource_usage()["crawl_cpu_s"] - self.opened, 3))
