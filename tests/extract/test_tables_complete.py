"""A standard report's tables read in part are loud: the national format fixes every slot of
tables 二, 三 and 四 (ogi-format §1.2), so a reading that misses some records a failing
`tables_complete` check and a loss warning naming the rows, which the crawl counts and `verify`
reports. Complete readings, and pages that are not reports, stay quiet."""

from __future__ import annotations

import re
import shutil

import pytest

from extract import codebook, extract_page
from extract.loss import says_lost
from simportals.attachments import convert, docx_bytes
from simportals.plan import plan
from simportals.render_report import report_html

SPECS = plan(0, 1, 0)


def _page(body_html: str, title: str = "宁波市北仑区人民政府2021年政府信息公开工作年度报告"):
    html = (f"<html><head><title>{title}</title></head><body>"
            f"<div class='TRS_Editor'>{body_html}</div></body></html>")
    return extract_page(html.encode(), url="http://www.bl.gov.cn/art/2022/1/20/art_1_1.html")


def _check(page):
    return next(c for c in page.checks if c.name == "tables_complete")


def _read(page):
    return next(c for c in page.checks if c.name == "figures_read")


def _table_warnings(page) -> list[str]:
    return [w for w in page.warnings if w.startswith("tables:")]


@pytest.mark.parametrize("version", codebook.VERSIONS)
def test_a_complete_reading_finds_exactly_the_formats_slots(version):
    spec = next(s for s in SPECS if s.template == version and not s.blank_zeros)
    page = _page(report_html(spec))
    found = {(c.table, c.row_key, c.col_key) for c in page.cells if c.table in ("二", "三", "四")}
    assert found == {(t, r, c) for t, slots in codebook.template_cells(version).items() for r, c in slots}
    assert _check(page).passed is True and _table_warnings(page) == []


def test_rows_cut_from_table_three_are_named_and_lost():
    spec = next(s for s in SPECS if s.template == "2021")
    html = report_html(spec)
    rows = re.findall(r"<tr>.*?</tr>", html, flags=re.S)
    cut = [r for r in rows if "总计" in r and "（七）" in r or "结转下年度" in r]
    assert len(cut) == 2
    for row in cut:
        html = html.replace(row, "")
    page = _page(html)
    check = _check(page)
    assert check.passed is False
    assert check.detail.startswith("14 of 200 cells not found — 三 (14 of 175): ")
    assert "（七）总计" in check.detail and "四、结转下年度继续办理" in check.detail
    [warning] = _table_warnings(page)
    assert says_lost(warning)


def test_a_table_missing_whole_is_named():
    spec = next(s for s in SPECS if s.template == "2021")
    html = report_html(spec)
    tables = re.findall(r"<table.*?</table>", html, flags=re.S)
    four = next(t for t in tables if "行政复议" in t)
    page = _page(html.replace(four, ""))
    assert "四: table not found" in _check(page).detail
    assert len(_table_warnings(page)) == 1


def test_a_page_that_is_not_a_report_gives_no_warning():
    """A news page with one table that mentions 行政复议 and 行政诉讼 is no report read in part."""
    page = _page("<p>为进一步规范行政复议和行政诉讼工作，现将本季度案件办理情况通报如下。</p>"
                 "<table><tr><td>类别</td><td>行政复议</td><td>行政诉讼</td></tr>"
                 "<tr><td>件数</td><td>3</td><td>1</td></tr></table>",
                 title="关于2024年第三季度行政复议和行政诉讼案件办理情况的通报")
    assert page.kind != "report"
    assert _table_warnings(page) == []


def test_a_picture_cut_at_the_page_foot_is_loud():
    """LibreOffice lets a pasted picture of table 三 run past the page's foot and clips it: the
    last rows are not on the page at all. The reading cannot get them, and says so."""
    assert shutil.which("soffice"), "LibreOffice is needed (see .ci/debian-packages.txt)"
    spec = next(s for s in SPECS if s.template == "2021" and s.body.name == "宁波市北仑区人民政府")
    body = convert(docx_bytes(spec, tables_as_images=True), "docx", "pdf")
    page = extract_page(body, url="http://x.gov.cn/P020240101.pdf",
                        headers=[("Content-Type", "application/pdf")])
    [warning] = _table_warnings(page)
    assert says_lost(warning) and "（七）总计" in warning


def _legacy(spec_html: str, title: str = "宁波市北仑区人民政府2014年政府信息公开工作年度报告"):
    return _page(spec_html, title)


LEGACY = next(s for s in SPECS if s.template == "legacy" and "<table" in report_html(s))


def test_a_legacy_table_read_whole_passes():
    page = _legacy(report_html(LEGACY))
    check = _read(page)
    figures = len([c for c in page.cells if c.table == "统计表" and c.value is not None])
    assert check.passed is True and check.detail == f"all {figures} figures read" and figures >= 8
    assert _table_warnings(page) == []


def test_a_legacy_table_without_its_head_gives_its_one_column_of_figures():
    """LibreOffice leaves a 统计表's head at the foot of a page when its rows do not fit: its
    rows alone still say which column is the unit and which the year's figures."""
    html = report_html(LEGACY)
    table = re.search(r"<table.*?</table>", html, flags=re.S).group(0)
    headless = re.sub(r"<tr>(?:(?!</tr>).)*指标名称.*?</tr>", "", table, count=1, flags=re.S)
    whole, page = _legacy(html), _legacy(html.replace(table, headless))
    keyed = {(c.row_key, c.col_key): (c.value, c.unit) for c in page.cells if c.table == "统计表"}
    assert keyed == {(c.row_key, c.col_key): (c.value, c.unit) for c in whole.cells if c.table == "统计表"}
    assert _read(page).passed is True


def test_a_legacy_table_whose_figures_are_not_read_says_so():
    """Two columns of figures and no head: which is the year's cannot be told, so none is
    taken, and the report says how many figures its table holds that were not read."""
    rows = "".join(f"<tr><td>{label}</td><td>件</td><td>{n}</td><td>{n * 3}</td></tr>"
                   for label, n in (("收到申请数", 151), ("同意公开答复数", 87), ("行政复议数量", 3)))
    html = report_html(LEGACY)
    page = _legacy(html.replace(re.search(r"<table.*?</table>", html, flags=re.S).group(0), f"<table>{rows}</table>"))
    assert _read(page).passed is False and _read(page).detail == "统计表: 6 of 6 figures not read (收到申请数 / 同意公开答复数 / 行政复议数量)"
    [warning] = _table_warnings(page)
    assert says_lost(warning)


def test_a_legacy_tables_head_in_the_text_with_no_table_says_so():
    """The form's head printed as a line, its rows as text: no table was read from them."""
    lines = ["附：2014年政府信息公开情况统计表", "指标名称 计量单位 数量", "收到申请数 件 151",
             "同意公开答复数 件 87"]
    html = report_html(LEGACY)
    page = _legacy(html.replace(re.search(r"<table.*?</table>", html, flags=re.S).group(0),
                                "".join(f"<p>{line}</p>" for line in lines)))
    assert _read(page).passed is False and "指标名称 计量单位 数量" in _read(page).detail
    assert says_lost(_table_warnings(page)[0])


def test_a_legacy_report_with_no_table_has_no_table_check():
    page = _legacy("<p>2014年，全区共主动公开政府信息5495条。全年共受理政府信息公开申请151件。</p>")
    assert page.cells and not [c for c in page.checks if c.name == "figures_read"]


FOUR_HEAD = [
    ["行政复议"] * 5 + ["行政诉讼"] * 10,
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5,
    [""] * 5 + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
]


def _figures_read(grids, year=2021):
    from extract.stats import extract_statistics

    return next(c for c in extract_statistics("", grids, year).checks if c.name == "figures_read")


def test_every_figure_of_table_four_read_passes():
    check = _figures_read([FOUR_HEAD + [["0"] * 15]])
    assert check.passed is True and check.detail == "all 15 figures read"


def test_figures_set_past_their_heads_are_said_not_read():
    """Table 四 of a report printed without rules, its figures set right, as the reading once
    made it: three columns too many, the three totals blank and three zeros under no head.
    Every slot is there (tables_complete passes) and a blank counts as 0 in the arithmetic, so
    only the count of figures says it (two zeros under one merged 结果维持 count once)."""
    grid = [["行政复议"] * 5 + ["行政诉讼"] * 13,
            ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] + ["未经复议直接起诉"] * 7
            + ["复议后起诉"] * 5 + [""],
            [""] * 5 + ["结果维持", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "",
                        "结果维持", "结果纠正", "其他结果", "尚未审结", "总计", ""],
            ["0", "0", "0", "0", "", "0", "0", "0", "0", "0", "", "0", "0", "0", "0", "0", "", "0"]]
    check = _figures_read([grid])
    assert check.passed is False and check.detail == "四: 2 of 14 figures not read (（无标签）)"


def test_a_figure_merged_across_columns_counts_once():
    two = [["信息内容", "第二十条第（五）项", "第二十条第（五）项", "第二十条第（五）项"],
           ["", "本年处理决定数量", "本年处理决定数量", "本年处理决定数量"],
           ["行政许可", "354", "354", "354"]]
    check = _figures_read([two])
    assert check.passed is True and check.detail == "all 1 figures read"


def test_a_figure_ocr_could_not_read_is_said_not_read():
    """A cell OCR saw ink in and read nothing holds □ (extract/ocr.py): it is no blank, so
    the report says the figure was not read, in table 四 and in the legacy 统计表 whose row
    holds no other figure."""
    check = _figures_read([FOUR_HEAD + [["0"] * 4 + ["□"] + ["0"] * 10]])
    assert check.passed is False and check.detail == "四: 1 of 15 figures not read (（无标签）)"
    # read with a stray mark or letter, a figure is no number and no label either
    check = _figures_read([FOUR_HEAD + [["0."] + ["0"] * 8 + ["2s"] + ["0"] * 5]])
    assert check.passed is False and check.detail == "四: 2 of 15 figures not read (（无标签）)"
    html = report_html(LEGACY)
    table = re.search(r"<table.*?</table>", html, flags=re.S).group(0)
    row = re.findall(r"<tr>(?:<td[^>]*>[^<]*</td>){3}</tr>", table)[3]
    label, figure = re.findall(r">([^<]+)</td>", row)[0::2]
    page = _legacy(html.replace(row, row.replace(f">{figure}</td>", ">□</td>")))
    assert _read(page).passed is False and label in _read(page).detail
    assert says_lost(_table_warnings(page)[0])
