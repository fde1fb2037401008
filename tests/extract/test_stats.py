"""Statistics of real report pages (shared/realworld) and small hand-made grids."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html

from extract import extract_page
from extract.stats import (
    Statistics,
    carry_over_check,
    extract_statistics,
    in_force_check,
    year_over_year_checks,
)
from extract.tables import grids_from_html

PAGES = Path(__file__).resolve().parents[3] / "shared" / "realworld" / "pages"


def _page(name: str) -> tuple[str, list]:
    if not PAGES.is_dir():
        pytest.skip("shared/realworld is absent")
    source = (PAGES / name).read_bytes().decode("utf-8", "replace")
    root = html.fromstring(source)
    for node in root.xpath("//script|//style|//table"):
        node.drop_tree()
    return root.text_content(), grids_from_html(source)


# name, year, version, template cells with keys, headline subset, failing checks
REAL = [
    ("016_pingtan_2019-ogi-report.html", 2019, "2019", 198,
     {"applications_received": 23, "granted": 7, "partially_granted": 1, "refused": 0}, set()),
    ("017_pingtan_2021-ogi-report.html", 2021, "2021", 200,
     {"applications_received": 70, "granted": 30, "refused": 8, "reconsideration_total": 3,
      "litigation_total": 12}, set()),
    ("003_pingtan_2023-ogi-report.html", 2023, "2021", 200,
     {"applications_received": 81, "litigation_total": 7}, set()),
    ("019_shuyang-fgj_2023-ogi-report.html", 2023, "2021", 200,
     {"applications_received": 26, "reconsideration_total": 1, "fees_collected": 0}, set()),
    ("020_shanghai-bgt_2019-ogi-report-body.html", 2019, "2019", 198,
     {"applications_received": 859, "applications_carried_over": 18, "granted": None,
      "litigation_total": 9}, {"t3_row_sums", "t3_outcome_sum"}),
    ("004_pingtan_2013-ogi-report-oldformat.html", 2013, "legacy", 18,
     {"proactive_disclosed": 72804, "applications_received": 0}, set()),
    ("018_pingtan_2016-ogi-report.html", 2016, "legacy", 20,
     {"proactive_disclosed": 3460, "fees_collected": 0}, set()),
]


@pytest.mark.parametrize("name,year,version,keyed,headline,failing", REAL,
                         ids=[r[0][:3] for r in REAL])
def test_real_page(name, year, version, keyed, headline, failing):
    text, tables = _page(name)
    stats = extract_statistics(text, tables, year)
    assert stats.template_version == version
    table_cells = [c for c in stats.cells if c.origin == "table"]
    assert sum(1 for c in table_cells if c.row_key and c.col_key) == keyed
    for key, value in headline.items():
        assert stats.headline[key] == value, key
    assert {c.name for c in stats.checks if c.passed is False} == failing


def test_word_paste_columns_merged():
    """017: 商业企业 spans two grid columns in header and data; it is one statistic."""
    text, tables = _page("017_pingtan_2021-ogi-report.html")
    cells = extract_statistics(text, tables, 2021).cells
    row = [c for c in cells if c.table == "三" and c.row_label == "一、本年新收政府信息公开申请数量"]
    assert [(c.col_label, c.value) for c in row] == [
        ("自然人", 64), ("商业企业", 0), ("科研机构", 0), ("社会公益组织", 2),
        ("法律服务机构", 0), ("其他", 4), ("总计", 70)]


def test_blank_cells_stay_null():
    text, tables = _page("020_shanghai-bgt_2019-ogi-report-body.html")
    cells = extract_statistics(text, tables, 2019).cells
    cell = next(c for c in cells if c.row_key == "t3_v2019.granted" and c.col_key == "total")
    assert cell.value is None and cell.raw == ""
    amount = next(c for c in cells if c.col_key == "procurement_amount")
    assert (amount.value, amount.unit) == (251000, "元")


def test_labels_as_printed():
    text, tables = _page("017_pingtan_2021-ogi-report.html")
    cells = {(c.table, c.row_label, c.col_label): c for c in
             extract_statistics(text, tables, 2021).cells}
    assert cells[("三", "3.其他", "总计")].row_key == "t3_v2021.other_other"
    assert cells[("四", "", "行政诉讼 未经复议直接起诉 总计")].value == 12
    assert cells[("二", "行政事业性收费", "本年收费金额（单位：万元）")].unit == "万元"


GRID_T3_SPLIT = [
    [["", "", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
     ["一、本年新收政府信息公开申请数量", "一、本年新收政府信息公开申请数量",
      "3", "1", "0", "0", "0", "0", "4"]],
    [["（七）总计", "（七）总计", "3", "1", "0", "0", "0", "0", "4"],
     ["四、结转下年度继续办理", "四、结转下年度继续办理", "+2", "/", "—", "不适用", "", "", "2"]],
]


def test_split_table_and_placeholders():
    stats = extract_statistics("", GRID_T3_SPLIT, 2021)
    cells = {(c.row_key, c.col_key): c for c in stats.cells}
    assert cells[("t3_v2021.total", "legal_commercial")].value == 1
    assert cells[("t3_v2021.carried_out", "natural_person")].value == 2
    for col in ("legal_commercial", "legal_research", "legal_public_interest"):
        assert cells[("t3_v2021.carried_out", col)].value is None


def test_carry_over_check():
    prev = extract_statistics("", GRID_T3_SPLIT, 2021)
    cur = Statistics(template_version="2021", headline={"applications_carried_over": 2})
    assert carry_over_check(prev, cur).passed is True
    cur = Statistics(template_version="2021", headline={"applications_carried_over": 5})
    assert carry_over_check(prev, cur).passed is False


@pytest.mark.parametrize("sentence,key,value", [
    ("2013年度主动公开信息的有5条。", "proactive_disclosed", 5),
    ("本局2009年共主动公开政府信息734条，其中全文电子化率达100%。", "proactive_disclosed", 734),
    ("2017年，主动公开政府工作信息、动态755多条。", "proactive_disclosed", None),
    ("2009年，我局收到政府信息公开申请1条。", "applications_received", 1),
    ("目前我乡尚未收到政府信息公开申请。", "applications_received", 0),
    ("共受理政府信息公开申请八百五十九件。", "applications_received", 859),
    ("予以公开及部分公开258件，占33.9%；不予公开35件。", "granted", None),
    ("予以公开及部分公开258件，占33.9%；不予公开35件。", "refused", 35),
    ("我乡收到有关政府信息公开行政复议申请0件。", "reconsideration_total", 0),
    ("2013年所有信息公开都没有发生行政复议、行政诉讼的情况。", "litigation_total", 0),
    ("信息公开类行政复议7件，诉讼9件，均获维持。", "litigation_total", 9),
    ("2017年我办对信息公开免费提供，未收取任何费用。", "fees_collected", 0),
    ("依据《政府信息公开信息处理费管理办法》规定，2025年全市实际收取信息处理费共计400元。",
     "fees_collected", 400),
], ids=lambda v: str(v)[:12])
def test_prose_figures(sentence, key, value):
    stats = extract_statistics(sentence, [], 2013)
    assert stats.template_version == "legacy"
    assert stats.headline[key] == value
    cell = next(c for c in stats.cells if c.row_key == f"prose.{key}")
    assert cell.raw and cell.raw in sentence and cell.origin == "prose"


@pytest.mark.parametrize("sentence,key,value", [
    ("截至2017年底，我局累计主动公开政府信息321条，其中本年度新增主动公开政府信息107条，同比增长25.8%。",
     "proactive_disclosed", 107),
    ("本区到年底累计主动公开政府信息5928条，全文电子化率达90.3%，其中，本年度新增主动公开政府信息2110条。",
     "proactive_disclosed", 2110),
    ("（一）收取信息处理费情况：无。", "fees_collected", 0),
    ("目前我镇尚未收到政府信息公开申请。", "granted", 0),
    ("2018年度，本街道未收到政府信息公开申请。", "refused", 0),
], ids=lambda v: str(v)[:12])
def test_prose_figures_more(sentence, key, value):
    stats = extract_statistics(sentence, [], 2017)
    assert stats.headline[key] == value
    assert next(c for c in stats.cells if c.row_key == f"prose.{key}").raw


def test_prose_cells_kept_beside_tables():
    """A figure stated in prose is a prose cell even when a table states it too."""
    stats = extract_statistics("全年共收到政府信息公开申请4件，均在法定期限内予以答复。",
                               GRID_T3_SPLIT, 2021)
    prose = [c for c in stats.cells if c.origin == "prose"]
    assert [(c.row_label, c.value) for c in prose] == [("applications_received", 4)]
    assert stats.headline["applications_received"] == 4


def test_table_text_is_not_prose():
    text = "指标名称\t计量单位\t数量\n依申请公开信息收取的费用\t万元\t0"
    assert not [c for c in extract_statistics(text, [], 2016).cells if c.origin == "prose"]


@pytest.mark.parametrize("text,agency,scope", [
    ("2020年，全区通过政府网站主动公开政府信息392条。", None, "jurisdiction"),
    ("2023年全区共主动公开政府信息13561条。", None, "jurisdiction"),
    ("本年度我区共收到70件申请。", None, "jurisdiction"),
    ("2020年，我镇通过政府网站主动公开政府信息392条。", None, "self"),
    ("2020年，本办通过政府网站主动公开政府信息39条。", None, "self"),
    ("2023年度我局共收到依申请信息公开26件。", None, "self"),
    ("2019年度，本街道未收到政府信息公开申请。", None, "self"),
    # stock phrases name 本机关 without saying whose figures these are
    ("全年共受理申请238件，其余87件为信息不存在或不属于本机关公开职责范围。",
     "宁波市北仑区人民政府", "jurisdiction"),
    # no scope words: the issuer decides (a government's own report covers its jurisdiction)
    ("全年共收到政府信息公开申请5件。", "沭阳县人民政府", "jurisdiction"),
    ("全年共收到政府信息公开申请5件。", "沭阳县人民政府办公室", "self"),
    ("全年共收到政府信息公开申请5件。", "舒城县城关镇人民政府", "self"),
    ("全年共收到政府信息公开申请5件。", "宁波市北仑区新碶街道办事处", "self"),
    ("由宿迁市人民政府编制。全年共收到政府信息公开申请5件。", None, "jurisdiction"),
    ("由沭阳县发展和改革局编制。全年共收到政府信息公开申请5件。", None, "self"),
    ("全年共收到政府信息公开申请5件。", None, None),
], ids=lambda v: str(v)[:10])
def test_scope(text, agency, scope):
    assert extract_statistics(text, [], 2020, agency).scope == scope


@pytest.mark.parametrize("name,scope", [
    ("016_pingtan_2019-ogi-report.html", "jurisdiction"),
    ("017_pingtan_2021-ogi-report.html", "jurisdiction"),
    ("004_pingtan_2013-ogi-report-oldformat.html", "jurisdiction"),
    ("019_shuyang-fgj_2023-ogi-report.html", "self"),
    ("020_shanghai-bgt_2019-ogi-report-body.html", "self"),
], ids=lambda v: str(v)[:3])
def test_scope_real_pages(name, scope):
    _page(name)  # skips when shared/realworld is absent
    page = extract_page((PAGES / name).read_bytes())
    assert extract_statistics(page.text, page.tables, page.year, page.agency).scope == scope


def _t2_2021(regs: tuple, docs: tuple) -> Statistics:
    grid = [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
            ["规章", *map(str, regs)], ["行政规范性文件", *map(str, docs)]]
    return extract_statistics("", [grid], 2022)


def test_in_force_year_over_year():
    prev = _t2_2021((1, 0, 10), (5, 2, 40))
    assert in_force_check(prev, _t2_2021((2, 1, 11), (3, 1, 42))).passed is True
    failed = in_force_check(prev, _t2_2021((2, 1, 11), (3, 1, 50)))
    assert failed.passed is False and "normative_docs" in failed.detail
    assert in_force_check(prev, _t2_2021(("/", "/", "/"), ("", "", ""))).passed in (None, False)
    names = [c.name for c in year_over_year_checks(prev, prev)]
    assert names == ["carry_over", "in_force"]


@pytest.mark.parametrize("sentence,key,value", [
    ("2022年，本机关共收到15件信息公开申请，均已按时办结。", "applications_received", 15),
    ("全年新收到政府信息公开申请件数为0。", "applications_received", None),
    ("2022年，共公开政府信息1236条，其中规范性文件12件。", "proactive_disclosed", 1236),
    ("全年主动发布各类政府信息2428条。", "proactive_disclosed", 2428),
    ("本年度依申请公开政府信息5条。", "proactive_disclosed", None),
    ("答复15件，其中同意公开12件、部分公开2件、不予公开1件。", "granted", 12),
    ("答复15件，其中同意公开12件、部分公开2件、不予公开1件。", "partially_granted", 2),
    ("答复15件，其中同意公开12件、部分公开2件、不予公开1件。", "refused", 1),
    ("收到申请20件，其中网上申请15件。", "applications_received", 20),
    ("（四）行政复议情况：无。", "reconsideration_total", 0),
    ("行政诉讼：—", "litigation_total", 0),
    ("依申请公开情况：无", "applications_received", 0),
    ("行政复议：0件。", "reconsideration_total", 0),
], ids=lambda v: str(v)[:14])
def test_prose_as_officials_write(sentence, key, value):
    """Issue 12: figures where officials put them (number before the noun, no 主动, outcomes
    after 其中, none written as 无/—/0)."""
    assert extract_statistics(sentence, [], 2017).headline[key] == value


def test_none_cells_let_the_checks_run():
    """`无` is 0; `/` and `—` stay None as values but count as 0 in the cross-checks."""
    head = ["", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    grid = [head, ["一、本年新收政府信息公开申请数量", "3", "无", "/", "—", "0", "", "3"],
            ["二、上年结转政府信息公开申请数量", "0", "0", "0", "0", "0", "0", "0"],
            ["（一）予以公开", "3", "未", "—", "/", "0", "0", "3"],
            ["（七）总计", "3", "0", "0", "0", "0", "0", "3"],
            ["四、结转下年度继续办理", "0", "0", "0", "0", "0", "0", "0"]]
    stats = extract_statistics("", [grid], 2021)
    cells = {(c.row_key, c.col_key): c for c in stats.cells}
    assert cells[("t3_v2021.new", "legal_commercial")].value == 0
    assert cells[("t3_v2021.new", "legal_research")].value is None
    checks = {c.name: c for c in stats.checks}
    assert checks["t3_balance"].passed is True and checks["t3_row_sums"].passed is True


def test_scope_follows_the_issuers_kind():
    """A government, or a bare place name standing for it (an OCR'd 落款 or a title's issuer),
    reports on its jurisdiction; a department, an office or a township on itself."""
    from extract.prose import scope_of_issuer

    for name in ("沭阳县人民政府", "沭阳县", "东城区", "杭州市人民政府", "阿拉善盟行政公署"):
        assert scope_of_issuer(name) == "jurisdiction", name
    for name in ("沭阳县教育局", "沭阳县人民政府办公室", "龙岗街道办事处", "沭城镇人民政府", "龙岗街道"):
        assert scope_of_issuer(name) == "self", name
