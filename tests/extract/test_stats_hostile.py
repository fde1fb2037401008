"""Hardening against hostile input: huge tables, absurd spans, deep nesting, odd numbers and
endless sentences. Extraction never raises and its time grows linearly with the input."""

from __future__ import annotations

import io
import math
import time

import pytest

from extract import extract_page
from extract.attachments import extract_document
from extract.numbers import parse_value
from extract.stats import extract_statistics

T3_HEAD = "<tr><td>申请人情况</td><td>自然人</td><td>商业企业</td><td>总计</td></tr>"


def _page(body: str) -> bytes:
    return ('<html><head><meta charset="utf-8"><title>某县2022年政府信息公开工作年度报告</title>'
            f'</head><body><div class="content">{body}</div></body></html>').encode()


def _timed(body: bytes):
    start = time.perf_counter()
    page = extract_page(body)
    return page, time.perf_counter() - start


def _t3_rows(n: int) -> bytes:
    rows = "".join(f"<tr><td>（一）予以公开</td><td>{i}</td><td>1</td><td>2</td></tr>"
                   for i in range(n))
    return _page(f"<table>{T3_HEAD}{rows}</table>")


def test_huge_table_linear():
    small, t_small = _timed(_t3_rows(2500))
    big, t_big = _timed(_t3_rows(10000))
    assert len([c for c in big.cells if c.table == "三"]) == 3 * 10000
    assert t_big < 8 * t_small + 1.0, (t_small, t_big)  # 4× the rows, not 16× the time


@pytest.mark.parametrize("span", ["99999", "99999999999999999999", "-5", "abc", "1e9"])
def test_absurd_spans(span):
    cell = f'<td rowspan="{span}" colspan="{span}">行政复议</td>'
    rows = "".join(f"<tr>{cell}<td>1</td></tr>" for _ in range(200))
    page, seconds = _timed(_page(f"<table><tr><td>行政诉讼</td>{cell}</tr>{rows}</table>"))
    assert seconds < 30
    assert not any("failed" in w for w in page.warnings)
    # extract/tables.py caps one span at 100, but spans still multiply the grid (≈10⁴ slots per
    # input row); statistics skip grids over MAX_GRID_SLOTS, so their time stays bounded.


def test_deeply_nested_tables():
    depth = 3000
    body = "<table><tr><td>" * depth + "本年新收 1" + "</td></tr></table>" * depth
    page, seconds = _timed(_page(body))
    assert seconds < 10
    assert page.warnings == [] or all("statistics failed" not in w for w in page.warnings)


def test_hostile_numbers_in_cells():
    table = (f"<table>{T3_HEAD}<tr><td>一、本年新收政府信息公开申请数量</td><td>1e309</td>"
             "<td>９９９９</td><td>-0</td></tr><tr><td>（七）总计</td>"
             f"<td>{'9' * 5000}</td><td>-0.0</td><td>{'一' * 5000}</td></tr></table>")
    page = extract_page(_page(table))
    values = {(c.row_key, c.col_key): c.value for c in page.cells if c.table == "三"}
    assert values[("t3_v2021.new", "natural_person")] is None  # 1e309 is text, never inf
    assert values[("t3_v2021.new", "legal_commercial")] == 9999
    assert values[("t3_v2021.total", "natural_person")] is None
    assert values[("t3_v2021.total", "total")] is None
    for key in (("t3_v2021.new", "total"), ("t3_v2021.total", "legal_commercial")):
        assert values[key] == 0 and math.copysign(1, values[key]) == 1  # no negative zero


@pytest.mark.parametrize("raw,value,kind", [
    ("1e309", None, "text"), ("９９９９", 9999, "number"), ("－０", 0, "number"),
    ("-0", 0, "number"), ("-0.0", 0, "number"), ("9" * 5000, None, "text"),
    ("1" * 400 + ".5", None, "text"), ("一" * 5000, None, "text"), ("nan", None, "text"),
    ("inf", None, "text"), ("１，２３４", 1234, "number"),
])
def test_parse_value_hostile(raw, value, kind):
    parsed = parse_value(raw)
    assert (parsed.value, parsed.kind) == (value, kind)
    if value == 0:
        assert math.copysign(1, parsed.value) == 1


def _prose_time(n: int) -> float:
    start = time.perf_counter()
    extract_statistics("行政复议1件其中" * n, [], 2013)
    extract_statistics(("主动公开政府信息1条，" * n) + "。", [], 2013)
    return time.perf_counter() - start


def test_endless_sentence_linear():
    small, big = _prose_time(25000), _prose_time(100000)
    assert big < 8 * small + 1.0, (small, big)


@pytest.mark.parametrize("grid", [
    [[]], [[""]], [["（七）总计"], [], ["1", "2"]], [["行政复议", "行政诉讼"]] * 3,
    [["指标名称", "计量单位"], ["收到申请数"]], [["申请人情况"] * 5, ["1"]],
], ids=["empty-row", "blank", "ragged", "t4-no-data", "legacy-short", "t3-short"])
def test_malformed_grids_never_raise(grid):
    for year in (2013, 2019, 2022, None):
        extract_statistics("", [grid], year)


def test_pdf_with_thousands_of_rulings():
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    for i in range(3000):
        pdf.line(10 + (i % 500), 10, 10 + (i % 500), 800)
        pdf.line(10, 10 + (i % 700), 560, 10 + (i % 700))
    pdf.save()
    start = time.perf_counter()
    doc = extract_document(out.getvalue(), None, "lines.pdf")
    assert doc is not None and doc.kind == "pdf"
    assert time.perf_counter() - start < 60
