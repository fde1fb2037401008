"""Discovery's reading of navigation and listings (spiders/navigation.py, spiders/cms.py), on
simulated pages of every family and on the real pages of shared/realworld."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from crawler import findings
from simportals.prefecture import build_prefecture
from spiders import cms, links, navigation, pagination

REALWORLD = Path(__file__).resolve().parents[3] / "shared" / "realworld" / "pages"


@pytest.mark.parametrize("text, kind", [
    ("政府信息公开年报", "column"), ("信息公开年报", "column"), ("年度报告", "column"),
    ("政府信息公开工作年度报告", "column"), ("政务公开年报", "column"), ("年报", "column"),
    ("统计年报", "column"),  # named like a report: fetched, then judged by what it lists
    ("政府工作报告", "column"),
    ("金安区2023年政府信息公开工作年度报告", "report"),
    ("政府信息公开", "section"), ("政务公开", "section"), ("信息公开目录", "section"), ("网站地图", "section"),
    ("乡镇（街道）信息公开", "section"), ("部门信息公开", "section"),
    ("六安市金安区教育局", "body"), ("三十铺镇人民政府", "body"), ("新碶街道办事处", "body"),
    ("互动交流", None), ("走进金安区", None), ("金安区召开2024年政务公开工作推进会", None), ("", None),
])
def test_link_kind(text, kind):
    assert navigation.link_kind(text) == kind


def _listing(world, column):
    site = column.site.spec.name
    _status, headers, body = world.page(site, column.spec.column_path)
    url = f"http://{column.site.spec.domain}{column.spec.column_path}"
    response = HtmlResponse(url, body=body, encoding="utf-8")
    anchors = links.anchors(response.text, url)
    for fragment in pagination.record_fragments(response.text):
        anchors += links.anchors(f"<div>{fragment}</div>", url)
    return response, anchors


WORLD = build_prefecture()


@pytest.mark.parametrize("column", WORLD.columns, ids=lambda c: f"{c.spec.cms}-{c.kind}-{c.spec.column_path}")
def test_listing_verdict_matches_truth(column):
    response, anchors = _listing(WORLD, column)
    verdict = navigation.judge_listing(column.spec.column_name, response.url, anchors,
                                       lambda u: column.site.spec.domain in u)
    expected = {"report": "report", "empty": "undecided", "other": "rejected"}[column.kind]
    assert verdict.kind == expected, verdict.why
    if column.kind == "report":
        assert {u.split("://", 1)[1].split("/", 1)[1] for u, _t in verdict.reports} <= \
            {i.path.lstrip("/") for i in column.items}


@pytest.mark.parametrize("family, pager", [("trs", "trs-static"), ("hanweb", "hanweb-proxy"),
                                           ("platform", "path-numbered"), ("jsp", "query:pn")])
def test_cms_and_pagination_by_family(family, pager):
    column = next(c for c in WORLD.columns if c.spec.cms == family and c.kind == "report" and len(c.items) > 5)
    response, anchors = _listing(WORLD, column)
    found, evidence = cms.detect_cms(response.text)
    assert found == (family if family != "jsp" else None), evidence  # jsp: a family we have no rules for
    assert cms.detect_pagination(response, anchors) == pager


def test_body_from_titles_prefers_the_fuller_name():
    titles = ["六安市金安区教育局2023年政府信息公开工作年度报告", "六安市金安区教育局2022年度政府信息公开工作年度报告"]
    assert findings.body_from_titles("金安区教育局", titles) == "六安市金安区教育局"
    assert findings.body_from_titles("金安区教育局", ["金安区2023年政府信息公开工作年度报告"]) == "金安区教育局"


def test_mostly_other_items_is_undecided():
    anchors = [(f"http://a.gov.cn/{i}.html", f"关于印发2023年第{i}批项目的通知") for i in range(6)]
    anchors.append(("http://a.gov.cn/r.html", "某县2023年政府信息公开工作年度报告"))
    assert navigation.judge_listing("通知公告与年报", "http://a.gov.cn/", anchors, lambda u: True).kind == "undecided"
    assert navigation.judge_listing("政府信息公开年报", "http://a.gov.cn/", anchors, lambda u: True).kind == "report"


def test_reports_only_on_another_domain_are_undecided():
    anchors = [("http://mirror.example.com/1.html", "某县2023年政府信息公开工作年度报告")]
    verdict = navigation.judge_listing("政府信息公开年报", "http://a.gov.cn/", anchors, lambda u: "a.gov.cn" in u)
    assert verdict.kind == "undecided" and "mirror" in verdict.why


def _real(name: str, url: str) -> tuple[HtmlResponse, list[tuple[str, str]]]:
    if not REALWORLD.exists():
        pytest.skip("shared/realworld is not available")
    response = HtmlResponse(url, body=(REALWORLD / name).read_bytes(), encoding="utf-8")
    return response, links.anchors(response.text, url)


def test_realworld_trs_listing():
    response, anchors = _real("001_ordos-egb_xxgknb-listing.html", "http://www.egb.gov.cn/xxgk/xxgknb/")
    assert cms.detect_cms(response.text)[0] == "trs"
    assert cms.detect_pagination(response, anchors) == "trs-static"
    verdict = navigation.judge_listing("信息公开年报", response.url, anchors, lambda u: "egb.gov.cn" in u)
    assert verdict.kind == "report" and len(verdict.reports) == 4  # news items in the column are not counted


def test_realworld_script_pager_is_flagged():
    """平潭's column shows 10 of its 20 reports; the rest come from a script (SOURCES.md)."""
    response, anchors = _real("002_pingtan_zfxxgknb-listing.html", "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/")
    verdict = navigation.judge_listing("政府信息公开年报", response.url, anchors, lambda u: "pingtan.gov.cn" in u)
    assert verdict.kind == "report" and len(verdict.reports) == 10
    assert cms.detect_cms(response.text)[0] == "trs"
    assert cms.detect_pagination(response, anchors) == "single-page"
    assert cms.declared_total(response.text) == 20


def test_realworld_navigation_links():
    """A 年报 link in a real 政务公开 menu is a column candidate; 政府工作报告 is one too, and
    only its listing can say it is not a report column."""
    _response, anchors = _real("003_pingtan_2023-ogi-report.html",
                               "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202403/t20240308_87885.htm")
    kinds = {t: navigation.link_kind(t) for _u, t in anchors}
    assert kinds["政府信息公开年报"] == "column" and kinds["政府信息公开"] == "section"
    assert kinds["政务公开"] == "section"


@pytest.mark.parametrize("body, qualified", [
    ("教育局", "六安市金安区教育局"), ("区教育局", "六安市金安区教育局"), ("三十铺镇", "六安市金安区三十铺镇"),
    ("六安市金安区财政局", "六安市金安区财政局"), ("金安区财政局", "金安区财政局"),  # names its place
])
def test_qualify_names_without_a_place(body, qualified):
    assert findings.qualify(body, "六安市金安区人民政府") == qualified
    assert findings.qualify(body, None) == body
