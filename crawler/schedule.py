"""Recurring crawls: one APScheduler job per data directory on its portals' crons; each run is
one `nianbao crawl --only …` subprocess of the portals then due.

Reports are due by 31 January (departments) and 31 March (governments), then corrected or
deleted, so the default is daily in February–April and weekly otherwise (docs/schedule.md).
Each run is a subprocess because a Twisted reactor cannot be restarted in one process.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger

from crawler.registry import Portal

logger = logging.getLogger(__name__)

# Minute hour day-of-month month day-of-week, as in crontab(5).
DEFAULT_SCHEDULE = ("0 3 * 2-4 *", "0 3 * 1,5-12 mon")


def portal_trigger(portal: Portal, timezone: str = "Asia/Shanghai") -> OrTrigger:
    """A portal's `schedule` (one cron expression or a list) as one trigger."""
    expressions = portal.schedule or DEFAULT_SCHEDULE
    if isinstance(expressions, str):
        expressions = [expressions]
    try:
        triggers = [CronTrigger.from_crontab(expr, timezone=timezone) for expr in expressions]
    except ValueError as e:
        raise ValueError(f"portal {portal.name!r}: bad schedule {expressions!r}: {e}") from e
    return OrTrigger(triggers)


def crawl_command(registry: str, data_dir: str, portals: list[str]) -> list[str]:
    only = [arg for name in portals for arg in ("--only", name)]
    return [sys.executable, "-m", "crawler", "crawl", "--portals", registry, "--data", data_dir, *only]


def run_crawl(registry: str, data_dir: str, portals: list[str]) -> int:
    """One scheduled run of the due portals; its output goes to DATA/logs/schedule.log."""
    log = Path(data_dir) / "logs" / "schedule.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "a", encoding="utf-8") as out:
        out.write(f"\n== {datetime.now().isoformat(timespec='seconds')} crawl {' '.join(portals)}\n")
        out.flush()
        code = subprocess.call(crawl_command(registry, data_dir, portals), stdout=out, stderr=subprocess.STDOUT)
        out.write(f"== exit {code}\n")
    logger.info("scheduled crawl of %s exited %s", ", ".join(portals), code)
    return code


_AFTER = timedelta(seconds=1)  # a fire at the very instant of the last run is that run's


class DataDirJob:
    """The one job of a data directory: when any portal's cron fires, one crawl of every portal
    then due. One crawl writes a data directory at a time (issue 11): portals due together share
    a run, and a portal falling due during a run is crawled by the next one (max_instances=1)."""

    def __init__(self, portals: list[Portal], registry: str, data_dir: str,
                 job: Callable[[str, str, list[str]], int] = run_crawl, timezone: str = "Asia/Shanghai") -> None:
        self.triggers = {p.name: portal_trigger(p, timezone) for p in portals}
        self.registry, self.data_dir, self.job = registry, data_dir, job
        self.tz = ZoneInfo(timezone)
        self.last_run = dict.fromkeys(self.triggers, datetime.now(self.tz))

    def due(self, now: datetime) -> list[str]:
        """Portals whose cron fired after their last run, up to `now`."""
        return [name for name, trigger in self.triggers.items()
                if (fire := trigger.get_next_fire_time(None, self.last_run[name] + _AFTER)) is not None and fire <= now]

    def __call__(self, now: datetime | None = None) -> list[int]:
        """Crawl the due portals; again while others fell due during the crawl (the scheduler
        skips a fire while this job runs). With `now` given: one pass at that instant."""
        codes = []
        while due := self.due(now or datetime.now(self.tz)):
            for name in due:
                self.last_run[name] = now or datetime.now(self.tz)
            codes.append(self.job(self.registry, self.data_dir, due))
            if now is not None:
                break
        return codes


def build_scheduler(portals: list[Portal], registry: str, data_dir: str,
                    job: Callable[[str, str, list[str]], int] = run_crawl,
                    timezone: str = "Asia/Shanghai", scheduler_class: type = BlockingScheduler) -> Any:
    """One job per data directory, on the union of its portals' crons, never two at once."""
    scheduler = scheduler_class(timezone=timezone, executors={"default": ThreadPoolExecutor(1)})
    triggers = [portal_trigger(p, timezone) for p in portals]
    scheduler.add_job(DataDirJob(portals, registry, data_dir, job, timezone), OrTrigger(triggers),
                      id=f"crawl {data_dir}", name=f"crawl into {data_dir}", max_instances=1, coalesce=True,
                      misfire_grace_time=3600)
    return scheduler
