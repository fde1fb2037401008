"""A PDF whose text is drawn as outlines (转曲: a prepress tool's "convert text to outlines", or a
PDF printer set to print text as graphics), issue 14. No text layer and no image: it was read
as a text page with nothing on it, and the report came out empty without a warning. It is read
by OCR as a scan is, loudly; a text page with a drawn chart is still read as text."""

from __future__ import annotations

import io

import pytest

from extract.pdf import read_pdf
from simportals.attachments import outlined_pdf_bytes, pdf_bytes
from tests.extract.test_pdf_pictures import SPEC, _keyed, _read


def _testbed_pdf_report():
    """The simulated portals' text-PDF report whose table 四 starts at the foot of a page: its
    head a one-row piece that OCR took for no table (187 of 202 cells)."""
    from simportals import build_testbed

    tb = build_testbed()
    key = next(t.key for t in tb.reports if t.published_as == "pdf")
    return next(s for s in tb.specs if s.key == key)


@pytest.mark.parametrize("spec", [SPEC, _testbed_pdf_report()], ids=["plan", "head-at-foot"])
def test_a_report_printed_as_outlines_is_read_by_ocr(spec):
    plain, outlined = _read(pdf_bytes(spec)), _read(outlined_pdf_bytes(spec))
    assert any("text drawn as outlines" in w and "pages 1, 2, 3, 4" in w for w in outlined.warnings)
    want, got = _keyed(plain), _keyed(outlined)
    assert len(want) > 150 and sum(got.get(k) == v for k, v in want.items()) >= 0.99 * len(want)
    assert outlined.stats == plain.stats and outlined.ocr
    for f in ("title", "agency", "year", "signed"):
        assert getattr(outlined, f) == getattr(plain, f), f
    assert outlined.region == plain.region
    sentences = [line for line in plain.text.split("\n") if "\t" not in line and line.endswith("。")]
    found = sum(line in outlined.text for line in sentences)
    assert len(sentences) >= 10 and found >= 0.9 * len(sentences)


def test_a_title_drawn_as_outlines_above_text_is_read():
    """Only the title converted to curves (an art font), the body letters: the title's two
    lines come back by OCR, the body from the text layer, the report as the plain PDF's. Its
    glyphs' straight strokes are no ruled tables."""
    plain, titled = _read(pdf_bytes(SPEC)), _read(outlined_pdf_bytes(SPEC, title_only=True))
    assert titled.text == plain.text and titled.removed["title"] == plain.removed["title"]
    for f in ("title", "agency", "year", "signed"):
        assert getattr(titled, f) == getattr(plain, f), f
    assert _keyed(titled) == _keyed(plain) and not any(c.ocr for c in titled.cells)
    assert any("read by OCR (pages 1)" in w for w in titled.warnings)


def test_a_drawn_chart_beside_text_leaves_the_text_layer_read():
    """A page with its text as letters and a chart drawn in curves: read from the text layer."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.setFont("STSong-Light", 12)
    c.drawString(72, 780, "全年主动公开政府信息2428条，其中政策文件120件，解读材料33篇。")
    for k in range(80):  # a pie chart's slices and a line chart's segments
        c.wedge(100, 400, 300, 600, k * 4.5, 4.5, fill=k % 2)
    c.save()
    pages, warnings = read_pdf(buf.getvalue())
    assert [s.text for s in pages[0].lines] == ["全年主动公开政府信息2428条，其中政策文件120件，解读材料33篇。"]
    assert not any(w.startswith("ocr:") for w in warnings)


def test_pages_past_the_reading_limit_are_named(monkeypatch):
    """A compilation (汇编) longer than the pages one document is read to: the pages left out are
    said, not dropped in silence; a document within the limit says nothing of it."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    import extract.pdf

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    for n in range(5):
        c.setFont("STSong-Light", 12)
        c.drawString(72, 780, f"第{n + 1}页：本年度主动公开政府信息2428条，其中规章0件。")
        c.showPage()
    c.save()
    monkeypatch.setattr(extract.pdf, "MAX_PDF_PAGES", 3)
    pages, warnings = read_pdf(buf.getvalue())
    assert len(pages) == 3 and "pdf: only the first 3 of its 5 pages read (pages 4–5 left out)" in warnings
    monkeypatch.setattr(extract.pdf, "MAX_PDF_PAGES", 5)
    pages, warnings = read_pdf(buf.getvalue())
    assert len(pages) == 5 and not any("only the first" in w for w in warnings)
