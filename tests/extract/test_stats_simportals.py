"""Every simulated-portal report against the generator's ground truth (one case per report).

Until extract_page exists the body goes through extract.tables / extract.attachments directly.
The cells comparison is xfail (non-strict) until the generator follows the label convention
documented in extract/codebook.py (table 四 labels, prose cells of standard reports).
"""

from __future__ import annotations

from dataclasses import asdict

import pytest
from lxml import html

from extract.attachments import extract_document
from extract.region import resolve_region
from extract.stats import extract_statistics
from extract.tables import grids_from_html

simportals = pytest.importorskip("simportals")
TESTBED = simportals.build_testbed()
PORTALS = {p.name: p for p in TESTBED.portals}
REPORTS = TESTBED.reports


def _load(portal: str, path: str) -> tuple[str, list]:
    status, headers, body = TESTBED.page(portal, path)
    document = extract_document(body, None, path)
    if document is not None:
        return document.text, document.tables
    encoding = PORTALS[portal].encoding or "utf-8"
    source = body.decode(encoding, "replace")
    root = html.fromstring(source)
    for node in root.xpath("//script|//style|//table"):
        node.drop_tree()
    return root.text_content(), grids_from_html(source)


@pytest.mark.parametrize("report", REPORTS, ids=[r.key for r in REPORTS])
def test_region(report):
    portal = PORTALS[report.locations[0][0]]
    hints = {"registry_region": portal.region, "site_id_code": portal.site_id}
    assert asdict(resolve_region(report.agency, report.title, hints)) == report.region


@pytest.mark.xfail(strict=False, reason="generator label conventions not yet aligned")
@pytest.mark.parametrize("report", REPORTS, ids=[r.key for r in REPORTS])
def test_statistics(report):
    text, tables = _load(*report.locations[0])
    stats = extract_statistics(text, tables, report.year)
    assert stats.template_version == report.template_version
    assert [[c.table, c.row_label, c.col_label, c.value] for c in stats.cells] == report.cells
    assert stats.headline == report.stats
    assert stats.scope == report.scope
    if not report.consistent:
        assert any(c.passed is False for c in stats.checks)
