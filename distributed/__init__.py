"""Distributed crawling on Redis (scrapy-redis): many workers, one frontier with leases,
politeness held across workers, shared crawl state, one catalogue merged from every
worker's WARCs. See docs/distributed.md.

Names load on first use, so `nianbao --help` does not import Scrapy and redis.
"""

from __future__ import annotations

import importlib
from typing import Any

# (`merge` is `distributed.merge.merge`: a package attribute named like its module would be
# replaced by the module on import)
_EXPORTS = {"crawl": "distributed.coordinator", "run_worker": "distributed.worker",
            "crawl_status": "distributed.status"}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'distributed' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
