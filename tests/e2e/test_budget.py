"""The page budget counts requests that reach the portal (issue 11): with `max_pages` set to
exactly what a clean crawl of each portal fetched, an unchanged re-crawl and a crawl killed and
resumed still fetch and catalogue every report of the ground truth; a portal that does spend
its budget is named in crawl_runs and the summary."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
import sqlite_utils

from tests.conftest import run_nianbao
from tests.e2e.test_resume import crawl_and_kill


def tight(registry_text: str, budgets: dict[str, int]) -> str:
    return re.sub(r'^name = "([^"]+)"$', lambda m: f'{m.group(0)}\nmax_pages = {budgets.get(m.group(1), 2000)}',
                  registry_text, flags=re.MULTILINE)


def truth_urls(testbed, running) -> list[str]:
    return [running.url_for(*loc) for t in testbed.reports for loc in t.locations]


def stats(db, run_id: int) -> dict:
    return json.loads(db["crawl_runs"].get(run_id)["stats"])


@pytest.fixture(scope="module")
def budget(tmp_path_factory):
    from simportals import build_testbed, serve_testbed

    work = tmp_path_factory.mktemp("budget")
    testbed = build_testbed()
    out = {"testbed": testbed}
    with serve_testbed(testbed, latency=0.02) as running:
        loose = work / "loose.toml"
        loose.write_text(running.registry_toml(), encoding="utf-8")
        run_nianbao("crawl", "--portals", str(loose), "--data", str(work / "a"))
        fetched = Counter({p.name: sum(1 for _, path, _ in running.request_log(p.name) if path != "/robots.txt")
                           for p in testbed.portals})
        strict = work / "tight.toml"
        strict.write_text(tight(loose.read_text(encoding="utf-8"), fetched), encoding="utf-8")
        out["recrawl"] = run_nianbao("crawl", "--portals", str(strict), "--data", str(work / "a")).stdout
        crawl_and_kill(strict, work / "b", kill_after=40)
        out["resumed"] = run_nianbao("crawl", "--portals", str(strict), "--data", str(work / "b"),
                                     "-s", "CONCURRENT_REQUESTS=2").stdout
        small = work / "small.toml"
        small.write_text(tight(loose.read_text(encoding="utf-8"), {"beilun": 5}), encoding="utf-8")
        out["small"] = run_nianbao("crawl", "--portals", str(small), "--data", str(work / "c"), "--only", "beilun").stdout
        out["urls"] = truth_urls(testbed, running)
    out.update(a=sqlite_utils.Database(work / "a" / "catalogue.db"), b=sqlite_utils.Database(work / "b" / "catalogue.db"),
               c=sqlite_utils.Database(work / "c" / "catalogue.db"), c_log=work / "c" / "logs" / "crawl.log",
               fetched=fetched)
    return out


def captured(db, urls, run_id=None) -> set[str]:
    marks = ",".join("?" * len(urls))
    where = f"url in ({marks})" + (" and run_id = ?" if run_id else "")
    return {r["url"] for r in db.query(f"select url from captures where {where}", [*urls, *([run_id] if run_id else [])])}


def test_unchanged_recrawl_with_exact_budget_fetches_every_report(budget):
    db, urls = budget["a"], budget["urls"]
    run = db["crawl_runs"].get(2)
    assert stats(db, 2).get("dupefilter/filtered", 0) > 0  # duplicates were yielded: the old budget paid for them
    assert captured(db, urls, run_id=2) == set(urls)
    assert run["reports_unchanged"] == len(budget["testbed"].reports) and run["failed"] == 0
    assert json.loads(run["warnings"]) == [] and "page budget" not in budget["recrawl"]


def test_resumed_crawl_with_exact_budget_catalogues_every_report(budget):
    db, urls = budget["b"], budget["urls"]
    (run,) = list(db["crawl_runs"].rows)  # the killed run, resumed
    assert stats(db, run["id"]).get("nianbao/resumed")
    assert captured(db, urls) == set(urls)
    assert db["reports"].count == len(budget["testbed"].reports)
    assert json.loads(run["warnings"]) == [] and "page budget" not in budget["resumed"]


def test_spent_budget_is_reported(budget):
    db = budget["c"]
    (run,) = list(db["crawl_runs"].rows)
    (line,) = json.loads(run["warnings"])
    missed = stats(db, run["id"])["nianbao/budget_hit/beilun"]
    assert line == f"portal 'beilun' hit its page budget (max_pages): {missed} requests not made; " \
                   "raise max_pages in the registry"
    assert missed > 0 and f"warning            {line}" in budget["small"]
    assert stats(db, run["id"])["downloader/request_count"] <= 5 + 1  # + robots.txt
    assert "portal beilun hit its page budget (max_pages = 5)" in budget["c_log"].read_text(encoding="utf-8")
