"""ODT and ODS (LibreOffice's and Yozo Office's own formats, used where offices run domestic
systems): before, kind `other` and 3 of 202 cells (zip bytes decoded as a page). Converted by
LibreOffice and read as DOCX and XLSX: every cell, the title."""

from __future__ import annotations

import shutil

import pytest

from extract import extract_page
from simportals.attachments import convert, docx_bytes, xlsx_bytes
from simportals.plan import plan
from simportals.render_report import report_html

SPEC = next(s for s in plan(0, 1, 0) if s.template == "2021")


def _keyed(page) -> dict:
    return {(c.table, c.row_key, c.col_key): c.value for c in page.cells if c.row_key}


@pytest.mark.parametrize("kind,make", [("odt", docx_bytes), ("ods", xlsx_bytes)])
def test_opendocument_reads_as_its_office_twin(kind, make):
    assert shutil.which("soffice"), "LibreOffice is needed (see .ci/debian-packages.txt)"
    source = "docx" if kind == "odt" else "xlsx"
    page = extract_page(convert(make(SPEC), source, kind), url=f"http://x.gov.cn/P1.{kind}")
    html = f"<html><body><div class='TRS_Editor'>{report_html(SPEC)}</div></body></html>"
    assert _keyed(page) == _keyed(extract_page(html.encode(), url="http://x.gov.cn/a.html"))
    assert page.kind == "report" and page.title == SPEC.title
    assert f"{kind} converted to {source} by LibreOffice" in page.warnings
