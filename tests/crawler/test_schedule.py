"""Recurring crawls: cron triggers per portal, and a run that really crawls."""

import dataclasses
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from crawler.registry import RegistryError, parse_registry
from crawler.schedule import DEFAULT_SCHEDULE, build_scheduler, portal_trigger

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


def test_scheduler_has_one_job_per_portal():
    calls = []
    scheduler = build_scheduler(parse_registry(REGISTRY), "reg.toml", "data", job=lambda *a: calls.append(a))
    assert sorted(job.id for job in scheduler.get_jobs()) == ["a", "b"]
    job = scheduler.get_job("b")
    job.func(*job.args)
    assert calls == [("reg.toml", "data", "b")]
