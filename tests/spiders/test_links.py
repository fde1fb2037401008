"""Report titles, attachments and pagination links as portals print them."""

import pytest

from crawler.documents import attachment_extension
from spiders.links import is_pagination_link, is_report_title


@pytest.mark.parametrize("title", [
    "宁波市北仑区2022年政府信息公开工作年度报告",
    "平潭综合实验区2019年度政府信息公开工作年度报告",
    "新碶街道2021年政务公开工作年度报告",
    "某县二〇一七年政府信息公开工作年度报告",
    "沭阳县发展和改革局2023年政府信息公开年度报告",
])
def test_report_titles(title):
    assert is_report_title(title)


@pytest.mark.parametrize("title", [
    "北仑区召开2023年政务公开工作推进会",
    "关于2014年政府信息公开工作要点落实情况的函",
    "政府信息公开指南",
    "",
])
def test_not_report_titles(title):
    assert not is_report_title(title)


@pytest.mark.parametrize("url, ext", [
    ("http://x.gov.cn/xxgk/ndbg/202003/P020200302.pdf", ".pdf"),
    ("http://x.gov.cn/module/download/downfile.jsp?classid=0&filename=2021年报.docx", ".docx"),
    ("http://x.gov.cn/a.XLS", ".xls"),
    ("http://x.gov.cn/ndbg/2023年报.odt", ".odt"),
    ("http://x.gov.cn/down.jsp?fileName=2019年报.ods", ".ods"),
    ("http://x.gov.cn/scan/P0201902.TIF", ".tif"),
    ("http://x.gov.cn/scan/P0201902.tiff", ".tiff"),
    ("http://x.gov.cn/a.html", None),
])
def test_attachment_extension(url, ext):
    assert attachment_extension(url) == ext


def test_pagination_links():
    assert is_pagination_link("http://x/xxgk/ndbg/index_3.html", "3")
    assert is_pagination_link("http://x/list/page_2.html", None)
    assert is_pagination_link("http://x/list?page=4", None)
    assert is_pagination_link("http://x/list/whatever.html", "下一页")
    assert not is_pagination_link("http://x/xxgk/ndbg/202003/t20200302_1.html", "报告")


def test_attachment_prefilter():
    from spiders.links import may_link_attachments

    assert may_link_attachments('<a href="P020200302.PDF">附件</a>'.encode())
    assert may_link_attachments(b'<a href="/module/download/downfile.jsp?filename=a">x</a>')
    assert may_link_attachments(b'<a href="/ndbg/P0201902.tif">scan</a>')
    assert may_link_attachments(b'<a href="/ndbg/2023.odt">odt</a>')
    assert not may_link_attachments("<p>政府信息公开工作年度报告</p>".encode("gbk"))


def test_embedded_documents_are_attachments():
    """Issue 12: a document shown in the page (iframe, embed, object, pdf.js viewer) is an
    attachment; counters, maps and viewer shells without a file are not."""
    from spiders.links import embedded_documents

    page = """<html><body>
    <iframe src="/upload/2023nb.pdf"></iframe>
    <embed src="../files/report.PDF" type="application/pdf">
    <object data="/download?id=7" type="application/pdf"></object>
    <iframe src="/pdfjs/web/viewer.html?file=%2Fgroup1%2FM00%2Fnb2022.pdf"></iframe>
    <iframe src="/module/visitcount/visit.jsp?type=3&amp;i_webid=15"></iframe>
    <iframe src="/generic/web/viewer.html?file={{qzbFile}}"></iframe>
    <iframe src="https://map.example.com/embed?x=1"></iframe>
    </body></html>"""
    found = [url for url, _ in embedded_documents(page, "http://x.gov.cn/xxgk/ndbg/t1.html")]
    assert found == ["http://x.gov.cn/upload/2023nb.pdf", "http://x.gov.cn/xxgk/files/report.PDF",
                     "http://x.gov.cn/download?id=7", "http://x.gov.cn/group1/M00/nb2022.pdf"]
