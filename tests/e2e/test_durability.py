"""Checkpoints: the WARC and CDXJ are fsynced before the catalogue batch that points at them
commits. A crawl dies right after the fsync, or right after the commit, losing every byte
not yet fsynced (a power cut, simulated by the NIANBAO_TEST_CRASH hook): every catalogue
row still points at bytes in the WARC, and the next crawl completes the catalogue (issue 11)."""

from __future__ import annotations

import os
import signal
import subprocess
from collections import Counter

import pytest
import sqlite_utils

from archive.reader import read_record_at, resolve_path
from tests.conftest import NIANBAO, ROOT, run_nianbao

SMALL_BATCHES = ["-s", "CATALOGUE_BATCH_ITEMS=10", "-s", "CONCURRENT_REQUESTS=2", "-s", "EXTRACT_WORKERS=1"]


def crash(registry, data, point):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NIANBAO_TEST_CRASH": point}
    proc = subprocess.Popen([*NIANBAO, "crawl", "--portals", str(registry), "--data", str(data), *SMALL_BATCHES],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    assert proc.wait(timeout=300) == -signal.SIGKILL
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # its extraction workers
    except ProcessLookupError:
        pass


def dangling_rows(data):
    """Catalogue rows whose WARC bytes are not there."""
    db = sqlite_utils.Database(data / "catalogue.db")
    bad = []
    for row in db.query("select url, warc_filename, warc_offset, warc_length from captures "
                        "where warc_filename is not null"):
        path = resolve_path(data / "warc", row["warc_filename"])
        end = row["warc_offset"] + row["warc_length"]
        if path.stat().st_size < end or read_record_at(
                path, row["warc_offset"], lambda r: r.rec_headers.get_header("WARC-Target-URI")) != row["url"]:
            bad.append(row)
    return bad, db["captures"].count


@pytest.mark.parametrize("point", ["after-fsync:3:power", "after-commit:3:power"])
def test_crash_at_a_checkpoint_loses_nothing(tmp_path, point):
    from simportals import build_testbed, serve_testbed

    testbed = build_testbed()
    with serve_testbed(testbed) as running:
        registry = tmp_path / "portals.toml"
        registry.write_text(running.registry_toml(), encoding="utf-8")
        data = tmp_path / "data"
        crash(registry, data, point)
        bad, rows = dangling_rows(data)
        assert bad == [] and rows >= 10
        run_nianbao("crawl", "--portals", str(registry), "--data", str(data))
    db = sqlite_utils.Database(data / "catalogue.db")
    assert [r["status"] for r in db["crawl_runs"].rows] == ["finished"]
    truth = {(t.title, t.agency, t.year) for t in testbed.reports}
    rows = list(db.query("select id, title, agency, year, url, status from reports"))
    seen = Counter((r["title"], r["agency"], r["year"]) for r in rows)
    strays = [r for r in rows if (r["title"], r["agency"], r["year"]) not in truth
              or seen[(r["title"], r["agency"], r["year"])] > 1]
    assert db["reports"].count == len(testbed.reports), strays  # the strays name what was doubled
    verify = run_nianbao("verify", "--data", str(data), check=False)
    assert verify.returncode == 0, verify.stdout + verify.stderr
