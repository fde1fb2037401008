"""PDFs as most portals publish them: exported by a word processor, not drawn by reportlab.
LibreOffice exports the simulated reports' DOCX (Word's layout rules: a gap between Chinese and
digits or Latin letters, punctuation never starting a line), and every sentence, the fields and
every table cell are checked against the truth and against the same report drawn by reportlab."""

from __future__ import annotations

import re
import shutil

import pytest

from extract import extract_page
from extract.layout import clean
from simportals.attachments import convert, docx_bytes, pdf_bytes
from simportals.document import build
from simportals.plan import plan

SPECS = {s.key: s for s in plan(0, 1, 0)}


def _printed(spec, *kinds: str) -> bool:
    return {k for k, _ in build(spec)} >= set(kinds)


# a 2021-format report with its tables and an older prose report, each titled and signed (落款)
CHOSEN = [next(s for s in SPECS.values() if s.template == t and _printed(s, "title", "sign"))
          for t in ("2021", "legacy")]


def _sentences(spec) -> list[str]:
    out = []
    for kind, payload in build(spec):
        if kind == "p":
            out += [s for s in re.findall(r"[^。；！？]+[。；！？]?", payload) if len(s) >= 6]
    return out


@pytest.fixture(scope="module", params=CHOSEN, ids=lambda s: s.template)
def exported(request):
    assert shutil.which("soffice"), "LibreOffice is needed (see .ci/debian-packages.txt)"
    spec = request.param
    body = convert(docx_bytes(spec), "docx", "pdf")
    return spec, extract_page(body, url="http://x.gov.cn/P020240101.pdf",
                              headers=[("Content-Type", "application/pdf")])


def test_every_sentence_found_whole(exported):
    spec, page = exported
    missing = [s for s in _sentences(spec) if s not in page.text]
    assert not missing, missing[:3]


def test_fields_and_cells_as_from_a_drawn_pdf(exported):
    spec, page = exported
    drawn = extract_page(pdf_bytes(spec), url="http://x.gov.cn/P020240101.pdf",
                         headers=[("Content-Type", "application/pdf")])
    assert page.kind == "report"
    assert (page.agency, page.year, page.region.level) == (spec.body.name, spec.year, drawn.region.level)
    assert [(c.table, c.row_key, c.col_key, c.value) for c in page.cells] == \
        [(c.table, c.row_key, c.col_key, c.value) for c in drawn.cells]


def test_word_processor_spacing_is_not_text():
    assert clean("主动公开政府信息 729 条，占 45.2% ，其中 PDF 格式") == "主动公开政府信息729条，占45.2%，其中PDF格式"
    assert clean("Page 2 of 5") == "Page 2 of 5" and clean("12 345") == "12 345"


def _keyed(page) -> dict:
    return {(c.table, c.row_key, c.col_key): c.value for c in page.cells if c.row_key}


TABLE_REPORTS = [s for s in SPECS.values() if s.template in ("2019", "2021")][:3]


@pytest.mark.parametrize("spec", TABLE_REPORTS, ids=lambda s: s.key)
def test_tables_broken_across_pages_keep_every_cell(spec):
    """Word prints the head of a table again after a page break (重复标题行, set on the DOCX),
    breaks a row across the page, and prints a label merged down over rows on both pages on
    the first page only: every cell keeps its row and column, as in the HTML report."""
    from simportals.render_report import report_html

    assert shutil.which("soffice"), "LibreOffice is needed (see .ci/debian-packages.txt)"
    body = convert(docx_bytes(spec), "docx", "pdf")
    page = extract_page(body, url="http://x.gov.cn/P020240101.pdf",
                        headers=[("Content-Type", "application/pdf")])
    html = f"<html><body><div class='TRS_Editor'>{report_html(spec)}</div></body></html>"
    reference = _keyed(extract_page(html.encode(), url="http://x.gov.cn/a.html"))
    assert _keyed(page) == reference
    assert page.text.count("申请人情况") == 1  # the repeated head is not a row of the table


def test_some_table_is_printed_with_its_head_repeated():
    """The case above is really exercised: a page of an exported report starts with the head."""
    from extract.pdf import read_pdf

    repeated = 0
    for spec in TABLE_REPORTS:
        pages = read_pdf(convert(docx_bytes(spec), "docx", "pdf"))[0]
        heads = [t.grid[0][-1] for p in pages for t in p.tables if t.grid]
        repeated += heads.count("申请人情况") - 1
    assert repeated >= 2
