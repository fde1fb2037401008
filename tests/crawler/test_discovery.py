"""From discovery findings to registry TOML (crawler/discovery.py), without a crawl: valid for
`nianbao crawl`, one table per body, columns found twice crawled once, doubts as comments."""

from __future__ import annotations

from crawler.discovery import portal_entries, registry_toml, site_region, undecided
from crawler.findings import ColumnFinding, SiteFinding, Verdict, seed_domains
from crawler.registry import parse_registry

REPORTS = [("http://www.ahjinan.gov.cn/a/t1.html", "六安市金安区教育局2023年政府信息公开工作年度报告")]


def _site(seed: str) -> SiteFinding:
    site = SiteFinding(seed, seed_domains(seed), owner="六安市金安区人民政府", site_id="3415020001")
    main = "http://www.ahjinan.gov.cn/zwgk/xxgk/ndbg/index.html"
    site.columns[main] = ColumnFinding(main, "政府信息公开年报", None, ("政府信息公开", "政府信息公开年报"), 2,
                                       Verdict("report", "lists 6", [("u", "金安区2023年政府信息公开工作年度报告")]),
                                       "trs", [], "trs-static")
    dept = "http://xxgk.ahjinan.gov.cn/jyj/ndbg/index.html"
    site.columns[dept] = ColumnFinding(dept, "年报", "教育局", ("信息公开目录", "教育局", "年报"), 4,
                                       Verdict("report", "lists 1", REPORTS), None, [], "single-page")
    empty = "http://www.ahjinan.gov.cn/czj/ndbg/"
    site.columns[empty] = ColumnFinding(empty, "政府信息公开年报", "财政局", ("信息公开目录", "财政局"), 4,
                                        Verdict("undecided", "named like one but lists nothing"))
    gone = "http://www.ahjinan.gov.cn/404/"
    site.columns[gone] = ColumnFinding(gone, "年度报告", None, ("年度报告",), 1)
    site.errors.append(f"{gone}: HttpError 404")
    return site


def test_seed_domains():
    assert seed_domains("http://www.bl.gov.cn/") == ("bl.gov.cn",)
    assert seed_domains("http://127.0.0.1:8001/") == ("127.0.0.1:8001",)
    assert seed_domains("https://example.com/x") == ("example.com",)


def test_registry_is_valid_and_one_table_per_body():
    sites = [_site("http://www.ahjinan.gov.cn/"), _site("http://www.ahjinan.gov.cn/zwgk/")]
    text = registry_toml(sites)
    portals = parse_registry(text)  # what `nianbao crawl` reads
    assert [p.title for p in portals] == ["六安市金安区人民政府", "六安市金安区教育局"]  # the second seed adds nothing
    assert portals[0].allowed_domains == ("ahjinan.gov.cn",) and portals[1].allows(REPORTS[0][0])
    assert portals[0].cms == "trs" and portals[0].pagination == "trs-static" and portals[1].cms is None
    assert portals[0].extra["region_code"] == "341502" and portals[0].region == "安徽省六安市金安区"
    assert "# found via 信息公开目录 › 教育局 › 年报" in text
    assert "# undecided: http://www.ahjinan.gov.cn/czj/ndbg/" in text
    assert "could not fetch it: http://www.ahjinan.gov.cn/404/: HttpError 404" in text


def test_nothing_found_is_said():
    site = SiteFinding("http://www.x.gov.cn/", ("x.gov.cn",), pages=3)
    assert portal_entries([site]) == []
    assert undecided([site]) == ["no report column found from http://www.x.gov.cn/ (3 pages read, 0 candidates)"]


def test_region_without_site_id_code():
    site = SiteFinding("http://www.jinzhai.gov.cn/", ("jinzhai.gov.cn",), owner="金寨县人民政府")
    assert site_region(site) == ("安徽省六安市金寨县", "341524")
