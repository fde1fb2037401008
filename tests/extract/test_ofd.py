"""OFD (GB/T 33190), the national fixed-layout format: its text objects carry Unicode with each
glyph placed, its path objects the table rulings. Before, an OFD attachment was decoded as an
HTML page (zip bytes as text, kind `other`, no warning). It is read as a PDF is: every sentence
whole, every cell, the fields; a scanned OFD by OCR; templates, DeltaX `g` runs and CTMs."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from extract import extract_page
from extract.attachments import detect_kind
from simportals import build_testbed
from simportals.attachments import ofd_bytes
from simportals.document import build
from simportals.render_report import report_html

TB = build_testbed()
TRUTH = next(t for t in TB.reports if t.published_as == "ofd")
SPEC = next(s for s in TB.specs if s.key == TRUTH.key)


def _keyed(cells) -> dict:
    return {(c.table, c.row_label, c.col_label): c.value for c in cells}


def test_a_served_ofd_reads_like_its_pdf():
    portal, path = TRUTH.attachments[0]
    _status, headers, body = TB.page(portal, path)
    assert detect_kind(body, None, None) == "ofd"
    page = extract_page(body, url=TB.url(portal, path), headers=headers)
    assert (page.kind, page.title, page.agency, page.year) == ("report", TRUTH.title, TRUTH.agency, TRUTH.year)
    want, got = {(t, r, c): v for t, r, c, v in TRUTH.cells}, _keyed(page.cells)
    assert all(got.get(k) == v for k, v in want.items())
    sentences = [s for kind, p in build(SPEC) if kind == "p" for s in re.findall(r"[^。；]+[。；]?", p)
                 if len(s) >= 6]
    assert sentences and all(s in page.text for s in sentences)
    assert not any(c.ocr for c in page.cells)


def test_a_scanned_ofd_is_read_by_ocr():
    page = extract_page(ofd_bytes(SPEC, scanned=True), url="http://x.gov.cn/P1.ofd")
    want, got = {(t, r, c): v for t, r, c, v in TRUTH.cells}, _keyed(page.cells)
    assert sum(1 for k, v in want.items() if got.get(k) == v) >= 0.99 * len(want)
    assert any(w.startswith("ocr: 4 of 4 ofd pages are pictures") for w in page.warnings)


def _hand_made() -> bytes:
    """One page: a header in a template page (on every page, as 数科 writes it), a line set by
    a `g` run under a 2× CTM, and hidden text."""
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    text = ('<ofd:TextObject ID="5" Boundary="20 40 170 10" Size="2" CTM="2 0 0 2 0 0">'
            '<ofd:TextCode X="0" Y="3" DeltaX="g 19 2">本年度主动公开政府信息2428条其中文件</ofd:TextCode>'
            '</ofd:TextObject><ofd:TextObject ID="6" Boundary="20 80 170 10" Size="4" Visible="false">'
            '<ofd:TextCode X="0" Y="3">隐藏文字</ofd:TextCode></ofd:TextObject>')
    files = {
        "OFD.xml": f'<ofd:OFD {ns}><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>',
        "Doc_0/Document.xml": f'<ofd:Document {ns}><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297'
                              '</ofd:PhysicalBox></ofd:PageArea><ofd:TemplatePage ID="2" BaseLoc="Tpls/Tpl_0/Content.xml"/>'
                              '</ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/>'
                              '</ofd:Pages></ofd:Document>',
        "Doc_0/Tpls/Tpl_0/Content.xml": f'<ofd:Page {ns}><ofd:Content><ofd:Layer><ofd:TextObject ID="3" '
                                        'Boundary="20 10 100 6" Size="4"><ofd:TextCode X="0" Y="4" DeltaX="g 5 4">'
                                        '某县人民政府</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>',
        "Doc_0/Pages/Page_0/Content.xml": f'<ofd:Page {ns}><ofd:Template TemplateID="2"/><ofd:Content>'
                                          f'<ofd:Layer>{text}</ofd:Layer></ofd:Content></ofd:Page>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, data in files.items():
            package.writestr(name, data)
    return out.getvalue()


def test_templates_runs_and_transforms():
    from extract.ofd import read_ofd

    pages, _warnings = read_ofd(_hand_made())
    lines = [line.text for line in pages[0].lines]
    assert "某县人民政府" in lines
    assert "本年度主动公开政府信息2428条其中文件" in lines
    line = next(s for s in pages[0].lines if s.text.startswith("本年度"))
    assert abs((line.x1 - line.x0) - 19 * 4 * 72 / 25.4) < 20  # 19 advances of 2 mm, doubled


def test_other_packages_are_named_not_decoded_as_a_page():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("说明.txt", "某县2023年政府信息公开工作年度报告".encode())
    page = extract_page(out.getvalue(), url="http://x.gov.cn/P1.zip")
    assert page.text == "" and any(w.startswith("zip unreadable") for w in page.warnings)


def test_a_table_pasted_as_a_picture_among_the_text_is_read():
    """Table 四 set as a screenshot among the text of an OFD page: read by OCR where it is."""
    from PIL import Image

    from simportals.image_reports import _freeze, table_png

    four = next(p for kind, p in build(SPEC) if kind == "table" and "行政复议" in str(p))
    png = table_png(_freeze(four))
    width, height = Image.open(io.BytesIO(png)).size
    w_mm = 170.0
    h_mm = w_mm * height / width
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    files = {
        "OFD.xml": f'<ofd:OFD {ns}><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>',
        "Doc_0/Document.xml": f'<ofd:Document {ns}><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297'
                              '</ofd:PhysicalBox></ofd:PageArea><ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>'
                              '</ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/>'
                              '</ofd:Pages></ofd:Document>',
        "Doc_0/DocumentRes.xml": f'<ofd:Res {ns} BaseLoc="Res"><ofd:MultiMedias><ofd:MultiMedia ID="9" Type="Image">'
                                 '<ofd:MediaFile>table.png</ofd:MediaFile></ofd:MultiMedia></ofd:MultiMedias></ofd:Res>',
        "Doc_0/Res/table.png": png,
        "Doc_0/Pages/Page_0/Content.xml": (
            f'<ofd:Page {ns}><ofd:Content><ofd:Layer><ofd:TextObject ID="3" Boundary="20 20 170 8" Size="4">'
            '<ofd:TextCode X="0" Y="5" DeltaX="g 27 4">四、因政府信息公开工作被申请行政复议、提起行政诉讼情况</ofd:TextCode>'
            f'</ofd:TextObject><ofd:ImageObject ID="4" Boundary="20 35 {w_mm} {h_mm:.2f}" ResourceID="9" '
            f'CTM="{w_mm} 0 0 {h_mm:.2f} 0 0"/></ofd:Layer></ofd:Content></ofd:Page>'),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, data in files.items():
            package.writestr(name, data)
    page = extract_page(out.getvalue(), url="http://x.gov.cn/P1.ofd")
    html = f"<html><body><div class='TRS_Editor'>{report_html(SPEC)}</div></body></html>"
    reference = extract_page(html.encode(), url="http://x.gov.cn/a.html")
    # one table alone gives no template version: compare the slots, not the version in the key
    want = {(c.row_key.split(".")[1], c.col_key): c.value for c in reference.cells if c.table == "四"}
    got = {(c.row_key.split(".")[1], c.col_key): c.value for c in page.cells if c.table == "四"}
    assert len(want) == 15 and got == want
    assert all(c.ocr for c in page.cells if c.table == "四")
    assert any(w.startswith("ocr: text in pictures among the text of 1 of 1 ofd pages") for w in page.warnings)


def test_white_paths_of_a_word_export_are_no_rulings():
    """Converted from a PDF as Word prints it, the OFD keeps each paragraph's and each cell's
    white box as a path (Stroke="false", a white FillColor); taken as rulings they made the
    prose a one-column table. Read, it gives what its HTML twin gives."""
    html = f"<html><body><div class='TRS_Editor'>{report_html(SPEC)}</div></body></html>"
    reference = extract_page(html.encode(), url="http://x.gov.cn/a.html")
    body = ofd_bytes(SPEC, word=True)
    with zipfile.ZipFile(io.BytesIO(body)) as package:
        first = package.read("Doc_0/Pages/Page_0/Content.xml")
    assert b'Stroke="false" Fill="true"><ofd:FillColor Value="255 255 255"/>' in first
    page = extract_page(body, url="http://x.gov.cn/P1.ofd")
    assert len(page.tables) == len(reference.tables)
    assert _keyed(page.cells) == _keyed(reference.cells) and page.stats == reference.stats
    sentences = [s for line in reference.text.split("\n") if "\t" not in line
                 for s in re.findall(r"[^。；]{6,}[。；]", line)]
    assert len(sentences) >= 10 and [s for s in sentences if s not in page.text] == []


@pytest.mark.parametrize("attributes, colours, shows", [
    ("", "", True),  # stroked in black by default
    ('Stroke="false"', "", False),
    ('Stroke="false" Fill="true"', "", False),  # fill colour unset: no paint
    ('Stroke="false" Fill="true"', '<ofd:FillColor Value="217 217 217"/>', True),
    ('Stroke="false" Fill="true"', '<ofd:FillColor Value="#FF #FF #FF"/>', False),
    ("", '<ofd:StrokeColor Value="0 0 0 0"/>', False),  # CMYK: no ink
    ("", '<ofd:StrokeColor Value="255 255 255" Alpha="0"/>', False),
    ('Alpha="0"', "", False),
    ("", '<ofd:StrokeColor ColorSpace="7" Index="2"/>', True),  # a palette it cannot read: ink
])
def test_which_paths_print(attributes, colours, shows):
    from lxml import etree

    from extract.ofd import _inked

    element = etree.fromstring(f'<ofd:PathObject xmlns:ofd="http://www.ofdspec.org/2016" {attributes}>'
                               f"{colours}<ofd:AbbreviatedData>M 0 0 L 10 0</ofd:AbbreviatedData>"
                               "</ofd:PathObject>")
    assert _inked(element) is shows
