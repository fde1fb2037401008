"""Progress bars: drawn from the crawl's stats when asked (or on a terminal), silent otherwise."""

from __future__ import annotations

import re

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler.progress import CrawlProgress, track
from tests.conftest import run_nianbao


def test_crawl_progress_counts_pages_reports_and_errors(tmp_path):
    from simportals import build_testbed, serve_testbed

    with serve_testbed(build_testbed()) as running:
        registry = tmp_path / "portals.toml"
        registry.write_text(running.registry_toml(), encoding="utf-8")
        result = run_nianbao("crawl", "--portals", str(registry), "--data", str(tmp_path / "data"),
                             "-s", "PROGRESS_ENABLED=True")
    last = result.stderr.strip().splitlines()[-1]
    match = re.search(r"^crawl: 100%.*\| (\d+)/(\d+) \[.*page/s, errors=(\d+), reports=(\d+)\]$", last)
    assert match, result.stderr[-500:]
    pages, scheduled, errors, reports = map(int, match.groups())
    fetched = int(re.search(r"pages fetched\s+(\d+)", result.stdout).group(1))
    assert pages == scheduled == fetched and errors == 0 and reports >= 1


def test_no_progress_off_a_terminal(capsys):
    with pytest.raises(NotConfigured):
        CrawlProgress.from_crawler(get_crawler(settings_dict={}))  # pytest's stderr is not a tty
    assert list(track([1, 2, 3], "verify")) == [1, 2, 3]
    assert capsys.readouterr().err == ""
