"""Report documents of the simulated portals through `extract_page`, merged with their linking
page as the crawl does: fields, region, statistics, OCR flags, DOC/WPS tables (issue 14)."""

from __future__ import annotations

import io
import shutil

import pytest

from crawler.extraction import merge_parent
from extract import extract_page
from extract.attachments import extract_document
from simportals import build_testbed
from simportals.attachments import _page_images

TB = build_testbed()
HINTS = {"beilun": "浙江省宁波市北仑区", "shuyang": "江苏省宿迁市沭阳县", "shucheng": "安徽省六安市舒城县",
         "xinqi": "浙江省宁波市北仑区新碶街道"}


def _report(kind):
    return next(t for t in TB.reports if t.published_as == kind)


def _extracted(truth):
    (portal, path), (_p, page_path) = truth.attachments[0], truth.locations[0]
    hints = {"registry_region": HINTS[portal], "portal_name": portal}
    _s, headers, body = TB.page(portal, path)
    page = extract_page(body, url=TB.url(portal, path), headers=headers, hints=hints)
    _s, headers, html = TB.page(portal, page_path)
    merge_parent(page, extract_page(html, url=TB.url(portal, page_path), headers=headers, hints=hints))
    return page


@pytest.mark.parametrize("kind", ["pdf", "docx", "doc", "wps", "xls"])
def test_text_documents_match_truth(kind):
    if kind in ("doc", "wps"):
        assert shutil.which("soffice"), "LibreOffice is needed for DOC/WPS tables (see .ci/run)"
    truth = _report(kind)
    page = _extracted(truth)
    assert page.kind == "report"
    for f in ("title", "agency", "year", "signed", "published", "index_no"):
        assert getattr(page, f) == getattr(truth, f), f
    assert {k: v for k, v in vars(page.region).items() if k != "code"} == \
        {k: truth.region[k] for k in ("province", "prefecture", "county", "township", "level")}
    assert page.stats == truth.stats
    got = {(c.table, c.row_label, c.col_label): c.value for c in page.cells}
    assert all(got.get((t, r, c)) == v for t, r, c, v in truth.cells)
    assert not any(c.ocr for c in page.cells) and not page.ocr
    assert page.disagreements == []
    # the tables are text of the report too (search finds 行政许可 in a Word report), where
    # they stand: table 二 under its heading, before the next section
    squeezed = "".join(page.text.split())
    texts = {"".join(c.split()) for grid in page.tables for row in grid for c in row if c.strip()}
    assert texts and all(t in squeezed for t in texts - {page.title})
    if kind != "xls" and truth.template_version in ("2019", "2021"):  # a workbook's sheets: no order
        text = page.text
        assert text.index("二、主动公开政府信息情况") < text.index("行政许可") < text.index("三、收到和处理")


def test_every_text_pdf_drops_furniture_and_keeps_two_line_title():
    for truth in [t for t in TB.reports if t.published_as == "pdf"]:
        page = _extracted(truth)
        assert page.removed["page_number"]
        assert "".join(page.removed["title"]) == truth.title
        assert truth.title not in page.text


def test_doc_without_libreoffice_degrades_with_a_warning(monkeypatch):
    import extract.office

    monkeypatch.setattr(extract.office, "soffice", lambda: None)
    truth = _report("doc")
    portal, path = truth.attachments[0]
    doc = extract_document(TB.page(portal, path)[2], "application/msword", path)
    assert doc.tables == [] and "LibreOffice" in doc.warnings[0]
    assert "一、总体情况" in doc.text


def test_linking_page_disagreement_is_kept_and_listed():
    truth = _report("pdf")
    page = _extracted(truth)
    other = extract_page(b"<html><body><p>x</p></body></html>")
    other.title, other.agency = "某某局2023年政府信息公开工作年度报告", "某某局"
    merge_parent(page, other)
    assert page.linking_page["title"] == other.title
    assert page.disagreements == ["title", "agency"]
    assert page.title == truth.title  # a text layer is not overridden


def test_ocr_of_a_scanned_page_flags_cells_with_confidence():
    """The top of the scanned report's first page (title, preamble, the 主动公开 figure), OCR'd
    (a few lines only: OCR is slow on 2 cores)."""
    truth = _report("scan")
    first = _page_images(next(s for s in TB.specs if s.key == truth.key))[0]
    top = first.convert("L").crop((0, 0, first.width, int(first.height * 0.42)))
    buf = io.BytesIO()
    top.save(buf, "PDF", resolution=200)
    page = extract_page(buf.getvalue(), url="http://x.gov.cn/scan.pdf",
                        hints={"registry_region": "江苏省宿迁市沭阳县"})
    assert page.ocr and page.title == truth.title and page.year == truth.year
    assert page.region.code == truth.region["code"] and page.region.level == "county"
    assert all(c.ocr and 0 < c.confidence <= 1 for c in page.cells)
    for key in ("proactive_disclosed", "applications_received"):
        if truth.stats[key] is not None and page.stats[key] is not None:
            assert page.stats[key] == truth.stats[key]
    assert "沭阳县人民政府编制" in page.text  # the issuer's place name set right in the text


SMALL_TABLE = [["行政复议", "结果维持", "结果纠正", "总计"], ["本年", "12", "3", "15"], ["上年", "0", "7", "7"]]


def _small_table_jpeg(blotted: tuple[int, int] | None = None) -> bytes:
    """SMALL_TABLE photographed; the cell at `blotted` (row, column) an ink blot, no text."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 26)
    image = Image.new("L", (900, 260), 255)
    draw = ImageDraw.Draw(image)
    for r, row in enumerate(SMALL_TABLE):
        for c, text in enumerate(row):
            draw.rectangle([20 + c * 210, 20 + r * 70, 230 + c * 210, 90 + r * 70], outline=0, width=2)
            if (r, c) == blotted:
                draw.ellipse([40 + c * 210, 40 + r * 70, 80 + c * 210, 68 + r * 70], fill=0)
            else:
                draw.text((40 + c * 210, 40 + r * 70), text, font=font, fill=0)
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def test_image_attachment_small_ruled_table():
    doc = extract_document(_small_table_jpeg(), "image/jpeg", "http://x.gov.cn/t.jpg")
    assert doc.kind == "image" and doc.ocr
    assert doc.tables == [SMALL_TABLE]
    assert all(0.5 < c <= 1 for row in doc.confidence[0] for c in row)


def test_a_cell_whose_ink_ocr_cannot_read_is_marked_not_left_blank():
    """A blank cell is a reading (nothing printed); a cell holding ink that reads as nothing
    is not: it holds □, the mark for an illegible character, with confidence 0."""
    doc = extract_document(_small_table_jpeg(blotted=(1, 2)), "image/jpeg", "http://x.gov.cn/t.jpg")
    assert doc.tables == [[row if r != 1 else ["本年", "12", "□", "15"] for r, row in enumerate(SMALL_TABLE)]]
    assert doc.confidence[0][1][2] == 0.0
