"""Attachment-only reports: text and figures extract back from the PDF and the DOCX."""

from __future__ import annotations

import io
from urllib.parse import quote

import docx
from pdfminer.high_level import extract_text

from simportals import build_testbed


def _only(tb, kind):
    [r] = [r for r in tb.reports if r.published_as == kind]
    [(portal, path)] = r.attachments
    status, headers, body = tb.page(portal, path)
    assert status == 200
    return r, dict(headers)["Content-Type"], body


def _compact(s: str) -> str:
    return "".join(s.split())


def test_pdf_extracts_back():
    tb = build_testbed()
    r, ctype, body = _only(tb, "pdf")
    assert ctype == "application/pdf" and body.startswith(b"%PDF")
    text = _compact(extract_text(io.BytesIO(body)))
    assert _compact(r.title) in text
    assert "三、收到和处理政府信息公开申请情况" in text
    assert "本年新收政府信息公开申请数量" in text
    if r.stats["proactive_disclosed"] is not None:
        assert f"主动公开政府信息{r.stats['proactive_disclosed']}条" in text
    for _t, _row, _col, value in r.cells:
        if isinstance(value, int) and value >= 10:
            assert str(value) in text


def test_docx_has_word_tables():
    tb = build_testbed()
    r, ctype, body = _only(tb, "docx")
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
    tb = build_testbed()
    for kind in ("pdf", "docx"):
        [r] = [r for r in tb.reports if r.published_as == kind]
        portal, path = r.locations[0]
        _s, headers, body = tb.page(portal, path)
        enc = "gbk" if "GBK" in dict(headers)["Content-Type"] else "utf-8"
        html = body.decode(enc)
        href = r.attachments[0][1].replace("&", "&amp;")
        # linked (附件：…), or shown in the page (iframe/embed/object/pdf.js, issue 12)
        assert ("附件：" in html and href in html) or f'data="{href}"' in html \
            or f'src="{href}"' in html or quote(r.attachments[0][1], safe="/") in html
