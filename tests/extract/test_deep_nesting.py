"""Pages nested beyond libxml2's depth limit (256) are read whole, flattened, with a warning;
before, a 10,000-deep page gave an empty text and no line anywhere (issue 11)."""

from __future__ import annotations

import pytest

from extract import extract_page
from extract.page import FLATTEN_DEPTH, flatten_html, parse_html

PARAGRAPH = "本机关严格按照《中华人民共和国政府信息公开条例》要求，全面推进政务公开工作。"


def nested(depth: int, tag: str = "div") -> bytes:
    inner = f"<h1>某县2023年政府信息公开工作年度报告</h1><p>{PARAGRAPH}</p><table><tr><td>申请数</td><td>12</td></tr></table>"
    return (f"<html><head><title>年报</title></head><body>{f'<{tag}>' * depth}{inner}{f'</{tag}>' * depth}"
            f"<p>页脚之后的段落。</p></body></html>").encode()


@pytest.mark.parametrize("depth", [300, 2_000, 10_000, 100_000])
def test_deep_page_read_whole_with_a_warning(depth):
    page = extract_page(nested(depth), url="http://x.gov.cn/a.html", headers=[("Content-Type", "text/html; charset=utf-8")])
    shallow = extract_page(nested(20), url="http://x.gov.cn/a.html")
    assert PARAGRAPH in page.text and set(shallow.text.splitlines()) <= set(page.text.splitlines())
    (warning,) = page.warnings
    assert warning.startswith("too deep") and "no text lost" in warning


@pytest.mark.parametrize("depth", [10, 150])
def test_ordinary_nesting_untouched(depth):
    page = extract_page(nested(depth), url="http://x.gov.cn/a.html")
    assert PARAGRAPH in page.text and page.warnings == []


def test_flatten_keeps_text_and_shallow_structure():
    html = nested(FLATTEN_DEPTH + 50).decode()
    flat = flatten_html(html)
    root = parse_html(flat)
    depth = max(len(list(e.iterancestors())) for e in root.iter())
    assert depth <= FLATTEN_DEPTH + 5 and PARAGRAPH in root.text_content()
    assert flatten_html(nested(20).decode()) == nested(20).decode()
