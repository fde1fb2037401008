"""`nianbao discover` from home pages only, then `nianbao crawl` of what it wrote, against the
hand-written registry and the ground truth of the simulated prefecture, family by family (TRS,
Hanweb, platform and a family nianbao has no rules for); then `nianbao coverage`."""

from __future__ import annotations

import csv
import io
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlite_utils

from simportals import build_testbed, serve_testbed
from simportals.prefecture import LAST_YEAR, PER_PAGE, build_prefecture
from tests.conftest import run_nianbao

FAMILIES = ("trs", "hanweb", "platform", "jsp")
WITHDRAWN = ("六安市金安区教育局", 2023)
PAGINATION = {"trs": "trs-static", "hanweb": "hanweb-proxy", "platform": "path-numbered", "jsp": "query:pn"}


@dataclass
class Discovered:
    world: object
    registry: list[dict]
    toml: str
    stderr: str
    data: Path  # discovery archived here, then the discovered registry was crawled into it
    hand: Path  # the hand-written registry crawled
    coverage_csv: str
    logs: dict[str, list]  # site → the requests its server saw
    report_urls: dict[str, set[str]]  # family → report URLs, before one was withdrawn


@pytest.fixture(scope="module")
def discovered(tmp_path_factory) -> Discovered:
    world = build_prefecture()
    root = tmp_path_factory.mktemp("discover")
    data, hand = root / "data", root / "hand"
    with serve_testbed(world, in_process=True) as running:
        out = root / "registry.toml"
        result = run_nianbao("discover", *world.home_urls(), "--out", str(out), "--data", str(data))
        logs = {site: running.request_log(site) for site in [*world.sites, "mirror"]}
        run_nianbao("crawl", "--portals", str(out), "--data", str(data))
        (root / "hand.toml").write_text(world.registry_toml(), encoding="utf-8")
        run_nianbao("crawl", "--portals", str(root / "hand.toml"), "--data", str(hand))
        report_urls = world.report_urls()
        world.withdraw(*WITHDRAWN)  # taken down (410) after the first crawl; the next one sees it
        run_nianbao("crawl", "--portals", str(out), "--data", str(data))
    coverage = run_nianbao("coverage", "--data", str(data), "--format", "csv").stdout
    toml = out.read_text(encoding="utf-8")
    return Discovered(world, tomllib.loads(toml)["portal"], toml, result.stderr, data, hand, coverage, logs,
                      report_urls)


def _family(d: Discovered, family: str) -> tuple[list[dict], list[dict]]:
    hosts = {d.world.hosts[name] for name, s in d.world.sites.items() if s.spec.cms == family}
    entries = [e for e in d.registry if set(e["allowed_domains"]) <= hosts]
    truth = [c for c in d.world.report_columns() if c["cms"] == family]
    return entries, truth


@pytest.mark.parametrize("family", FAMILIES)
def test_every_report_column_found_and_nothing_else(discovered, family):
    entries, truth = _family(discovered, family)
    found = {url: e for e in entries for url in e["start_urls"]}
    want = {c["url"]: c for c in truth if c["kind"] == "report"}
    assert set(found) == set(want)  # every column, and no 统计年报 / 政府工作报告 / 政策文件 / empty one
    for url, column in want.items():
        entry = found[url]
        assert entry["title"] == column["body"]  # which body the column belongs to
        one_page = family == "jsp" and column["reports"] <= PER_PAGE  # no pager links at all
        assert entry["pagination"] == ("single-page" if one_page else PAGINATION[family])
        assert entry.get("cms") == (family if family != "jsp" else None)  # unknown family: no guess
        site = discovered.world.sites[column["site"]].spec
        assert (entry["region"], entry["region_code"]) == (site.region, site.code)
        assert entry["allowed_domains"] == [discovered.world.hosts[column["site"]]]


def test_empty_column_listed_as_undecided(discovered):
    (empty,) = [c for c in discovered.world.report_columns() if c["kind"] == "empty"]
    assert f"undecided: {empty['url']}" in discovered.stderr
    assert f"# undecided: {empty['url']}" in discovered.toml
    assert "named like a report column but lists no report-titled link" in discovered.stderr
    rejected = [c["url"] for c in discovered.world.report_columns() if c["name"] in ("统计年报", "政府工作报告")]
    assert rejected and all(f"# {u} " in discovered.toml for u in rejected)  # checked, with why


def _reports(db_path: Path, hosts: set[str]) -> dict[str, str]:
    db = sqlite_utils.Database(db_path)
    return {r["id"]: r["url"] for r in db.query("select id, url from reports")
            if r["url"].split("/")[2] in hosts}


@pytest.mark.parametrize("family", FAMILIES)
def test_discovered_registry_catalogues_the_same_reports(discovered, family):
    hosts = {discovered.world.hosts[n] for n, s in discovered.world.sites.items() if s.spec.cms == family}
    found = _reports(discovered.data / "catalogue.db", hosts)  # one report withdrawn since: kept, marked
    by_hand = _reports(discovered.hand / "catalogue.db", hosts)
    assert found == by_hand
    assert set(found.values()) == discovered.report_urls[family]


def test_discovery_stays_on_its_domains_obeys_robots_and_archives(discovered):
    assert not discovered.logs["mirror"]
    for site, log in discovered.logs.items():
        if site != "mirror":
            assert log[0][1] == "/robots.txt", log[:3]
            assert not any(path.startswith("/search/") for _m, path, _s in log)
    warcs = sorted((discovered.data / "warc").glob("nianbao-discover-*.warc.gz"))
    assert warcs, "discovery must archive what it fetched"
    run_nianbao("verify", "--data", str(discovered.data))


def test_coverage_names_exactly_the_left_out_body_years(discovered):
    rows = list(csv.DictReader(io.StringIO(discovered.coverage_csv)))
    missing = sorted((r["name"], int(r["year"])) for r in rows if r["kind"] == "body" and r["status"] == "missing")
    assert missing == discovered.world.left_out()
    withdrawn = [(r["name"], int(r["year"])) for r in rows if r["status"] == "withdrawn"]
    assert withdrawn == discovered.world.withdrawn == [WITHDRAWN]
    for year in range(2019, LAST_YEAR + 1):
        counties = sorted(r["code"] for r in rows if r["kind"] == "county" and r["status"] == "missing"
                          and int(r["year"]) == year)
        assert counties == discovered.world.counties_without_report(year), year


def test_discover_the_testbed_portals_from_their_home_pages(tmp_path):
    """The demo's portals (one per family, one in GBK) give back their hand-written registry."""
    tb = build_testbed()
    with serve_testbed(tb) as running:
        homes = [running.url_for(p.name, "/") for p in tb.portals]
        run_nianbao("discover", *homes, "--out", str(tmp_path / "r.toml"))
        hand = tomllib.loads(running.registry_toml())["portal"]
        assert running.request_log("mirror") == []  # the spam mirror the listings link to: never visited
    found = tomllib.loads((tmp_path / "r.toml").read_text(encoding="utf-8"))["portal"]
    key = lambda e: (tuple(e["start_urls"]), tuple(e["allowed_domains"]), e["cms"], e["region_code"])  # noqa: E731
    assert sorted(map(key, found)) == sorted(map(key, hand))
    assert {e["title"] for e in found} == {p.title for p in tb.portals}


def test_bad_url_is_one_clear_line():
    result = run_nianbao("discover", "not-a-url", check=False)
    assert result.returncode == 1 and "not an http(s) URL: not-a-url" in result.stderr
