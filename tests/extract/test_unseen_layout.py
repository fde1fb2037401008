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


def test_old_page_with_everything_in_one_cell():
    """Title, info bar, body, 落款 and print links all in one layout cell, text between <br>s."""
    body = "".join(f"第{n}段：本机关依法主动公开政府信息，及时回应社会关切，共办理相关事项{n}件。<br>"
                   for n in range(1, 9))
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
            "<title>某县人民政府--某县2016年政府信息公开工作年度报告</title></head><body><table><tr>"
            "<td width=150><a href=/>首页</a><br><a href=/x>政务公开</a><br><a href=/y>互动交流</a></td>"
            "<td><font size=4><b>某县2016年政府信息公开工作年度报告</b></font><br>"
            f"发布时间：2017-02-10 点击数：128<br>{body}某县人民政府<br>2017年2月8日<br>"
            "【打印此页】 【关闭窗口】</td></tr></table><table><tr><td>版权所有：某县人民政府</td></tr>"
            "</table></body></html>").encode("gb18030")
    page = extract_page(html)
    lines = page.text.splitlines()
    assert lines[0] == "某县2016年政府信息公开工作年度报告" and lines[-2:] == ["某县人民政府", "2017年2月8日"]
    assert len(lines) == 11 and all("点击数" not in x and "打印" not in x for x in lines)
    assert (page.kind, page.published, page.signed, page.encoding) == (
        "report", "2017-02-10", "2017-02-08", "gb18030")
