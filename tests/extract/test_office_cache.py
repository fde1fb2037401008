"""NIANBAO_OCR_CACHE keeps LibreOffice conversions too: a DOC converted once is not converted
again by a replay or re-crawl, the kept file reads the same, and a damaged entry is redone."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from extract import office
from extract.attachments import extract_document
from simportals.attachments import doc_bytes
from simportals.plan import plan

SPEC = next(s for s in plan(0, 1, 0) if s.template == "2021")


def test_conversion_is_kept_and_reads_the_same(tmp_path, monkeypatch):
    assert shutil.which("soffice"), "LibreOffice is needed (see .ci/debian-packages.txt)"
    body = doc_bytes(SPEC)
    monkeypatch.delenv("NIANBAO_OCR_CACHE", raising=False)
    fresh = extract_document(body, "application/msword", "http://x.gov.cn/a.doc")
    monkeypatch.setenv("NIANBAO_OCR_CACHE", str(tmp_path))
    first = extract_document(body, "application/msword", "http://x.gov.cn/a.doc")
    (entry,) = tmp_path.glob("*.docx")

    def no_libreoffice(*args, **kwargs):
        raise AssertionError("LibreOffice ran for a kept conversion")

    monkeypatch.setattr(subprocess, "run", no_libreoffice)
    again = extract_document(body, "application/msword", "http://x.gov.cn/a.doc")
    assert fresh.tables == first.tables == again.tables and len(fresh.tables) == 3
    assert fresh.text == again.text
    entry.write_bytes(entry.read_bytes()[:500])  # damaged: converted again, not read as it is
    with pytest.raises(AssertionError, match="LibreOffice ran"):
        office.convert(body, "doc", "docx")
