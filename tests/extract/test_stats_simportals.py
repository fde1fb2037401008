"""Every simulated-portal report through `extract_page`, against the generator's ground truth.

One case per report (id = report key). Each case extracts every place the report is published:
its HTML pages (the issuer's and re-posts) and, for reports published as a PDF or DOCX, the
attachment itself (the linking page is only checked to be `attachment_only`). Each extracted
report must give exactly the truth's template version, scope, region, cells
(`[table, row label, col label, value]`, no cell missing, none extra) and headline stats; the
report the generator made inconsistent has a failing check, every other report none.

A report whose mismatch comes from a known gap of the generator is listed in `KNOWN_GAPS` and
xfails strictly: a listed report that passes fails the suite (take it off the list), an
unlisted mismatch fails with the gaps `_generator_gaps` sees in it (issue 11).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict

import pytest

import simportals  # a broken testbed fails here, never skips
from extract import extract_page
from extract.region import resolve_region

TESTBED = simportals.build_testbed()
PORTALS = {p.name: p for p in TESTBED.portals}
REPORTS = TESTBED.reports
STANDARD = ("2019", "2021")
# report key → the generator gap its mismatch comes from (strict xfail). Empty: none known.
KNOWN_GAPS: dict[str, str] = {}


def _cases() -> list:
    return [pytest.param(r, id=r.key, marks=pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[r.key]))
            if r.key in KNOWN_GAPS else pytest.param(r, id=r.key) for r in REPORTS]


def _hints(portal: str) -> dict:
    """What the crawl pipeline passes (crawler/pipelines.py `_hints`)."""
    return {"registry_region": PORTALS[portal].region, "portal_name": portal}


def _extract(portal: str, path: str):
    status, headers, body = TESTBED.page(portal, path)
    assert status == 200
    return extract_page(body, url=TESTBED.url(portal, path), headers=headers, hints=_hints(portal))


def _report_pages(truth) -> list[tuple[str, str, object]]:
    """(portal, path, page) of every representation that carries the report's statistics."""
    pages = []
    for portal, path in truth.locations:
        page = _extract(portal, path)
        if truth.published_as == "html":
            pages.append((portal, path, page))
        else:
            assert page.kind == "attachment_only", (portal, path)
    for portal, path in truth.attachments:
        pages.append((portal, path, _extract(portal, path)))
    assert pages
    return pages


def _cells(rows) -> Counter:
    return Counter((t, r, c, v) for t, r, c, v in rows)


def _states_fee(text: str) -> bool:
    prose = [line for line in text.splitlines() if "\t" not in line]
    return any(re.search(r"收费|收取|费用|处理费", line) for line in prose)


def _generator_gaps(truth, page, missing: Counter, extra: Counter) -> list[str]:
    """Reasons for mismatches the generator causes, or [] when some mismatch is unexplained."""
    reasons, unexplained = set(), False
    for table, row, _col, _value in missing:
        if table == "四" and row:
            reasons.add("truth table-四 labels use (group, leaf), not ('', header path)")
        elif table == "prose" and row == "fees_collected" and not _states_fee(page.text):
            reasons.add("truth records fees_collected=0 for a legacy report that states no fees")
        else:
            unexplained = True
    for table, row, _col, _value in extra:
        if table == "四" and not row and any(c[0] == "四" and c[1] for c in truth.cells):
            continue  # the same table-四 cells under the extractor's labels
        if table == "prose" and truth.template_version in STANDARD and not any(
                c[0] == "prose" for c in truth.cells):
            reasons.add("truth has no prose cells for figures standard reports state in prose")
        else:
            unexplained = True
    return [] if unexplained else sorted(reasons)


@pytest.mark.parametrize("report", REPORTS, ids=[r.key for r in REPORTS])
def test_region(report):
    portal = PORTALS[report.locations[0][0]]
    hints = {"registry_region": portal.region, "site_id_code": portal.site_id}
    assert asdict(resolve_region(report.agency, report.title, hints)) == report.region


@pytest.mark.parametrize("report", _cases())
def test_report_statistics(report):
    for portal, path, page in _report_pages(report):
        where = f"{portal}{path}"
        assert page.kind == "report", where
        assert page.template_version == report.template_version, where
        assert asdict(page.region) == report.region, where
        got, want = _cells(page.to_json()["cells"]), _cells(report.cells)
        missing, extra = want - got, got - want
        stats_diff = {k: (page.stats[k], v) for k, v in report.stats.items() if page.stats[k] != v}
        assert not (missing or extra or stats_diff), (
            f"{where}: missing {sorted(missing, key=str)[:8]}, extra {sorted(extra, key=str)[:8]}, "
            f"stats (got, truth) {stats_diff}; generator gaps that may explain it: "
            f"{_generator_gaps(report, page, missing, extra)} (list the report in KNOWN_GAPS if so)")
        failing = [c for c in page.checks if c.passed is False]
        if report.consistent:
            assert failing == [], where
        else:
            assert failing, where
        assert page.scope is not None and page.scope == report.scope, where
