"""A report page in a layout none of the families has (written last, as a test of generality):
chapters as anonymous <section>s of <div> lines in an unnamed `div.art-bd`, an <aside> menu,
metadata as <span> pairs after the 落款, buttons, a cookie notice; body sentences that mention
纠错, 扫码, 微信微博, 网站地图, 时间：, 相关文件：, 关键词：."""

from pathlib import Path

from extract import extract_page

HERE = Path(__file__).resolve().parents[1] / "data" / "unseen"
URL = "http://www.linchuan.gov.cn/zwgk/nb/202401/t20240126_1.html"


def test_unseen_layout(quality):
    page = extract_page((HERE / "app_sections.html").read_bytes(), url=URL)
    gold = (HERE / "app_sections.txt").read_text("utf-8")
    assert page.text.splitlines() == gold.splitlines()  # every line, in order, nothing else
    assert quality.chrome_lines(page.text, gold) == [] and quality.duplicates(page.text, gold) == 0
    assert (page.kind, page.title, page.agency, page.year, page.published, page.signed,
            page.index_no) == ("report", "临川县市场监督管理局2023年政府信息公开工作年度报告",
                               "临川县市场监督管理局", 2023, "2024-01-26", "2024-01-25",
                               "11361027MB1563829X/2024-00007")
    assert {k: page.stats[k] for k in ("proactive_disclosed", "applications_received", "granted",
                                       "partially_granted", "refused", "reconsideration_total",
                                       "litigation_total")} == {
        "proactive_disclosed": 2428, "applications_received": 15, "granted": 12,
        "partially_granted": 2, "refused": 1, "reconsideration_total": 0, "litigation_total": 0}
