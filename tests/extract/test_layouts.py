"""Every report of the simulated portals rendered in every layout family (issue 12), against
its ground truth: fields right, every body line kept, no chrome line, no paragraph twice.

Chrome is judged with benchmarks/extract_quality.py's markers, written independently of
extract/chrome.py. Pages are rendered by the testbed's own server code with the family forced.
"""

from __future__ import annotations

import pytest

from extract import extract_page
from simportals import build_testbed, layouts
from simportals.render_report import report_text

TESTBED = build_testbed()
SPECS = {s.key: s for s in TESTBED.specs}
HTML_FAMILIES = [name for name, _ in layouts.FAMILIES]
PDF_VIEWS = [f"embedded-{v}{link}" for v in ("iframe", "embed", "object", "viewer")
             for link in ("", "+link")]
HTML_CASES = [(t, portal, path) for t in TESTBED.reports if t.published_as == "html"
              for portal, path in t.locations]
PDF_CASES = [(t, portal, path) for t in TESTBED.reports if t.published_as == "pdf"
             for portal, path in t.locations]


def render(monkeypatch, family: str, portal: str, path: str):
    monkeypatch.setattr(layouts, "family", lambda *a, **k: family)
    status, headers, body = TESTBED.page(portal, path)
    assert status == 200
    return extract_page(body, url=TESTBED.url(portal, path), headers=headers)


def squash(text: str) -> str:
    return "".join(text.split())


def missing_lines(text: str, gold: str) -> list[str]:
    """Gold lines (table rows cell by cell) not found in the output."""
    out = squash(text)
    pieces = [cell for line in gold.splitlines() for cell in line.split("\t")]
    return [p for p in pieces if squash(p) and squash(p) not in out]


@pytest.mark.parametrize("family", HTML_FAMILIES)
def test_family_against_truth(family, monkeypatch, quality):
    """All HTML reports in one family: one failure list, so a family's weak spots show at once."""
    problems = []
    for truth, portal, path in HTML_CASES:
        page = render(monkeypatch, family, portal, path)
        gold = report_text(SPECS[truth.key])
        published = next((r[2] for r in truth.reposts if r[:2] == [portal, path]), truth.published)
        got = (page.kind, page.title, page.agency, page.year, page.published, page.index_no,
               page.signed)
        want = ("report", truth.title, truth.agency, truth.year, published, truth.index_no,
                truth.signed)
        if got != want:
            problems.append((path, "fields", got, want))
        if missing_lines(page.text, gold):
            problems.append((path, "lost", missing_lines(page.text, gold)[:3]))
        if quality.chrome_lines(page.text, gold):
            problems.append((path, "chrome", quality.chrome_lines(page.text, gold)[:3]))
        if quality.duplicates(page.text, gold):
            problems.append((path, "duplicates", quality.duplicates(page.text, gold)))
    assert problems == []


@pytest.mark.parametrize("family", PDF_VIEWS)
def test_embedded_document_page_is_attachment_only(family, monkeypatch):
    assert PDF_CASES, "the testbed has a PDF-only report"
    for truth, portal, path in PDF_CASES:
        page = render(monkeypatch, family, portal, path)
        assert page.kind == "attachment_only", (family, page.text)
        attachment = next(a for p, a in truth.attachments if p == portal)
        assert [a["url"] for a in page.attachments] == [TESTBED.url(portal, attachment)]
        assert (page.title, page.year, page.index_no) == (truth.title, truth.year, truth.index_no)


def test_every_family_is_served_by_the_testbed():
    """The testbed itself serves pages of every family, so the e2e crawls cover them."""
    served = {layouts.family(t.key, portal, t.published_as, "", TESTBED.by_name[portal].encoding)
              for t in TESTBED.reports for portal, _ in t.locations}
    assert set(HTML_FAMILIES) <= served
    assert any(f.startswith("embedded-") and f != "embedded-link" for f in served)
