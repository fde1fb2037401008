"""Pagination families found in listing pages."""

from scrapy.http import HtmlResponse

from spiders.pagination import hanweb_requests, record_fragments, trs_pages


def response(url: str, body: str) -> HtmlResponse:
    return HtmlResponse(url, body=body.encode("utf-8"), encoding="utf-8")


def test_trs_create_page_html():
    r = response("http://x.gov.cn/xxgk/ndbg/index.html",
                 '<script>createPageHTML(4, 0, "index", "shtml");</script>')
    assert trs_pages(r) == [f"http://x.gov.cn/xxgk/ndbg/index_{k}.shtml" for k in (1, 2, 3)]


def test_trs_count_page_variable():
    r = response("http://x.gov.cn/xxgk/ndbg/index.html",
                 "<script>var currentPage = 0;//所在页从0开始\nvar countPage = 2//共多少页</script>")
    assert trs_pages(r) == ["http://x.gov.cn/xxgk/ndbg/index_1.html"]


HANWEB = """<div id="4567"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=3&path=/&columnid=1229&unitid=4567&webname=北仑&permissiontype=0"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href="/art/2021/1/25/art_1229_1.html" title="A">A</a></li>]]></record>
<record><![CDATA[<li><a href="/art/2021/1/25/art_1229_2.html">B</a></li>]]></record>
</recordset></datastore></script></div>
<script>$('#4567').jpage({proxyUrl:'/module/web/jpage/dataproxy.jsp', perPage: 2, totalRecord: 9});</script>"""


def test_hanweb_dataproxy_requests():
    r = response("http://x.gov.cn/col/col1229/index.html", HANWEB)
    assert len(record_fragments(HANWEB)) == 2
    requests = hanweb_requests(r, {"portal": "p"})
    assert [req.method for req in requests] == ["POST", "POST"]
    assert requests[0].url.endswith("dataproxy.jsp?startrecord=3&endrecord=8&perpage=2")
    assert requests[1].url.endswith("startrecord=9&endrecord=9&perpage=2")
    body = requests[0].body.decode()
    assert "columnid=1229" in body and "unitid=4567" in body and requests[0].meta["portal"] == "p"
