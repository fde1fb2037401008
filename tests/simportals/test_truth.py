"""Ground truth: internally consistent, headline rules, special cases, determinism, scale."""

from __future__ import annotations

import json
import re

import pytest

from simportals import ReportTruth, build_testbed
from simportals import stats as S

STATS_KEYS = {"proactive_disclosed", "applications_received", "applications_carried_over",
              "granted", "partially_granted", "refused", "reconsideration_total",
              "litigation_total", "fees_collected"}


@pytest.fixture(scope="module")
def tb():
    return build_testbed(seed=0, scale=1)


def _t3(r: ReportTruth) -> dict[str, list]:
    out: dict[str, list] = {}
    for table, row, _col, value in r.cells:
        if table == "三":
            out.setdefault(row, []).append(value or 0)
    return out


def test_counts_and_shape(tb):
    reports = tb.reports
    assert isinstance(reports, list) and len(reports) >= 60
    assert len(tb.portals) >= 3 and {p.cms for p in tb.portals} == {"trs", "hanweb", "platform"}
    assert any(p.encoding == "gbk" for p in tb.portals)
    assert len(tb.non_reports) >= 8
    for r in reports:
        assert set(r.stats) == STATS_KEYS
        assert r.template_version in ("2021", "2019", "legacy")
        assert re.fullmatch(r"\d{6}", r.region["code"])
        assert str(r.year) in r.title
        assert int(r.published[:4]) > r.year
        assert r.locations and all(len(loc) == 2 for loc in r.locations)
        if r.issuer_portal:
            assert r.locations[0][0] == r.issuer_portal
    json.dumps(tb.truth_json(), ensure_ascii=False)
    assert len({r.key for r in reports}) == len(reports)


def test_templates_by_year(tb):
    for r in tb.reports:
        if r.year <= 2018:
            assert r.template_version == "legacy"
        elif r.year <= 2020:
            assert r.template_version == "2019"
    kept = [r for r in tb.reports if r.year >= 2021 and r.template_version == "2019"]
    assert len(kept) == 1


def test_table_sums_and_headlines(tb):
    inconsistent = [r for r in tb.reports if not r.consistent]
    assert len(inconsistent) == 1 and inconsistent[0].template_version in ("2019", "2021")
    for r in tb.reports:
        if r.template_version == "legacy":
            continue
        t3 = _t3(r)
        leaves = S.t3_leaves(r.template_version)
        sums_hold = all(
            t3[S.NEW][c] + t3[S.CARRIED_IN][c] == t3[S.TOTAL][c] + t3[S.CARRIED_OUT][c]
            and t3[S.TOTAL][c] == sum(t3[leaf][c] for leaf in leaves)
            for c in range(7)) and all(sum(v[:6]) == v[6] for v in t3.values())
        assert sums_hold == r.consistent, r.title
        t4 = [v or 0 for t, _r, _c, v in r.cells if t == "四"]
        assert len(t4) == 15 and all(sum(t4[g:g + 4]) == t4[g + 4] for g in (0, 5, 10))
        s = r.stats
        assert s["applications_received"] == t3[S.NEW][6]
        assert s["granted"] == t3[S.GRANTED][6]
        assert s["refused"] == sum(t3[x][6] for x in S.DENY[1])
        assert s["reconsideration_total"] == t4[4]
        assert s["litigation_total"] == t4[9] + t4[14]
        assert len(t3) == (25 if r.template_version == "2021" else 23)


def test_special_cases(tb):
    kinds = {r.published_as for r in tb.reports}
    assert {"html", "pdf", "docx"} <= kinds
    assert any(any(v is None for t, *_x, v in r.cells if t == "三") for r in tb.reports)
    reposted = [r for r in tb.reports if len(r.locations) > 1 or r.issuer_portal is None]
    assert any(r.region["level"] == "prefecture" for r in reposted)
    assert any(r.signed is None for r in tb.reports)
    texts = {r.signed_text for r in tb.reports if r.signed_text}
    assert any("〇" in t for t in texts) and any("." in t for t in texts)
    assert {r.scope for r in tb.reports} == {"self", "jurisdiction"}
    assert {r.region["level"] for r in tb.reports} >= {"county", "township", "department",
                                                       "prefecture"}
    assert any(r.stats["fees_collected"] for r in tb.reports)
    titles = [tb.lookup(p, path).title for p, path in tb.non_reports]
    assert any(t.startswith("一图读懂") for t in titles)
    assert any(t.endswith("函") for t in titles)


def test_determinism():
    a, b = build_testbed(seed=0), build_testbed(seed=0)
    assert a.truth_json() == b.truth_json()
    for portal, path, _kind in list(a.iter_pages())[::5]:
        assert a.page(portal, path) == b.page(portal, path)
    c = build_testbed(seed=1)
    assert c.truth_json()["reports"] != a.truth_json()["reports"]


def test_scale_is_lazy_and_large():
    tb = build_testbed(seed=0, scale=20)
    reports = tb.reports
    assert not isinstance(reports, list)
    assert len(reports) >= 2000
    assert len({s.key for s in tb.specs}) == len(tb.specs)
    report_pages = sum(1 for _p, _path, kind in tb.iter_pages() if kind == "report")
    assert report_pages >= 2000
    r = reports[1500]
    assert isinstance(r, ReportTruth) and r.locations
    status, _h, body = tb.page(*r.locations[0])
    assert status == 200 and len(body) > 10_000
