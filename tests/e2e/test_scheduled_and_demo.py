"""`nianbao schedule` and `nianbao demo` really crawl (issue 11): the scheduler's job for a data
directory, fired with every portal due, runs one crawl of them all into the catalogue; the demo
starts the simulated portals itself and catalogues every report of their ground truth."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import sqlite_utils

from crawler.registry import load_registry
from crawler.schedule import DataDirJob
from tests.conftest import run_nianbao


def test_scheduled_run_crawls_every_due_portal_in_one_run(tmp_path):
    from simportals import build_testbed, serve_testbed

    testbed = build_testbed()
    with serve_testbed(testbed) as running:
        registry = tmp_path / "portals.toml"
        registry.write_text(re.sub(r'^(name = "[^"]+")$', r'\1\nschedule = "* * * * *"', running.registry_toml(),
                                   flags=re.MULTILINE), encoding="utf-8")
        data = tmp_path / "data"
        job = DataDirJob(load_registry(registry), str(registry), str(data))
        now = datetime.now(job.tz)
        assert job.due(now) == []  # nothing has fired since the scheduler started
        job.last_run = dict.fromkeys(job.last_run, now - timedelta(minutes=2))
        assert job(now=now) == [0]
    db = sqlite_utils.Database(data / "catalogue.db")
    (run,) = list(db["crawl_runs"].rows)
    assert run["status"] == "finished" and sorted(json.loads(run["portals"])) == sorted(p.name for p in testbed.portals)
    assert db["reports"].count == len(testbed.reports)
    log = (data / "logs" / "schedule.log").read_text(encoding="utf-8")
    assert log.count("== exit 0") == 1 and all(p.name in log for p in testbed.portals)


def test_demo_runs_end_to_end(tmp_path):
    from simportals import build_testbed

    result = run_nianbao("demo", "--data", str(tmp_path / "demo"), timeout=600)
    reports = len(build_testbed().reports)
    assert "simulated portals up" in result.stdout and f"{reports} in catalogue" in result.stdout
    db = sqlite_utils.Database(tmp_path / "demo" / "catalogue.db")
    assert db["reports"].count == reports and db["report_stats"].count > 0
    (run,) = list(db["crawl_runs"].rows)
    assert run["command"] == "demo" and run["status"] == "finished" and run["failed"] == 0
