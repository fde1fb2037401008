"""Catalogue fields: title, issuing body, report year, dates, 索引号, 文号."""

import pytest

from extract import extract_page
from extract.metadata import find_date, iso_date, strip_site_suffix, title_agency, url_date


@pytest.mark.parametrize(("text", "iso"), [
    ("2016年12月30日", "2016-12-30"), ("2013.12.28", "2013-12-28"), ("二〇一七年三月一日", "2017-03-01"),
    ("二○一四年一月十日", "2014-01-10"), ("二O一四年十二月二十日", "2014-12-20"), ("（2010年3月10日）", "2010-03-10"),
], ids=["ymd", "dots", "chinese", "circle-zero", "letter-o", "parenthesised"])
def test_dates(text, iso):
    assert iso_date(text) == iso
    assert find_date(text)[0] == iso


def test_date_inside_a_sentence_is_not_a_signature():
    assert find_date("本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。") is None


@pytest.mark.parametrize(("url", "iso"), [
    ("http://x.gov.cn/zfxxgknb/201806/t20180626_123.html", "2018-06-26"),
    ("http://x.gov.cn/art/2018/6/26/art_1_2.html", "2018-06-26"),
    ("http://x.gov.cn/zhengce/content/2018-06/26/content_1.htm", "2018-06-26"),
    ("http://x.gov.cn/a/b.html", None),
], ids=["trs", "hanweb", "govcn", "none"])
def test_url_dates(url, iso):
    assert url_date(url) == iso


@pytest.mark.parametrize(("title", "agency"), [
    ("平潭综合实验区2023年度政府信息公开工作年度报告", "平潭综合实验区"),
    ("2019年上海市人民政府办公厅政府信息公开工作年度报告", "上海市人民政府办公厅"),
    ("示例县发展和改革局二〇一九年政府信息公开工作年度报告", "示例县发展和改革局"),
    ("2020年示例县人民政府信息公开工作年度报告", "示例县人民政府"),
], ids=["org-year", "year-org", "chinese-year", "renmin"])
def test_title_agency(title, agency):
    assert title_agency(title) == agency


def test_site_suffix_removed():
    assert strip_site_suffix("示例县2022年政府信息公开工作年度报告_政府信息公开年报_平潭综合实验区",
                             page_title=True) == "示例县2022年政府信息公开工作年度报告"


def test_title_prefers_article_title_meta(make_page, report_body):
    head = '<meta name="ArticleTitle" content="示例县2021年政府信息公开\n  工作年度报告">'
    page = extract_page(make_page(f'<div class="TRS_Editor">{report_body}</div>', head=head,
                                  title="首页_示例县人民政府"))
    assert page.title == "示例县2021年政府信息公开工作年度报告"
    assert page.year == 2021


def test_year_is_report_year_not_publish_year(make_page, report_body):
    head = '<meta name="PubDate" content="2023-01-18 09:30">'
    page = extract_page(make_page(f'<div class="TRS_Editor">{report_body}</div>', head=head))
    assert (page.year, page.published) == (2022, "2023-01-18")


def test_year_from_statistics_period_when_title_has_none(make_page, report_body):
    page = extract_page(make_page(f'<div class="TRS_Editor">{report_body}</div>',
                                  title="示例县政府信息公开工作年度报告"))
    assert page.year == 2022


def test_info_bar_and_url_dates(make_page, report_body):
    body = f'<div class="info">发布日期：2022年01月25日 来源：示例县</div><div class="TRS_Editor">{report_body}</div>'
    assert extract_page(make_page(body)).published == "2022-01-25"
    url = "http://x.gov.cn/zfxxgknb/202301/t20230118_1.html"
    assert extract_page(make_page(f'<div class="TRS_Editor">{report_body}</div>'), url=url).published \
        == "2023-01-18"


def test_agency_from_signature_when_title_has_no_body(make_page, report_body):
    body = (f'<div class="TRS_Editor">{report_body}<p>示例县交通运输局</p><p>2023年1月16日</p></div>')
    page = extract_page(make_page(body, title="2022年政府信息公开工作年度报告"))
    assert page.agency == "示例县交通运输局"
    assert page.signed == "2023-01-16"


def test_title_elements_are_what_the_title_xpath_selects():
    from pathlib import Path

    from extract.metadata import _title_elements
    from extract.page import parse_html

    xpath = ("//*[contains(@class,'article_title') or contains(@class,'article-title') or "
             "contains(@class,'Article-title') or contains(@class,'detail-title') or "
             "contains(@class,'news_title') or contains(@class,'con-title')]|//ucaptitle|//h1")
    pages = ["<h1 class='x'>a</h1><div class='news_title con-title'>b<h1>c</h1></div>"
             "<ucaptitle>d</ucaptitle><span class='Article-titles'>e</span><p class='ARTICLE_TITLE'>f"
             "</p><!-- g --><b class='detail-title'>h</b><i id='article_title'>i</i>"]
    real = Path(__file__).resolve().parents[3] / "shared" / "realworld" / "pages"
    roots = [parse_html(f"<html><body>{p}</body></html>") for p in pages]
    roots += [parse_html(p.read_bytes().decode("utf-8", "replace")) for p in sorted(real.glob("*.html"))]
    for root in roots:
        assert _title_elements(root) == root.xpath(xpath)
    assert [el.text for el in _title_elements(roots[0])] == ["a", "b", "c", "d", "e", "h"]


def test_whitespace_the_field_scan_skips_is_what_clean_line_empties():
    import sys

    from extract.text import clean_line

    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert all(clean_line(c * 3) == "" for c in spaces)
