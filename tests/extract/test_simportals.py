"""Every generated report page of the simulated portals against its ground truth.

One case per (portal, path). A testbed that cannot be built fails the suite, never skips it.
"""

import functools

import pytest

from extract import extract_page
from extract.template import template_lines
from simportals import build_testbed
from simportals.render_report import report_text

TESTBED = build_testbed()
CASES = [(t, portal, path) for t in TESTBED.reports for portal, path in t.locations]
SPECS = {s.key: s for s in TESTBED.specs}
IDS = [f"{portal}{path}" for _, portal, path in CASES]


@functools.cache
def template_hints(portal: str) -> dict:
    """The hints a crawl passes: the lines the portal's other pages share (beilun stamps one
    into every article body, which only they give away)."""
    bodies = [TESTBED.page(portal, it.path)[2] for it in TESTBED.columns[portal]]
    return {"template_lines": template_lines(bodies)}


@pytest.fixture(params=CASES, ids=IDS)
def case(request):
    truth, portal, path = request.param
    status, headers, body = TESTBED.page(portal, path)
    assert status == 200
    return truth, portal, path, extract_page(body, url=TESTBED.url(portal, path), headers=headers,
                                             hints=template_hints(portal))


def test_fields_match_truth(case):
    truth, portal, path, page = case
    published = next((r[2] for r in truth.reposts if r[:2] == [portal, path]), truth.published)
    assert page.title == truth.title
    assert page.agency == truth.agency
    assert page.year == truth.year
    assert page.published == published
    assert page.index_no == truth.index_no
    if truth.published_as == "html":
        assert page.kind == "report"
        assert page.signed == truth.signed
    else:
        assert page.kind == "attachment_only"
        assert page.attachments


def test_clean_text(case, quality):
    truth, _portal, _path, page = case
    gold = report_text(SPECS[truth.key]) if truth.published_as == "html" else ""
    # chrome judged by the benchmark's markers, written apart from extract/chrome.py (issue 12)
    assert quality.chrome_lines(page.text, gold) == []
    if truth.published_as == "html":
        assert quality.bigram_f1(page.text, gold) >= 0.99
        assert quality.duplicates(page.text, gold) == 0
