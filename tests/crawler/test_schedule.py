"""Recurring crawls: cron triggers per portal, and a run that really crawls."""

import dataclasses
import threading
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from crawler.registry import RegistryError, parse_registry
from crawler.schedule import DEFAULT_SCHEDULE, DataDirJob, build_scheduler, portal_trigger

REGISTRY = """
[[portal]]
name = "a"
region = "浙江省"
start_urls = ["http://a.gov.cn/ndbg/"]
allowed_domains = ["a.gov.cn"]

[[portal]]
name = "b"
region = "江苏省"
start_urls = ["http://b.gov.cn/ndbg/"]
allowed_domains = ["b.gov.cn"]
schedule = "30 8 * * *"
"""
TZ = ZoneInfo("Asia/Shanghai")


def next_run(portal, after):
    return portal_trigger(portal).get_next_fire_time(None, after)


def test_default_is_daily_in_reporting_season_weekly_otherwise():
    a, _ = parse_registry(REGISTRY)
    assert a.schedule is None and len(DEFAULT_SCHEDULE) == 2
    in_season = datetime(2026, 3, 10, 12, 0, tzinfo=TZ)  # a Tuesday
    assert next_run(a, in_season) == datetime(2026, 3, 11, 3, 0, tzinfo=TZ)
    off_season = datetime(2026, 6, 10, 12, 0, tzinfo=TZ)  # a Wednesday
    assert next_run(a, off_season) == datetime(2026, 6, 15, 3, 0, tzinfo=TZ)  # next Monday


def test_portal_schedule_overrides_default():
    _, b = parse_registry(REGISTRY)
    assert next_run(b, datetime(2026, 6, 10, 9, 0, tzinfo=TZ)) == datetime(2026, 6, 11, 8, 30, tzinfo=TZ)


def test_bad_cron_is_a_clear_error():
    with pytest.raises(RegistryError, match="registry:8: portal 'b': schedule: 'every day' is not a cron"):
        parse_registry(REGISTRY.replace("30 8 * * *", "every day"))
    (portal,) = parse_registry(REGISTRY.split("[[portal]]\nname = \"b\"")[0])
    portal = dataclasses.replace(portal, schedule="every day")  # built without the registry's checks
    with pytest.raises(ValueError, match="bad schedule"):
        portal_trigger(portal)


def test_scheduler_has_one_job_per_data_directory():
    calls = []
    scheduler = build_scheduler(parse_registry(REGISTRY), "reg.toml", "data", job=lambda *a: calls.append(a))
    (job,) = scheduler.get_jobs()
    assert job.max_instances == 1 and job.id == "crawl data"


THREE = REGISTRY.replace('schedule = "30 8 * * *"', 'schedule = "0 3 * * *"') + """
[[portal]]
name = "c"
region = "安徽省"
start_urls = ["http://c.gov.cn/ndbg/"]
allowed_domains = ["c.gov.cn"]
schedule = "30 8 * * *"
"""
THREE_A = THREE.replace('name = "a"\n', 'name = "a"\nschedule = "0 3 * * *"\n')


def test_portals_due_together_share_one_crawl():
    calls = []
    job = DataDirJob(parse_registry(THREE_A), "reg.toml", "data", job=lambda *a: calls.append(a) or 0)
    job.last_run = dict.fromkeys(job.last_run, datetime(2026, 6, 10, 2, 0, tzinfo=TZ))
    assert job(now=datetime(2026, 6, 10, 3, 0, 5, tzinfo=TZ)) == [0]
    assert calls == [("reg.toml", "data", ["a", "b"])]
    assert job(now=datetime(2026, 6, 10, 3, 0, 30, tzinfo=TZ)) == []  # done for today
    job(now=datetime(2026, 6, 10, 9, 0, tzinfo=TZ))
    assert calls[-1] == ("reg.toml", "data", ["c"])


def test_due_portals_never_crawl_in_parallel():
    """Fired again while a crawl runs: skipped, and the portal due meanwhile runs right after."""
    from apscheduler.schedulers.background import BackgroundScheduler

    spans, lock = [], threading.Lock()

    def slow_crawl(registry, data, portals):
        with lock:
            spans.append([time.monotonic(), None, portals])
        time.sleep(0.8)
        spans[-1][1] = time.monotonic()
        return 0

    every_minute = THREE_A.replace('"0 3 * * *"', '"* * * * *"').replace('"30 8 * * *"', '"* * * * *"')
    scheduler = build_scheduler(parse_registry(every_minute), "reg.toml", "data", job=slow_crawl,
                                scheduler_class=BackgroundScheduler)
    (job,) = scheduler.get_jobs()
    past = datetime.now(TZ) - timedelta(minutes=2)
    job.func.last_run = {"a": past, "b": past, "c": datetime.now(TZ)}  # a and b due; c not yet
    scheduler.start()
    try:
        for _ in range(3):  # three fires while the first crawl runs
            job.modify(next_run_time=datetime.now(TZ))
            time.sleep(0.2)
        deadline = time.monotonic() + 15  # a loaded machine starts the job late
        while time.monotonic() < deadline and not (spans and all(end for _, end, _ in spans)):
            time.sleep(0.1)
    finally:
        scheduler.shutdown(wait=True)
    assert spans and spans[0][2] == ["a", "b"]
    assert all(end is not None for _, end, _ in spans)
    for (_, end, _), (start, _, _) in zip(spans, spans[1:], strict=False):
        assert start >= end  # one at a time
