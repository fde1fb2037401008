"""Reports published only as attachments, in every form (simportals/attachments.py FORMS)."""

from __future__ import annotations

import io
from urllib.parse import quote

import docx
import pytest
from pdfminer.high_level import extract_text

from simportals import build_testbed
from simportals.attachments import FORMS, title_lines

TB = build_testbed()


def _served(kind):
    found = [r for r in TB.reports if r.published_as == kind]
    assert found, f"the testbed publishes no report as {kind}"
    r = found[0]
    [(portal, path)] = r.attachments
    status, headers, body = TB.page(portal, path)
    assert status == 200 and path.endswith("." + FORMS[kind][0])
    return r, dict(headers)["Content-Type"], body


def _compact(s: str) -> str:
    return "".join(s.split())


def test_every_form_is_published():
    assert {r.published_as for r in TB.reports} >= set(FORMS)


def test_pdf_two_line_title_running_header_and_page_numbers():
    for r in [r for r in TB.reports if r.published_as == "pdf"]:
        [(portal, path)] = r.attachments
        body = TB.page(portal, path)[2]
        text = extract_text(io.BytesIO(body))
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert lines[:2] == title_lines(TB.specs[[s.key for s in TB.specs].index(r.key)])
        assert any(line in ("- 2 -", "第2页", "— 2 —") for line in lines)
        assert "三、收到和处理政府信息公开申请情况" in _compact(text)
        for _t, _row, _col, value in r.cells:
            if isinstance(value, int) and value >= 10:
                assert str(value) in text


@pytest.mark.parametrize("kind,magic", [("scan", b"%PDF"), ("jpg", b"\xff\xd8\xff"),
                                        ("doc", b"\xd0\xcf\x11\xe0"), ("wps", b"\xd0\xcf\x11\xe0"),
                                        ("xls", b"\xd0\xcf\x11\xe0"), ("tiff", b"II*\x00"),
                                        ("odt", b"PK\x03\x04")])
def test_binary_forms(kind, magic):
    _r, ctype, body = _served(kind)
    assert body.startswith(magic) and ctype == FORMS[kind][1]
    if kind == "scan":
        assert extract_text(io.BytesIO(body)).strip() == ""  # no text layer: OCR or nothing


def test_docx_has_word_tables():
    r, ctype, body = _served("docx")
    assert "wordprocessingml" in ctype
    d = docx.Document(io.BytesIO(body))
    paras = "".join(p.text for p in d.paragraphs)
    assert str(r.year) in paras and "六、其他需要报告的事项" in paras
    assert len(d.tables) == 3
    t3 = d.tables[1]
    rows = {row.cells[0].text: row for row in t3.rows}
    new = rows["一、本年新收政府信息公开申请数量"]
    assert new.cells[-1].text == str(r.stats["applications_received"])
    total = [row for row in t3.rows if row.cells[1].text == "（七）总计"][0]
    want = [v for t, row, _c, v in r.cells if t == "三" and row == "（七）总计"]
    assert [int(c.text) for c in total.cells[3:]] == want


def test_attachment_pages_link_the_file():
    for kind in FORMS:
        r = next(r for r in TB.reports if r.published_as == kind)
        portal, path = r.locations[0]
        _s, headers, body = TB.page(portal, path)
        enc = "gbk" if "GBK" in dict(headers)["Content-Type"] else "utf-8"
        html = body.decode(enc)
        href = r.attachments[0][1].replace("&", "&amp;")
        # linked (附件：…), or shown in the page (iframe/embed/object/pdf.js, issue 12)
        assert ("附件：" in html and href in html) or f'data="{href}"' in html \
            or f'src="{href}"' in html or quote(r.attachments[0][1], safe="/") in html
