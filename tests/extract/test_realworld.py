"""The real pages of ../shared/realworld: fields, text against the hand-written golds, chrome.

Skipped when ../shared is absent (the tests must pass without it).
"""

from pathlib import Path

import pytest

from extract import extract_page

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT.parent / "shared" / "realworld" / "pages"
GOLDS = ROOT / "benchmarks" / "golds"
pytestmark = pytest.mark.skipif(not PAGES.is_dir(), reason="../shared/realworld not present")

# What extract_page must return, read off each page by hand (None: the page does not say).
EXPECTED = {
    "003_pingtan_2023-ogi-report": dict(kind="report", title="平潭综合实验区2023年度政府信息公开工作年度报告",
                                        agency="平潭综合实验区", year=2023, published="2024-03-08", signed=None),
    "004_pingtan_2013-ogi-report-oldformat": dict(kind="report", year=2013, agency="平潭综合实验区",
                                                  published="2014-01-10", signed="2014-01-10"),
    "005_pingtan_2014-letter-in-ogi-column": dict(kind="other", signed="2014-12-10",
                                                  agency="平潭综合实验区管委会办公室"),
    "006_zj-jyt_hanweb-detail-metatable_CLONE": dict(kind="other", index_no="002482082/2024-00332",
                                                     publisher="省教育厅", published="2024-10-21"),
    "007_sh-wsjkw_xxgk-detail-suoquhao_CLONE": dict(kind="other", index_no="076478684Q/2024-00112",
                                                    doc_no="沪卫基层〔2024〕5号", signed="2024-05-10"),
    "010_moe_xxgk-detail-xinxisuoyin_CLONE": dict(kind="other", index_no="360A12-07-2024-0008-1",
                                                  doc_no="教思政厅函〔2024〕10号", publisher="教育部办公厅",
                                                  signed="2024-05-30"),
    "011_wuhan-hongshan_trs-detail_CLONE-bodyless": dict(kind="other", published="2023-06-08"),
    "014_handan_xxgk-detail-suoyinhao-block_JSP-bodyless": dict(kind="other", text="",
                                                               index_no="000014348/2020-35147"),
    "016_pingtan_2019-ogi-report": dict(kind="report", year=2019, published="2020-01-20", signed=None),
    "017_pingtan_2021-ogi-report": dict(kind="report", year=2021, published="2022-02-08"),
    "018_pingtan_2016-ogi-report": dict(kind="report", year=2016, published="2017-01-18"),
    "019_shuyang-fgj_2023-ogi-report": dict(kind="report", title="沭阳县发展和改革局2023年政府信息公开年度报告",
                                            agency="沭阳县发展和改革局", year=2023, signed="2024-01-17",
                                            index_no="014314799/2024-00002"),
    "020_shanghai-bgt_2019-ogi-report-body": dict(kind="report", agency="上海市人民政府办公厅", year=2019,
                                                  published="2020-01-31"),
    "001_ordos-egb_xxgknb-listing": dict(kind="other", signed=None),
    "002_pingtan_zfxxgknb-listing": dict(kind="other", signed=None),
}
GOLD_NAMES = sorted(p.stem for p in GOLDS.glob("*.txt"))


@pytest.mark.parametrize("name", sorted(EXPECTED), ids=sorted(EXPECTED))
def test_fields(name):
    data = extract_page((PAGES / f"{name}.html").read_bytes()).to_json()
    for key, value in EXPECTED[name].items():
        assert data[key] == value, key


@pytest.mark.parametrize("name", GOLD_NAMES, ids=GOLD_NAMES)
def test_text_against_gold(name, quality):
    gold = (GOLDS / f"{name}.txt").read_text("utf-8")
    text = extract_page((PAGES / f"{name}.html").read_bytes()).text
    assert quality.bigram_f1(text, gold) >= 0.99
    assert quality.chrome_lines(text, gold) == []
    assert quality.duplicates(text, gold) == 0
