"""Charset: BOMs, wrong or missing declarations, GB2312 labels on GBK bytes."""

import codecs

import pytest

from extract.charset import decode_html, header_value

TEXT = "<html><head>{meta}</head><body><p>政府信息公开工作年度报告：镕（GBK 才有）</p></body></html>"


@pytest.mark.parametrize(("meta", "encoding", "headers", "bom"), [
    ('<meta charset="utf-8">', "utf-8", None, b""),
    ('<meta charset="gbk">', "gbk", None, b""),
    ('<meta charset="gb2312">', "gbk", None, b""),  # GB2312 label, GBK-only character
    ('<meta charset="utf-8">', "gbk", None, b""),  # wrong declaration
    ("", "gb18030", None, b""),  # no declaration at all
    ("", "gbk", [("Content-Type", "text/html; charset=GBK")], b""),
    ('<meta charset="gbk">', "utf-8", {"Content-Type": "text/html; charset=gbk"}, b""),
    ('<meta charset="utf-8">', "utf-8", None, codecs.BOM_UTF8),
    ("", "utf-16-le", None, codecs.BOM_UTF16_LE),
], ids=["utf8", "gbk", "gb2312-label", "gbk-declared-utf8", "gb18030-undeclared",
        "gbk-header-list", "utf8-declared-gbk", "utf8-bom", "utf16-bom"])
def test_decode(meta, encoding, headers, bom):
    original = TEXT.format(meta=meta)
    text, _ = decode_html(bom + original.encode(encoding), headers)
    assert text.lstrip("\ufeff") == original


def test_header_value_accepts_mapping_and_pairs():
    assert header_value({"content-type": "a"}, "Content-Type") == "a"
    assert header_value([("Content-Type", "b")], "content-type") == "b"
    assert header_value(None, "Content-Type") is None
