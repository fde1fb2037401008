"""kill -9 in the middle of a crawl, then the same command again: the crawl continues
where it stopped, nothing already archived is fetched again, nothing is lost, the archive
passes verify and the catalogue is consistent. Run at several kill points.
"""

from __future__ import annotations

import collections
import os
import signal
import sqlite3
import subprocess
import time

import pytest
import sqlite_utils

from tests.conftest import NIANBAO, ROOT, run_nianbao

SLOW = ["-s", "CONCURRENT_REQUESTS=2", "-s", "EXTRACT_WORKERS=1"]


def captures(db_path) -> int:
    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("select count(*) from captures").fetchone()[0]
    except sqlite3.Error:
        return 0


def crawl_and_kill(registry, data, kill_after: int) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([*NIANBAO, "crawl", "--portals", str(registry), "--data", str(data), *SLOW],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while captures(data / "catalogue.db") < kill_after:
        assert proc.poll() is None, "the crawl finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the crawler and its extraction workers
    proc.wait()


@pytest.mark.parametrize("kill_after", [5, 30, 60])
def test_kill_9_then_resume(tmp_path, kill_after):
    from simportals import build_testbed, serve_testbed

    testbed = build_testbed()
    with serve_testbed(testbed, latency=0.05) as running:
        registry = tmp_path / "portals.toml"
        registry.write_text(running.registry_toml(), encoding="utf-8")
        data = tmp_path / "data"
        crawl_and_kill(registry, data, kill_after)
        killed_at = captures(data / "catalogue.db")
        run_nianbao("crawl", "--portals", str(registry), "--data", str(data), *SLOW)
        fetched = collections.Counter()
        for portal in (p.name for p in testbed.portals):
            for method, path, status in running.request_log(portal):
                if method == "GET" and status == 200:
                    fetched[(portal, path)] += 1
        report_urls = {running.url_for(p, path): (p, path) for t in testbed.reports for p, path in t.locations}

    db = sqlite_utils.Database(data / "catalogue.db")
    (run,) = list(db["crawl_runs"].rows)  # the killed run was resumed, not restarted
    assert run["status"] == "finished" and killed_at >= kill_after
    assert db["reports"].count == len(testbed.reports)
    for truth in testbed.reports:
        urls = [running.url_for(p, path) for p, path in truth.locations]
        ids = {r["report_id"] for r in db.query(
            f"select report_id from report_captures where url in ({','.join('?' * len(urls))})", urls)}
        assert len(ids) == 1, truth.key
    # Report pages are fetched once; at most the few in flight at the kill are fetched twice.
    twice = [key for key, n in fetched.items() if n > 1 and key in report_urls.values()]
    assert len(twice) <= 2, twice
    assert not list((data / "warc").glob("*.open"))
    verify = run_nianbao("verify", "--data", str(data), check=False)
    assert verify.returncode == 0, verify.stdout + verify.stderr
