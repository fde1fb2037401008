"""The loss check (extract/loss.py): a document whose extraction loses text says so, with a
count and a sample; ordinary documents say nothing."""

from __future__ import annotations

import pytest

from extract import docx_text
from extract.attachments import extract_document
from extract.loss import missing_warning, says_lost
from simportals.attachments import docx_bytes, pdf_bytes
from simportals.plan import plan
from tests.extract.test_docx_layout_tables import SENTENCES, _body
from tests.extract.test_office_structures import _docx, _p, _tbl, _tc, _tr

URL = "http://www.example.gov.cn/P020230131.docx"
SPECS = [s for s in plan(0, 1, 0)][:6]


def test_text_the_reader_skips_is_said(monkeypatch):
    """Tables made to vanish (as a reader that skips a construct would): warned, with a count
    and a piece of the lost text."""
    monkeypatch.setattr(docx_text._Walker, "table", lambda self, tbl, sink: None)
    document = extract_document(_docx(_p("一、总体情况"), _tbl(_tr(_tc(_body())), cols=1)), None, URL)
    warning = next(w for w in document.warnings if "not in the extracted text" in w)
    assert warning.startswith("docx: ") and "e.g. '" in warning


def test_a_few_lost_characters_are_no_warning():
    assert missing_warning("docx", SENTENCES[0] + "1", SENTENCES[0], []) is None
    assert missing_warning("docx", SENTENCES[0], "", []) is not None


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.key)
@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_ordinary_documents_are_silent(spec, kind):
    body = (docx_bytes if kind == "docx" else pdf_bytes)(spec)
    document = extract_document(body, None, f"http://x.gov.cn/P0201.{kind}")
    assert not [w for w in document.warnings if "not in the extracted text" in w]


def test_warnings_that_report_a_loss_are_told_from_how_a_document_was_read(monkeypatch):
    """What the crawl counts as a page read only in part (and `verify` fails on), from the
    warnings the readers really emit; how a document was read, a watermark or a seal left out
    on purpose, are not losses."""
    import extract.pdf

    spec = next(s for s in plan(0, 1, 0) if s.template == "2021")  # four pages
    lost = [next(w for w in extract_document(pdf_bytes(spec)[:4000], None, URL).warnings)]
    monkeypatch.setattr(docx_text._Walker, "table", lambda self, tbl, sink: None)
    lost += [w for w in extract_document(_docx(_p("一、总体情况"), _tbl(_tr(_tc(_body())), cols=1)),
                                         None, URL).warnings if "not in the extracted" in w]
    monkeypatch.setattr(extract.pdf, "MAX_PDF_PAGES", 1)
    lost += [w for w in extract_document(pdf_bytes(spec), None, "http://x.gov.cn/a.pdf").warnings
             if "only the first" in w]
    lost += ["image not fetched with its page: http://x.gov.cn/t.png (what it shows is not in the report)",
             "xlsx: 2 charts not read", "docx: 1 chart not read (content kept outside the text)"]
    assert len(lost) == 6 and all(says_lost(w) for w in lost), lost
    kept = ["pdf tables rebuilt from ruling lines", "ocr: 4 of 4 pdf pages have no text layer and were read by OCR",
            "pdf: text printed at a slant (a watermark) left out of pages 1, 2: 内部资料",
            "pdf: a seal (red, about square) left out of the text (pages 3)",
            "ocr: text in pictures among the text of 2 of 4 pdf pages read by OCR (pages 2, 4)",
            "statistics failed: ValueError()", "doc converted to docx"]
    assert not any(says_lost(w) for w in kept)


def test_a_tables_copies_do_not_stand_in_for_a_lost_sentence():
    """A PDF's text holds its tables again (their rows as lines), and a grid repeats a merged
    cell in each slot it covers: counted twice over, the table's words would cover a lost
    sentence written in the same words. Each counts once."""
    head = ["申请人情况"] * 7
    rows = [["（三）不予公开", "1.属于国家秘密", *"0000000"], ["（三）不予公开", "2.其他法律行政法规禁止公开", *"1000001"]]
    grid = [["", "", *head], *rows]
    lines = ["\t".join(dict.fromkeys(r)) for r in grid]
    sentence = "本机关依申请公开政府信息的申请人情况，属于国家秘密和法律行政法规禁止公开的不予公开。"
    source = sentence + "".join(lines)
    assert missing_warning("pdf", source, "\n".join(lines), [grid], tables_in_text=True) is not None
    assert missing_warning("pdf", source, "\n".join([sentence, *lines]), [grid], tables_in_text=True) is None
    # a Word reader's text without its tables: the cells count on top, each merged cell once
    assert missing_warning("docx", source, sentence, [grid]) is None
