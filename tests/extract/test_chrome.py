"""Every chrome kind of the issue, placed inside the body container, is stripped and recorded."""

import pytest

from extract import extract_page
from extract.chrome import line_kind

CHROME = {
    "breadcrumb": ["当前位置：首页 > 政务公开 > 年报", "您当前的位置：首页 > 信息公开",
                   "您现在所在的位置：首页 政务公开", "首页 > 政府信息公开 > 年度报告"],
    "info_bar": ["发布时间：2023-01-18 来源：示例县人民政府办公室", "信息来源：示例县政府",
                 "浏览量：1024", "浏览次数：88", "字号：[ 大 中 小 ]", "【字体：大 中 小】",
                 "文字大小：[ 大 中 小 ] 背景色：", "发布日期：2023-01-18"],
    "share": ["分享到：微信 微博 QQ空间", "分享："],
    "print_close": ["【打印本页】", "【关闭窗口】", "打印本页 关闭窗口", "关闭", "返回顶部"],
    "prev_next": ["上一篇：关于开展政务公开培训的通知", "下一篇：没有了", "第1页 第2页 第3页 下一页",
                  "共3页 首页 上一页 1 2 3 下一页 尾页"],
    "related": ["相关信息", "相关链接：", "相关阅读"],
    "panel": ["文件下载", "附件下载：", "政策咨询"],
    "favourite": ["收藏", "【收藏】", "加入收藏"],
    "tabs": ["全真版 文字版", "文字版"],
    "qrcode": ["扫一扫在手机上查看当前页面", "扫一扫在手机打开当前页"],
    "widget": ["我要纠错", "无障碍", "长者版", "繁體版"],
    "tags": ["标签：政府信息公开 年度报告"],
    "footer": ["主办单位：示例县人民政府办公室 | 承办单位：示例县大数据中心",
               "网站标识码：3501280001", "闽ICP备12345678号", "闽公网安备 35012802000123号",
               "版权所有：示例县人民政府"],
    "counter": ["1024", "{{detailFont}}"],
    "metadata": ["索引号：003527460/2023-00012", "发布机构：示例县人民政府办公室", "公开形式：主动公开",
                 "公开方式：主动公开", "公开范围：面向社会", "成文日期：2023-01-16", "生成日期：2023-01-16",
                 "文号：示政办〔2023〕3号", "有效性：有效", "发布单位：示例县政府"],
}
CASES = [(kind, line) for kind, lines in CHROME.items() for line in lines]


@pytest.mark.parametrize(("kind", "line"), CASES, ids=[f"{k}-{i}" for i, (k, _) in enumerate(CASES)])
def test_line_kind(kind, line):
    assert line_kind(line) == kind


@pytest.mark.parametrize(("kind", "line"), CASES, ids=[f"{k}-{i}" for i, (k, _) in enumerate(CASES)])
def test_chrome_inside_container_is_stripped(kind, line, make_page, report_body):
    body = f'<div class="TRS_Editor"><p>{line}</p>{report_body}<div>{line}</div></div>'
    page = extract_page(make_page(body))
    assert line not in page.text.splitlines()
    assert "主动公开政府信息1234条" in page.text
    assert kind in page.removed


def test_chrome_sentence_needs_template_evidence(make_page, report_body):
    """A sentence-shaped notice inside the body is only cut when the portal's other pages
    print it too (hints), never on its words alone (issue 12: recall first)."""
    notice = "如果您对该政策文件有疑问，请点击此处进行咨询。"
    body = f'<div class="TRS_Editor">{report_body}<p>{notice}</p></div>'
    assert notice in extract_page(make_page(body)).text
    page = extract_page(make_page(body), hints={"template_lines": [notice, "网站地图"]})
    assert notice not in page.text and notice in page.removed["panel"]
    assert "主动公开政府信息1234条" in page.text


def test_template_lines_never_take_body_sentences(make_page, report_body):
    """A sentence or a heading all reports of a portal share (本机关无其他需要报告的事项。) is
    content even when the caller's template lines hold it: no chrome pattern confirms it."""
    line = "本机关无其他需要报告的事项。"
    body = (f'<div class="TRS_Editor"><p>欢迎访问示例县</p>{report_body}<p>六、其他需要报告的事项</p>'
            f"<p>{line}</p></div>")
    page = extract_page(make_page(body), hints={"template_lines": [
        line, "六、其他需要报告的事项", "欢迎访问示例县"]})
    assert line in page.text and "六、其他需要报告的事项" in page.text
    assert page.removed["template"] == ["欢迎访问示例县"]  # shared, and before the body


@pytest.mark.parametrize("line", [
    "主办单位：教育部思想政治工作司",  # an event's organiser in a notice, not a site footer
    "2022年，本机关共收到行政复议申请1件，已办结。",
    "（三）关于政务公开工作的相关信息化建设情况，全年投入资金20万元，完成平台升级。",
    "三、收到和处理政府信息公开申请情况",
], ids=["organiser", "sentence", "long-mention", "heading"])
def test_body_lines_are_not_chrome(line):
    assert line_kind(line) is None


def test_widget_elements_cut_by_class(make_page, report_body):
    body = ('<div class="TRS_Editor">' + report_body
            + '<div class="bdsharebuttonbox"><a>微信</a><a>微博</a></div>'
            '<div class="qrcode"><img src="q.png"><span>手机浏览</span></div></div>')
    page = extract_page(make_page(body))
    assert "手机浏览" not in page.text and "微博" not in page.text
    assert "widget" in page.removed


def test_metadata_table_inside_body_moves_to_fields(make_page, report_body):
    body = ('<div id="zoom"><table><tr><td>索引号：</td><td>003527460/2023-00012</td>'
            "<td>发布机构：</td><td>示例县人民政府办公室</td></tr>"
            "<tr><td>成文日期：</td><td>2023-01-16</td><td>文号：</td><td>示政办〔2023〕3号</td></tr></table>"
            + report_body + "</div>")
    page = extract_page(make_page(body))
    assert "索引号" not in page.text
    assert page.index_no == "003527460/2023-00012"
    assert page.publisher == "示例县人民政府办公室"
    assert page.doc_no == "示政办〔2023〕3号"
    assert "metadata" in page.removed


def test_word_conditional_comments_pasted_as_text_are_dropped(make_page, report_body):
    body = ('<div class="TRS_Editor">' + report_body
            + "<p>&lt;!--[if !supportLists]--&gt;7、&lt;!--[endif]--&gt;公共监管信息公开情况</p></div>")
    page = extract_page(make_page(body))
    assert "7、公共监管信息公开情况" in page.text.splitlines()
    assert "markup" in page.removed


def test_link_list_after_the_body_is_navigation(make_page, report_body):
    """A 相关链接 list the CMS put inside the editor, after the 落款: lines that are only links to
    other pages go (by position and shape); an attachment link and the 落款 stay."""
    body = ('<div class="TRS_Editor">' + report_body + "<p>示例县人民政府</p><p>2023年1月20日</p>"
            '<p>附件：<a href="/a/tjb.xls">统计表.xls</a></p><p>相关链接：</p><ul>'
            '<li><a href="/r/1.html">示例县2021年政府信息公开工作年度报告</a></li>'
            '<li><a href="/r/2.html">示例县2020年政府信息公开工作年度报告</a></li></ul></div>')
    page = extract_page(make_page(body))
    lines = page.text.splitlines()
    assert "示例县2021年政府信息公开工作年度报告" not in lines and "相关链接：" not in lines
    assert lines[-3:] == ["示例县人民政府", "2023年1月20日", "附件：统计表.xls"]
    assert page.removed["navigation"] == ["示例县2021年政府信息公开工作年度报告",
                                          "示例县2020年政府信息公开工作年度报告"]


def test_label_counts_answer_is_metadata_table_for_every_element():
    from pathlib import Path

    from extract.chrome import _label_counts, is_metadata_table
    from extract.page import parse_html

    sample = ("<div><table><tr><td>索引号：</td><td>X</td><td>发布机构：</td><td>Y</td></tr></table>"
              "<ul><li>索引号：1</li><li><span>发布机构</span>：县政府</li></ul>"
              "<div><p><span>文号：</span></p><div><span>名称：</span></div></div>"
              "<table><tr><td>" + "很长的正文" * 20 + "索引号</td><td>主题分类：</td></tr></table></div>")
    real = Path(__file__).resolve().parents[3] / "shared" / "realworld" / "pages"
    roots = [parse_html(f"<html><body>{sample}</body></html>")]
    roots += [parse_html(p.read_bytes().decode("utf-8", "replace")) for p in sorted(real.glob("*.html"))]
    for root in roots:
        body = root.find("body")
        labels = _label_counts(body, {})
        for el in body.iterdescendants():
            assert (labels.get(el, 0) >= 2) == is_metadata_table(el), el
    assert sum(n >= 2 for n in _label_counts(roots[0].find("body"), {}).values()) == 5
