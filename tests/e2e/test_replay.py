"""Offline replay rebuilds the live catalogue from the WARCs alone, and applies an
improved extractor to old captures."""

from __future__ import annotations

import re
import shutil

import pytest
import sqlite_utils

from tests.conftest import run_nianbao

# Columns that record when something ran, not what was captured.
RUN_TIME = {"crawl_runs"}
SKIP_COLUMNS = {"rowid"}


def table_rows(db: sqlite_utils.Database, table: str) -> list[tuple]:
    columns = [c.name for c in db[table].columns if c.name not in SKIP_COLUMNS]
    order = ", ".join(db[table].pks)
    return [tuple(row[c] for c in columns) for row in db.query(f"select * from {table} order by {order}")]


@pytest.fixture(scope="module")
def replayed(crawled, tmp_path_factory):
    data = tmp_path_factory.mktemp("replay") / "data"
    shutil.copytree(crawled.data, data)  # the live crawl's DATA, nothing else
    result = run_nianbao("replay", "--data", str(data), "--to", str(data / "replayed.db"),
                         "-s", "DOWNLOAD_TIMEOUT=1")
    return data, result


@pytest.mark.parametrize("table", ["reports", "report_stats", "report_checks", "report_sections",
                                   "report_captures", "report_versions", "captures"])
def test_replayed_catalogue_equals_live(replayed, table):
    data, _ = replayed
    live, again = sqlite_utils.Database(data / "catalogue.db"), sqlite_utils.Database(data / "replayed.db")
    assert table_rows(again, table) == table_rows(live, table)
    assert again[table].count > 0 or table == "report_versions" and live[table].count == 0


def test_replay_used_no_network(replayed):
    data, result = replayed
    log = (data / "logs" / "replay.log").read_text()
    # The portals are down by now: any request that reached the network would have failed.
    assert "replayed" in result.stdout and "not in archive: " not in result.stdout
    # IgnoreRequest: robots.txt (archived too) forbids the simulated portals' /internal/ drafts
    assert "'replay/responses'" in log
    assert not re.search(r"downloader/exception_type_count/(?!scrapy\.exceptions\.IgnoreRequest)", log)
    assert "replay/not_in_archive" not in log
    run = sqlite_utils.Database(data / "replayed.db")["crawl_runs"].get(1)
    assert run["command"] == "replay" and run["status"] == "finished"


def test_improved_extractor_applied_by_replay(crawled, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(crawled.data, data)
    run_nianbao("replay", "--data", str(data), "-s", "EXTRACT_FUNCTION=tests.e2e.improved_extractor.extract_page")
    titles = [r["title"] for r in sqlite_utils.Database(data / "catalogue.db")["reports"].rows]
    assert len(titles) == len(crawled.testbed.reports) and all(t.endswith("（重新提取）") for t in titles)


def test_replay_uses_the_template_lines_the_crawl_recorded(replayed):
    """The lines each page was given live come back from its JSON metadata record: beilun's
    stamp stays out of the replayed text exactly where the live crawl took it out."""
    from crawler.replay import ArchiveIndex
    from crawler.templates import KEY
    from simportals.chrome import BODY_STAMPS
    from tests.e2e.test_template_lines import template_records

    data, _ = replayed
    recorded = {rid: r[KEY] for rid, r in template_records(data / "warc").items()}
    assert ArchiveIndex.build(data / "warc").templates == recorded
    query = ("select r.id, r.text from reports r join captures c on c.report_id = r.id and c.url = r.url "
             "where c.portal = 'beilun' order by r.id")
    live = list(sqlite_utils.Database(data / "catalogue.db").query(query))
    again = list(sqlite_utils.Database(data / "replayed.db").query(query))
    stamp = BODY_STAMPS["beilun"]
    assert again == live and sum(stamp not in r["text"] for r in again) >= 20
