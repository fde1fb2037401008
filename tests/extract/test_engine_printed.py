"""Reports printed to PDF from their web pages by wkhtmltopdf and WeasyPrint, their tables'
borders on as a portal's page prints (simportals/engine_print.py): producers the reading was
not written against, each breaking a table across pages its own way. The page's HTML
rendering is the ground truth: every keyed cell, and every cell text of its tables in the
document's text."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from extract import extract_page
from extract.pdf import read_pdf
from simportals.engine_print import ENGINES, EnginePrinter
from simportals.plan import plan
from tests.extract.test_pdf_unruled import _keyed, _lost, _twin


def _printer(engine: str) -> EnginePrinter:
    if shutil.which(engine) is None:
        pytest.fail(f"Debian {engine} is not installed (apt-get install -y {engine}; .ci/run does)")
    return EnginePrinter(engine, ruled=True)


def _spec(seed: int, key: str):
    return {s.key: s for s in plan(seed, 2, 1)}[key]


@pytest.mark.parametrize("engine", sorted(ENGINES))
@pytest.mark.parametrize(("seed", "key"), [(0, "330206-038794516-2021"), (2, "321322-096184638-2024"),
                                           (0, "330206-093785157-2023"), (1, "321322-008794397-2020"),
                                           (0, "321322-057448084-2023"), (0, "330206-038794516-2014")])
def test_a_report_printed_by_another_engine_is_read_whole(engine, seed, key):
    _read_whole(engine, _spec(seed, key), "ruled", least=8)


def _read_whole(engine: str, spec, style: str, least: int) -> None:
    """The engine's print of the report: every keyed cell (at least `least`) and every table
    text read, and nothing said missing."""
    with _printer(engine) as printer:
        page = extract_page(printer.pdf(spec, style), url="http://x.gov.cn/P0.pdf")
    twin = _twin(spec)
    assert _keyed(page) == _keyed(twin) and len(_keyed(page)) >= least
    assert _lost(twin, page) == []
    assert not any(w.startswith("tables:") for w in page.warnings)


def test_a_merged_cell_the_page_edge_cuts_in_two_is_one_cell():
    """wkhtmltopdf draws table 三 whole on both pages and lets the page's edge cut it: the rules
    of rows on the other page lie past this page's top or foot, and （三）不予公开, centred in
    its merged cell, prints （三）不 at the first page's foot and 予公开 at the next one's top."""
    spec = _spec(2, "321322-096184638-2024")
    with _printer("wkhtmltopdf") as printer:
        body = printer.pdf(spec, "ruled")
    pages, _ = read_pdf(body)
    pieces = [t for p in pages for t in p.tables if any("属于国家秘密" in c or "属于三类" in c for r in t.grid for c in r)]
    assert len(pieces) == 2 and "（三）不" in pieces[0].grid[-1] and "予公开" in pieces[1].grid[0]  # the cut, as printed
    page = extract_page(body, url="http://x.gov.cn/P0.pdf")
    assert "\n（三）不予公开\t1.属于国家秘密\t" in page.text
    assert "\n5.属于三类内部事务信息\t" in page.text and "\n予公开\n" not in page.text


def test_a_head_row_the_page_edge_cuts_through_is_one_row():
    """wkhtmltopdf cuts table 三's head at the page's margin through its last head row (自然 and
    商 at the first page's foot, 人 and 业企业 at the next one's top), and draws the border of
    the head's first cell a few points too low, across 一、本年新收…'s text: the head reads
    自然人 / 商业企业, and 一、本年新收… stays one row with its figures."""
    spec = _spec(0, "330206-093785157-2023")
    with _printer("wkhtmltopdf") as printer:
        page = extract_page(printer.pdf(spec, "ruled"), url="http://x.gov.cn/P0.pdf")
    assert "自然人\t法人或其他组织\t总计\n商业企业\t科研机构\t" in page.text
    assert "\n一、本年新收政府信息公开申请数量\t23\t" in page.text


def test_a_label_moved_to_the_next_page_joins_its_figures():
    """WeasyPrint leaves a row's figures at a page's foot and sets its label, too tall to fit,
    at the next page's top (5.要求行政机关确认或重新出具已获取信息): one row."""
    spec = _spec(1, "321322-008794397-2020")
    with _printer("weasyprint") as printer:
        page = extract_page(printer.pdf(spec, "ruled"), url="http://x.gov.cn/P0.pdf")
    want = {k: v for k, v in _keyed(_twin(spec)).items() if k[1].endswith("noproc_confirm")}
    assert len(want) == 7 and {k: v for k, v in _keyed(page).items() if k in want} == want
    assert "5.要求行政机关确认或重新出具已获取信息\t0\t" in page.text


def test_a_table_wider_than_the_paper_is_read_and_said():
    """WeasyPrint lets table 四 (15 columns) run past the page's right edge: the columns there
    do not show on the page, but their text is in the file; they are read, and the document
    says its text runs past the page."""
    spec = _spec(0, "330206-038794516-2024")
    with _printer("weasyprint") as printer:
        page = extract_page(printer.pdf(spec, "ruled"), url="http://x.gov.cn/P0.pdf")
    assert {k: v for k, v in _keyed(page).items() if k[0] == "四"} == \
        {k: v for k, v in _keyed(_twin(spec)).items() if k[0] == "四"}
    assert any("text past the page's side read" in w for w in page.warnings)


class _NoOCR:
    """An OCR engine that fails the test when anything asks it to read."""

    def __call__(self, *args, **kwargs):
        raise AssertionError("OCR asked to read")

    def __getattr__(self, name):
        raise AssertionError(f"OCR asked for {name}")


def test_what_a_clip_hides_is_not_read():
    """The page's content clipped to its margins (as wkhtmltopdf clips each page): glyph-sized
    shapes drawn in the bottom margin do not show, so they are no text drawn as outlines for
    OCR to read (a table's cut rows left such shapes below the margin of a real page)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(595, 842))
    margins = page.beginPath()
    margins.rect(28, 28, 539, 786)
    page.clipPath(margins, stroke=0, fill=0)
    page.setFont("STSong-Light", 12)
    for n in range(20):
        page.drawString(40, 780 - n * 18, "本年度报告根据《中华人民共和国政府信息公开条例》编制，内容如下。")
    for n in range(30):  # a row of glyph-sized shapes under the clip's foot
        shape = page.beginPath()
        shape.moveTo(40 + n * 9, 8)
        shape.lineTo(47 + n * 9, 8)
        shape.lineTo(43 + n * 9, 17)
        shape.close()
        page.drawPath(shape, stroke=0, fill=1)
    page.showPage()
    page.save()
    pages, _ = read_pdf(out.getvalue(), ocr_engine=_NoOCR())
    assert "本年度报告根据" in "".join(s.text for s in pages[0].lines)


def test_a_text_layer_whose_fonts_map_to_wrong_characters_is_read_by_ocr():
    """A browser's print put through Ghostscript again (a virtual PDF printer): the text layer
    is whole but its fonts map glyphs to wrong characters (本\\x80度ç告 for 本年度报告), and
    nothing in it is missing to say so. The pages are read by OCR, and said to be; OCR's
    table cells keep the long strokes of 开, 申, 本 (only the table's own rules are erased)."""
    from simportals.browser_print import CHROMIUM, BrowserPrinter
    from simportals.engine_print import redistilled

    if shutil.which("gs") is None or not Path(CHROMIUM).exists():
        pytest.fail("Debian ghostscript and chromium are needed (.ci/run installs them)")
    spec = _spec(0, "330206-038794516-2021")
    with BrowserPrinter(ruled=True) as printer:
        body = redistilled(printer.pdf(spec, "ruled"))
    from pdfminer.high_level import extract_text

    assert "本年度报告" not in extract_text(io.BytesIO(body), maxpages=1)  # the layer as it is: wrong
    page = extract_page(body, url="http://x.gov.cn/P0.pdf")
    assert any("map glyphs to wrong characters" in w for w in page.warnings)
    twin = _twin(spec)
    assert _keyed(page) == _keyed(twin)
    assert "本年度报告根据《中华人民共和国政府信息公开条例》" in page.text


def test_a_text_layer_with_no_chinese_left_is_said():
    """A PDF whose Chinese font is not embedded (ReportLab's STSong-Light) put through a
    Ghostscript that has no such font: it stands in a Latin one, and the text layer (and the
    page) reads lâ^S NÑS:N”l e?^œ, not one ideograph. Kept as text, it would be a report with
    no words and nothing said; the document is read by OCR and said to have wrong font maps."""
    from simportals.attachments import pdf_bytes
    from simportals.engine_print import redistilled

    if shutil.which("gs") is None:
        pytest.fail("Debian ghostscript is needed (.ci/run installs it)")
    spec = plan(0, 2, 1)[1]
    page = extract_page(redistilled(pdf_bytes(spec, word=False, rules="none")), url="http://x.gov.cn/P0.pdf")
    assert any("map glyphs to wrong characters" in w for w in page.warnings)


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_underlined_cells_keep_their_rows(engine):
    """Every cell's text underlined and set against its cell's sides (a portal's stylesheet):
    a wrapped label's first line fills its cell, and its underline, which also runs under
    the label's leading space and sits above the digits' lower bounds (another font's
    descent), is no rule. Taken for one, 5.要求行政机关确认或重新出具已获 / 取信息 was two rows."""
    _read_whole(engine, _spec(0, "341523-003623725-2022"), "ruled underlined", least=190)
