"""CPU time and peak memory of the crawl process and of the children it has reaped.

Recorded in the run's stats at the end of a crawl (`nianbao/resources`), so every run says what
it cost: the crawl process itself, and its extraction workers once the pool has shut down
(getrusage(RUSAGE_CHILDREN) counts only children already waited for).
"""

from __future__ import annotations

import resource


def resource_usage() -> dict[str, float]:
    """CPU seconds (user + system) and peak RSS in MB: `crawl_*` for this process, `workers_*`
    for its reaped children together (CPU summed; RSS the largest child)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "crawl_cpu_s": round(me.ru_utime + me.ru_stime, 3),
        "crawl_peak_rss_mb": round(me.ru_maxrss / 1024, 1),
        "workers_cpu_s": round(kids.ru_utime + kids.ru_stime, 3),
        "workers_peak_rss_mb": round(kids.ru_maxrss / 1024, 1),
    }
