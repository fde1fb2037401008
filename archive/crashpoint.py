"""Test hook: die at a named point of a crawl, as a kill -9 or a power cut would leave it.

Off unless the environment sets `NIANBAO_TEST_CRASH=<point>:<n>[:power]`: the process
SIGKILLs itself the n-th time it reaches `<point>`; with `:power` it first drops every WARC
and CDXJ byte not yet fsynced, as a power cut would. Points: `after-fsync` (WARC and CDXJ
synced, catalogue batch not committed) and `after-commit` (issue 11, tests/e2e/test_durability.py).
"""

from __future__ import annotations

import os
import signal
from collections import Counter
from typing import Any

ENV = "NIANBAO_TEST_CRASH"
_reached: Counter[str] = Counter()


def crash_point(name: str, warc: Any = None) -> None:
    """SIGKILL this process here if the test hook asks for it (a no-op otherwise)."""
    spec = os.environ.get(ENV)
    if not spec:
        return
    point, count, *mode = spec.split(":")
    if point != name:
        return
    _reached[name] += 1
    if _reached[name] < int(count):
        return
    if "power" in mode and warc is not None:
        warc.lose_unsynced()
    os.kill(os.getpid(), signal.SIGKILL)
