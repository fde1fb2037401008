"""Recurring crawls: one APScheduler cron job per portal, each run a `nianbao crawl` subprocess.

Reports are due by 31 January (departments) and 31 March (governments), then corrected or
deleted, so the default is daily in February–April and weekly otherwise (docs/schedule.md).
Each run is a subprocess because a Twisted reactor cannot be restarted in one process.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

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


def crawl_command(registry: str, data_dir: str, portal: str) -> list[str]:
    return [sys.executable, "-m", "crawler", "crawl", "--portals", registry, "--data", data_dir,
            "--only", portal]


def run_crawl(registry: str, data_dir: str, portal: str) -> int:
    """One scheduled run; its output goes to DATA/logs/schedule.log."""
    log = Path(data_dir) / "logs" / "schedule.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "a", encoding="utf-8") as out:
        out.write(f"\n== {datetime.now().isoformat(timespec='seconds')} crawl {portal}\n")
        out.flush()
        code = subprocess.call(crawl_command(registry, data_dir, portal), stdout=out, stderr=subprocess.STDOUT)
        out.write(f"== exit {code}\n")
    logger.info("scheduled crawl of %s exited %s", portal, code)
    return code


def build_scheduler(portals: list[Portal], registry: str, data_dir: str,
                    job: Callable[[str, str, str], int] = run_crawl,
                    timezone: str = "Asia/Shanghai") -> BlockingScheduler:
    scheduler = BlockingScheduler(timezone=timezone)
    for portal in portals:
        scheduler.add_job(job, portal_trigger(portal, timezone), args=[registry, data_dir, portal.name],
                          id=portal.name, name=f"crawl {portal.name}", max_instances=1, coalesce=True,
                          misfire_grace_time=3600)
    return scheduler
