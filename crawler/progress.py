"""Progress on long commands (crawl, replay, verify, export) with tqdm, quiet off a terminal.

`bar()` is the one place that decides whether a bar is drawn: only when stderr is a terminal
(tqdm's `disable=None`), so logs, pipes and tests get no control characters.
`CrawlProgress` is a Scrapy extension that turns the crawl's stats into a bar: pages fetched
out of requests scheduled, reports catalogued, errors, rate and ETA.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from scrapy import signals
from scrapy.exceptions import NotConfigured
from tqdm import tqdm

T = TypeVar("T")


def enabled() -> bool:
    return sys.stderr.isatty()


def bar(total: int | None = None, desc: str = "", unit: str = "it", **kwargs: Any) -> tqdm:
    """A tqdm bar on stderr, disabled when stderr is not a terminal."""
    return tqdm(total=total, desc=desc, unit=unit, disable=None, file=sys.stderr, leave=False,
                dynamic_ncols=True, **kwargs)


def track(items: Iterable[T], desc: str, unit: str = "it", total: int | None = None) -> Iterator[T]:
    """Iterate with a bar (a no-op wrapper off a terminal)."""
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    with bar(total, desc, unit) as progress:
        for item in items:
            yield item
            progress.update(1)


class CrawlProgress:
    """Scrapy extension: a live bar of pages, reports and errors, refreshed from the stats.

    Enabled by PROGRESS_ENABLED (default: only when stderr is a terminal). The total is the
    number of requests scheduled so far, so the ETA grows as the crawl discovers pages.
    """

    INTERVAL = 0.5

    def __init__(self, stats: Any, desc: str) -> None:
        self.stats = stats
        self.desc = desc
        self.progress: tqdm | None = None
        self.task = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlProgress:
        setting = crawler.settings.get("PROGRESS_ENABLED")
        if not (enabled() if setting is None else crawler.settings.getbool("PROGRESS_ENABLED")):
            raise NotConfigured
        command = (crawler.settings.get("NIANBAO_COMMAND") or "crawl").split()[0]
        ext = cls(crawler.stats, command)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Any) -> None:
        from twisted.internet import task

        self.progress = tqdm(total=0, desc=self.desc, unit="page", file=sys.stderr, leave=True,
                             dynamic_ncols=True)
        self.task = task.LoopingCall(self.refresh)
        self.task.start(self.INTERVAL, now=True)

    def counts(self) -> dict[str, int]:
        get = self.stats.get_value
        reports = sum(get(f"catalogue/reports_{s}", 0) for s in ("new", "changed", "unchanged"))
        errors = get("log_count/ERROR", 0) + get("downloader/exception_count", 0) + get("extract/error", 0)
        return {"pages": get("response_received_count", 0),
                "scheduled": get("scheduler/enqueued", 0), "reports": reports, "errors": errors}

    def refresh(self) -> None:
        if self.progress is None:
            return
        c = self.counts()
        self.progress.total = max(c["scheduled"], c["pages"])
        self.progress.update(c["pages"] - self.progress.n)
        self.progress.set_postfix(reports=c["reports"], errors=c["errors"], refresh=True)

    def spider_closed(self, spider: Any) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        self.refresh()
        if self.progress is not None:
            self.progress.close()
