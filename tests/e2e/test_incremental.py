"""Scheduled incremental crawls over an evolving testbed (same portals, same ports):
run 1 at epoch 0, an unchanged run 2, run 3 at epoch 1 (edited, deleted, added, re-issued,
bytes-only changes, a 503-then-recover host, a spider trap), run 4 at epoch 2.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlite_utils
from warcio.archiveiterator import ArchiveIterator

from tests.conftest import run_nianbao


@dataclass
class Runs:
    data: Path
    db: sqlite_utils.Database
    urls: dict
    evolution: dict  # epoch → tb.evolution()
    stdout: list[str]
    trap_requests: int
    testbeds: dict
    pager_trap_requests: int = 0


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> Runs:
    from simportals import build_testbed, serve_testbed

    data = tmp_path_factory.mktemp("incremental")
    stdout, evolution, testbeds = [], {}, {}
    with serve_testbed(build_testbed()) as running:
        registry = data / "portals.toml"
        registry.write_text(running.registry_toml(), encoding="utf-8")
        for epoch in (0, 0, 1, 2):
            tb = running.set_epoch(epoch)
            evolution[epoch], testbeds[epoch] = tb.evolution(), tb
            # The flaky host asks for Retry-After: 1 on every path; cap the back-off to keep this fast.
            result = run_nianbao("crawl", "--portals", str(registry), "--data", str(data / "data"),
                                 "-s", "BACKOFF_MAX_DELAY=0.2")
            stdout.append(result.stdout)
        urls = {(p, path): running.url_for(p, path)
                for tb in testbeds.values() for t in tb.reports for p, path in t.locations}
        trap = evolution[1]["trap"]
        trap_requests = sum(1 for _, path, _ in running.request_log(trap["portal"]) if path.startswith(trap["path"]))
        pager = evolution[1]["pager_trap"]
        beyond = re.compile(re.escape(pager["path"]) + r"\?page=(\d+)$")
        pager_trap_requests = sum(1 for _, path, _ in running.request_log(pager["portal"])
                                  if (m := beyond.match(path)) and int(m.group(1)) > pager["last_page"])
    db = sqlite_utils.Database(data / "data" / "catalogue.db")
    return Runs(data / "data", db, urls, evolution, stdout, trap_requests, testbeds, pager_trap_requests)


def run_row(runs: Runs, n: int) -> dict:
    return runs.db["crawl_runs"].get(n)


def report(runs: Runs, key: str, epoch: int) -> dict:
    truth = next(t for t in runs.testbeds[epoch].reports if t.key == key)
    url = runs.urls[tuple(truth.locations[0])]
    (row,) = list(runs.db.query(
        "select r.* from reports r join report_captures c on c.report_id = r.id where c.url = ?", [url]))
    return row


def test_run_table_counts_every_run(runs):
    rows = [run_row(runs, n) for n in (1, 2, 3, 4)]
    assert all(r["status"] == "finished" for r in rows)
    assert (rows[0]["reports_new"], rows[0]["reports_changed"]) == (91, 0)
    assert (rows[1]["reports_new"], rows[1]["reports_changed"], rows[1]["reports_withdrawn"]) == (0, 0, 0)
    assert rows[1]["reports_unchanged"] == 91
    assert rows[2]["reports_new"] == 1 and rows[2]["reports_changed"] == 1 and rows[2]["reports_withdrawn"] == 1
    assert rows[3]["reports_new"] == 0 and rows[3]["reports_changed"] == 1 and rows[3]["reports_withdrawn"] == 1
    for text in runs.stdout:
        assert "new," in text and "changed," in text and "withdrawn" in text and "failed" in text


def test_unchanged_run_archives_revisits_and_little_data(runs):
    first, second = run_row(runs, 1), run_row(runs, 2)
    # revisit headers, plus request records beside the identical-payload revisits (xinqi)
    assert second["warc_bytes"] < 0.15 * first["warc_bytes"]
    revisits = [r for r in runs.db.query("select * from captures where run_id = 2 and kind != 'listing'")]
    assert revisits and all(r["record_type"] == "revisit" for r in revisits)


def test_revisits_name_their_originals(runs):
    """Each revisit's WARC-Refers-To* headers and payload digest are the original record's."""
    records, revisits = {}, []
    for path in sorted(runs.data.glob("warc/*.warc.gz")):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                h = record.rec_headers
                records[h.get_header("WARC-Record-ID")] = h
                if record.rec_type == "revisit":
                    revisits.append(h)
    profiles = {}
    for h in revisits:
        original = records[h.get_header("WARC-Refers-To")]
        assert original.get_header("WARC-Type") == "response"
        assert h.get_header("WARC-Refers-To-Target-URI") == original.get_header("WARC-Target-URI") \
            == h.get_header("WARC-Target-URI")
        assert h.get_header("WARC-Refers-To-Date") == original.get_header("WARC-Date")
        assert h.get_header("WARC-Payload-Digest") == original.get_header("WARC-Payload-Digest")
        assert h.get_header("WARC-Date") > original.get_header("WARC-Date")
        profiles.setdefault(h.get_header("WARC-Profile").rsplit("/", 1)[-1], set()).add(
            h.get_header("WARC-Target-URI"))
    # Pages served with ETag/Last-Modified come back 304; the portal that sends no validators
    # (xinqi) answers 200 with the same bytes, archived as identical-payload revisits.
    xinqi = runs.db.execute("select url from captures where run_id = 2 and portal = 'xinqi' and kind != 'listing'")
    xinqi_urls = {u for (u,) in xinqi}
    assert xinqi_urls and xinqi_urls <= profiles["identical-payload-digest"]
    assert profiles["server-not-modified"] and not any(
        "xinqi" in p for p in profiles["server-not-modified"])


def test_edited_report_gets_a_new_version(runs):
    for epoch in (1, 2):
        (key,) = runs.evolution[epoch]["edited"]
        row = report(runs, key, epoch)
        versions = list(runs.db.query("select * from report_versions where report_id = ? order by version", [row["id"]]))
        assert len(versions) == 2 and versions[1]["run_id"] == (3 if epoch == 1 else 4)
        assert versions[0]["content_hash"] != versions[1]["content_hash"] and row["version"] == 2


def test_bytes_only_changes_make_no_new_version(runs):
    edited = set(runs.evolution[1]["cumulative"]["edited"]) | set(runs.evolution[2]["cumulative"]["edited"])
    multi = list(runs.db.query("select report_id, count(*) n from report_versions group by report_id having n > 1"))
    assert len(multi) == len(edited)
    third = list(runs.db.query("select record_type, count(*) n from captures where run_id = 3 group by 1"))
    assert {r["record_type"] for r in third} >= {"response"}  # bytes changed: full captures, same content


def test_deleted_reports_withdrawn_never_removed(runs):
    for epoch, status in ((1, 404), (2, 410)):
        (key,) = runs.evolution[epoch]["deleted"]
        row = report(runs, key, epoch - 1)
        assert row["status"] == "withdrawn" and row["withdrawn_on"] and row["last_seen"]
        assert row["withdrawn_run"] == epoch + 2
        gone_url = runs.urls[tuple(next(t for t in runs.testbeds[epoch - 1].reports if t.key == key).locations[0])]
        assert runs.db.execute("select status from captures where url = ? and run_id = ?",
                               [gone_url, epoch + 2]).fetchone()[0] == status
    assert runs.db["reports"].count == 92  # 91 + the added one; nothing deleted


def test_added_and_reissued_reports(runs):
    (added,) = runs.evolution[1]["added"]
    assert report(runs, added, 1)["first_seen_run"] == 3
    (reissued,) = runs.evolution[1]["reissued"]
    row = report(runs, reissued, 1)
    new_url = runs.urls[tuple(next(t for t in runs.testbeds[1].reports if t.key == reissued).locations[0])]
    assert row["status"] == "current" and row["url"] == new_url and row["version"] == 1


def test_flaky_host_recovers_and_trap_is_contained(runs):
    stats = json.loads(run_row(runs, 3)["stats"])
    assert stats.get("retry/count", 0) > 0  # the 503s were retried
    assert stats.get("nianbao/backoff/503", 0) > 0  # and the host was slowed down
    gone = runs.evolution[1]["urls"]
    assert run_row(runs, 3)["failed"] == len(gone["gone_404"]) + len(gone["gone_410"])  # only the 404s
    assert runs.trap_requests <= 5


def test_trap_detected_stopped_and_reported(runs):
    """The pager that never ends (epochs 1, 2) costs LISTING_TRAP_PAGES fetches a run, and
    says so in crawl_runs and the summary; runs without it carry no warning (issue 11)."""
    from crawler.settings import LISTING_TRAP_PAGES

    assert 2 * (LISTING_TRAP_PAGES - 1) <= runs.pager_trap_requests <= 2 * (LISTING_TRAP_PAGES + 3)
    for n in (1, 2):
        assert json.loads(run_row(runs, n)["warnings"]) == []
        assert "warning" not in runs.stdout[n - 1]
    for n in (3, 4):
        (line,) = json.loads(run_row(runs, n)["warnings"])
        assert line.startswith("portal 'xinqi': spider trap suspected")
        assert f"warning            {line}" in runs.stdout[n - 1]


def test_changes_command(runs):
    result = run_nianbao("changes", "--data", str(runs.data), "--since", "2000-01-01", "--json")
    found = json.loads(result.stdout)
    assert len(found["changed"]) == 2 and all(c["diff"].startswith("--- v1") for c in found["changed"])
    assert len(found["withdrawn"]) == 2 and len(found["new"]) == 92
    text = run_nianbao("changes", "--data", str(runs.data), "--since", "2000-01-01").stdout
    assert "withdrawn: 2" in text and "changed: 2" in text


def test_archive_verifies_after_four_runs(runs):
    result = subprocess.run([sys.executable, "-m", "crawler", "verify", "--data", str(runs.data)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
