"""大汉 Hanweb jcms-style pages: column `/col/colNNN/index.html` whose first records sit in a
`<script type="text/xml">` datastore and whose later pages come from a POST to
`/module/web/jpage/dataproxy.jsp`; articles `/art/Y/M/D/art_<col>_<id>.html`."""

from __future__ import annotations

from html import escape

from .. import chrome
from ..chrome import Detail
from ..portals import PortalSpec
from . import skeleton

PROXY = "/module/web/jpage/dataproxy.jsp"


def record(title: str, href: str, date: str) -> str:
    return (f'<record><![CDATA[<li><a href="{href}" target="_blank" title="{escape(title)}">'
            f'{escape(title)}</a><span class="bt-data-time">{date}</span></li>]]></record>')


def datastore(items: list[tuple[str, str, str]], total: int, per_page: int) -> str:
    pages = max(1, -(-total // per_page))
    recs = "".join(record(*it) for it in items)
    return (f"<datastore><totalrecord>{total}</totalrecord><totalpage>{pages}</totalpage>"
            f"<recordset>{recs}</recordset></datastore>")


def proxy_xml(items: list[tuple[str, str, str]], total: int, per_page: int) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + datastore(items, total, per_page)


def _trail(p: PortalSpec) -> list[tuple[str, str]]:
    return [("首页", "/index.html"), ("政府信息公开", "/col/col1229001/index.html"),
            (p.column_name, p.column_path)]


def column(p: PortalSpec, first: list[tuple[str, str, str]], total: int,
           extra: list[tuple[str, str]]) -> str:
    ds = datastore(first, total, p.per_page)
    js = f"""<script type="text/xml">{ds}</script>
<script language="javascript" src="/module/jpage/layout.js"></script>
<script>
$('#4523456').jpage({{ dataStore: dataStore, perPage: {p.per_page}, totalRecord: {total}, groupSize: 3,
  proxyUrl: '{PROXY}',
  ajaxParam: {{ col: 1, appid: 1, webid: 15, path: '/', columnid: {p.col_id}, sourceContentType: 1,
    unitid: 7654321, webname: '{p.title}', permissiontype: 0 }} }});
</script>"""
    body = (chrome.header(p.title, p.region[-3:], "hanweb")
            + f'<div class="container">{chrome.breadcrumb(_trail(p), 1)}'
            + f'<div class="lmy_right"><div class="lmy_title">{p.column_name}</div>'
            + f'<div id="4523456" class="default_pgContainer">{js}</div></div>'
            + chrome.related(extra, "相关阅读") + "</div>"
            + chrome.footer(p.title, p.site_id, p.icp, p.police))
    head = chrome.meta_tags(p.title, p.domain, p.site_id, p.column_name, None)
    return skeleton(p, f"{p.title} {p.column_name}", head, body, css=("/css/hanweb.css",))


def detail(p: PortalSpec, d: Detail, quirk: str = "") -> str:
    meta = chrome.meta_table(d, 1)
    article = (f"<!--ZJEG_RSS.content.begin--><meta name=\"ContentStart\">{d.body_html}"
               "<meta name=\"ContentEnd\"><!--ZJEG_RSS.content.end-->")
    printcopy = ""
    if d.print_copy:
        printcopy = (f'<div id="printContent" style="display:none">{meta}'
                     f'<div class="print-title">{escape(d.title)}</div>{d.body_html}</div>')
    body = (chrome.header(p.title, p.region[-3:], "hanweb")
            + f'<div class="container">{chrome.breadcrumb(_trail(p), 1)}'
            + f'<div class="main"><div class="wzy_cont">{meta}'
            + f'<table width="100%" id="c"><tr><td align="center" class="title">{escape(d.title)}'
            + f"</td></tr><tr><td>{chrome.info_bar(d, 1)}</td></tr>"
            + f'<tr><td class="bt_content"><div id="zoom">{article}</div></td></tr></table>'
            + chrome.share_tools() + chrome.prev_next(d) + printcopy + "</div></div>"
            + chrome.related(d.related) + "</div>"
            + chrome.footer(p.title, p.site_id, p.icp, p.police)
            + f"<iframe src=\"/module/visitcount/visit.jsp?type=3&i_webid=15&i_columnid={p.col_id}"
            + f'&i_articleid={d.article_id}" style="display:none"></iframe>')
    head = (f"<meta name='Maketime' content='{d.pubdate}:00'>\n"
            + (chrome.meta_tags(p.title, p.domain, p.site_id, p.column_name, d) if d.meta else "")
            + f'\n<meta name="i_columnid" content="{p.col_id}">'
            + f'\n<meta name="i_articleid" content="{d.article_id}">')
    return skeleton(p, d.title, head, body, quirk, css=("/css/hanweb.css",))
