"""Two writers on one data directory: the second is refused, naming the first; the first's
catalogue is complete; a kill -9 frees the directory for the next crawl (issue 11)."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
import sqlite_utils

from archive.lock import holder
from tests.conftest import NIANBAO, ROOT, run_nianbao

SLOW = ["-s", "CONCURRENT_REQUESTS=2", "-s", "EXTRACT_WORKERS=1"]


def start_crawl(registry, data, *args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([*NIANBAO, "crawl", "--portals", str(registry), "--data", str(data), *SLOW, *args],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def wait_for_holder(proc, data):
    deadline = time.monotonic() + 60
    while (info := holder(data)) is None or info.pid != proc.pid:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    return info


@pytest.fixture(scope="module")
def portals(tmp_path_factory):
    from simportals import build_testbed, serve_testbed

    testbed = build_testbed()
    with serve_testbed(testbed, latency=0.05) as running:
        registry = tmp_path_factory.mktemp("registry") / "portals.toml"
        registry.write_text(running.registry_toml(), encoding="utf-8")
        yield testbed, running, registry


def reports_of(db, portal):
    return db.execute("select count(distinct report_id) from report_captures where portal = ?", [portal]).fetchone()[0]


def expected(testbed, portal):
    return len({t.key for t in testbed.reports if any(p == portal for p, _ in t.locations)})


def test_second_crawl_is_refused_and_first_completes(portals, tmp_path):
    testbed, _, registry = portals
    data = tmp_path / "data"
    first = start_crawl(registry, data)
    wait_for_holder(first, data)
    second = run_nianbao("crawl", "--portals", str(registry), "--data", str(data), check=False)
    replay = run_nianbao("replay", "--data", str(data), check=False)
    first.communicate(timeout=300)
    assert first.returncode == 0
    for refused in (second, replay):
        assert refused.returncode != 0
        (line,) = [x for x in refused.stderr.splitlines() if x.strip()]
        assert f"pid {first.pid}" in line and "nianbao crawl" in line and "in use by" in line
    db = sqlite_utils.Database(data / "catalogue.db")
    assert [r["status"] for r in db["crawl_runs"].rows] == ["finished"]
    assert db["reports"].count == len(testbed.reports)
    assert not list(data.glob("catalogue.db.bak-*"))  # the refused replay touched nothing


def test_parallel_only_runs_never_both_write(portals, tmp_path):
    testbed, _, registry = portals
    data = tmp_path / "data"
    first = start_crawl(registry, data, "--only", "beilun")
    wait_for_holder(first, data)
    second = run_nianbao("crawl", "--portals", str(registry), "--data", str(data), "--only", "shuyang", check=False)
    first.communicate(timeout=300)
    assert first.returncode == 0 and second.returncode != 0 and f"pid {first.pid}" in second.stderr
    run_nianbao("crawl", "--portals", str(registry), "--data", str(data), "--only", "shuyang")  # after: fine
    db = sqlite_utils.Database(data / "catalogue.db")
    assert [r["status"] for r in db["crawl_runs"].rows] == ["finished", "finished"]
    for portal in ("beilun", "shuyang"):
        assert reports_of(db, portal) == expected(testbed, portal)


def test_kill_9_releases_the_lock_and_the_next_crawl_resumes(portals, tmp_path):
    testbed, _, registry = portals
    data = tmp_path / "data"
    proc = start_crawl(registry, data)
    wait_for_holder(proc, data)
    while not (data / "catalogue.db").exists() or not sqlite_utils.Database(data / "catalogue.db")["captures"].exists() \
            or sqlite_utils.Database(data / "catalogue.db")["captures"].count < 5:
        assert proc.poll() is None
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert holder(data) is None
    run_nianbao("crawl", "--portals", str(registry), "--data", str(data), *SLOW)
    db = sqlite_utils.Database(data / "catalogue.db")
    assert [r["status"] for r in db["crawl_runs"].rows] == ["finished"]  # resumed, not restarted
    assert db["reports"].count == len(testbed.reports)
