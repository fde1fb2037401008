"""Gzip bombs the downloader archived, replayed and resumed under a 1 GiB address-space
limit: both complete, the bombs are catalogued as too large, nothing else is lost (issue 11)."""

from __future__ import annotations

import json
import resource
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlite_utils

from simportals.hostile import write_bomb_warc
from tests.conftest import run_nianbao

LIMIT = 1024 * 1024 * 1024  # without the read bound, either bomb needs more than 1.25 GiB
BOMB_MIB = 1280


def limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


@dataclass
class Bombed:
    data: Path
    registry: Path
    bombs: dict[str, str]
    clean_reports: set[str]
    clean_captures: int
    resumed: object


def report_urls(db_path) -> set[str]:
    return {r["url"] for r in sqlite_utils.Database(db_path).query("select url from reports")}


@pytest.fixture(scope="module")
def bombed(tmp_path_factory) -> Bombed:
    from simportals import build_testbed, serve_testbed

    data = tmp_path_factory.mktemp("bombs") / "data"
    with serve_testbed(build_testbed()) as running:
        registry = data.parent / "portals.toml"
        registry.write_text(running.registry_toml(), encoding="utf-8")
        run_nianbao("crawl", "--portals", str(registry), "--data", str(data))
        db = sqlite_utils.Database(data / "catalogue.db")
        single = [r["url"] for r in db.query(
            "select r.url from reports r where r.published_as = 'html' and "
            "(select count(*) from report_captures c where c.report_id = r.id) = 1 order by r.url")]
        bombs = {single[0]: "gzip", single[1]: "member"}
        clean_reports, clean_captures = report_urls(data / "catalogue.db"), db["captures"].count
        db.close()
        shutil.copytree(data, data.parent / "pristine")
        # The run "was killed" after archiving the bombs: the next crawl resumes it from the archive.
        write_bomb_warc(data / "warc", bombs, BOMB_MIB)
        shutil.copytree(data, data.parent / "to-replay")
        with sqlite3.connect(data / "catalogue.db") as conn:
            conn.execute("update crawl_runs set status = 'running', finished = null")
        resumed = run_nianbao("crawl", "--portals", str(registry), "--data", str(data), preexec_fn=limited)
    return Bombed(data, registry, bombs, clean_reports, clean_captures, resumed)


def too_large_rows(db_path):
    return {r["url"]: r for r in sqlite_utils.Database(db_path).query(
        "select url, page_kind, error from captures where page_kind = 'too_large'")}


def test_bombs_are_small_on_disk_and_huge_inflated(bombed):
    (bomb,) = (bombed.data / "warc").glob("*-bomb.warc.gz")
    assert bomb.stat().st_size < 8 * 1024 * 1024  # 2 × 1.25 GiB inflated


def test_replay_under_a_memory_limit(bombed):
    data = bombed.data.parent / "to-replay"
    result = run_nianbao("replay", "--data", str(data), "--to", str(data / "replayed.db"), preexec_fn=limited)
    assert "too large to read: 2" in result.stdout
    rows = too_large_rows(data / "replayed.db")
    assert set(rows) == set(bombed.bombs) and all("too large" in r["error"] for r in rows.values())
    assert report_urls(data / "replayed.db") == bombed.clean_reports - set(bombed.bombs)
    assert sqlite_utils.Database(data / "replayed.db")["captures"].count == bombed.clean_captures
    run = sqlite_utils.Database(data / "replayed.db")["crawl_runs"].get(1)
    assert json.loads(run["errors"])["too_large"] == 2
    assert "too large" in (data / "logs" / "replay.log").read_text(errors="replace")


def test_resume_under_a_memory_limit(bombed):
    assert "too_large" in bombed.resumed.stdout  # in the run summary
    rows = too_large_rows(bombed.data / "catalogue.db")
    assert set(rows) == set(bombed.bombs)
    db = sqlite_utils.Database(bombed.data / "catalogue.db")
    assert [r["status"] for r in db["crawl_runs"].rows] == ["finished"]
    assert report_urls(bombed.data / "catalogue.db") == bombed.clean_reports  # nothing lost
    assert db["captures"].count == bombed.clean_captures


def test_unbounded_read_would_not_fit(bombed):
    """The limit is real: reading one bomb whole in a limited process fails."""
    import subprocess
    import sys

    from archive.cdxj import index_path, read_index

    (bomb,) = (bombed.data / "warc").glob("*-bomb.warc.gz")
    entry = next(e for e in read_index(index_path(bomb)) if bombed.bombs[e.url] == "gzip")
    code = ("from archive.reader import read_response; from archive.location import RecordLocation;"
            f"read_response({str(bomb.parent)!r}, RecordLocation({bomb.name!r}, {entry.offset}, {entry.length}),"
            " max_size=1 << 40)")
    done = subprocess.run([sys.executable, "-c", code], preexec_fn=limited, capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode != 0 and "MemoryError" in done.stderr


def test_verify_and_export_under_a_memory_limit(bombed, tmp_path):
    data = bombed.data.parent / "to-replay"
    verify = run_nianbao("verify", "--data", str(data), check=False, preexec_fn=limited)
    assert verify.returncode == 0, verify.stdout[-2000:] + verify.stderr[-2000:]
    # `wacz validate` as such inflates every WARC whole (frictionless): export validates in bounded memory
    run_nianbao("export", "--data", str(data), "--wacz", str(tmp_path / "bombs.wacz"), preexec_fn=limited)
    assert (tmp_path / "bombs.wacz").stat().st_size < 16 * 1024 * 1024
