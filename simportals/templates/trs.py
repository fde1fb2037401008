"""TRS WCM-style pages: static column `index.html`, `index_1.html` … with `createPageHTML`,
detail pages `./YYYYMM/tYYYYMMDD_<id>.html` with a `TRS_Editor` body."""

from __future__ import annotations

from html import escape

from .. import chrome
from ..chrome import Detail
from ..portals import PortalSpec
from . import skeleton

Item = tuple[str, str, str]  # (title, href, date)


def _trail(p: PortalSpec) -> list[tuple[str, str]]:
    return [("首页", "/"), ("信息公开", "/xxgk/"), (p.column_name, p.column_dir + "index.html")]


def listing(p: PortalSpec, items: list[Item], page: int, pages: int,
            extra: list[tuple[str, str]]) -> str:
    rows = "\n".join(
        f'<li><span class="date">{d}</span><a href="{h}" target="_blank" title="{escape(t)}">'
        f"{escape(t)}</a></li>" for t, h, d in items)
    script = f"""<script language="JavaScript" type="text/javascript">
var currentPage = {page};//所在页从0开始
var countPage = {pages}//共多少页
createPageHTML({pages}, {page}, "index", "html");
</script>"""
    body = (chrome.header(p.title, p.region[-3:], "trs") + '<div class="container">'
            + chrome.breadcrumb(_trail(p), 2)
            + chrome.sidebar([("政府信息公开指南", "/xxgk/zn/"), ("政府信息公开制度", "/xxgk/zd/"),
                              ("法定主动公开内容", "/xxgk/fdzdgknr/"), (p.column_name, "./")],
                             "信息公开")
            + f'<div class="list-right"><h2>{p.column_name}</h2><ul class="gl_list">\n{rows}\n</ul>'
            + f'<div class="page">{script}</div></div>'
            + chrome.related(extra, "相关阅读") + "</div>"
            + chrome.footer(p.title, p.site_id, p.icp, p.police))
    head = chrome.meta_tags(p.title, p.domain, p.site_id, p.column_name, None)
    return skeleton(p, f"{p.column_name}_{p.title}", head, body)


def detail(p: PortalSpec, d: Detail, quirk: str = "") -> str:
    body = (chrome.header(p.title, p.region[-3:], "trs") + '<div class="container">'
            + chrome.breadcrumb(_trail(p), 0)
            + f'<div class="article"><h1 class="article-title">{escape(d.title)}</h1>'
            + chrome.info_bar(d, 0) + chrome.meta_table(d, 0)
            + '<div class="article-con" id="zoom"><div class="TRS_Editor">'
            + '<div class="trs_editor_view TRS_UEDITOR trs_paper_default trs_word">'
            + d.body_html + "</div></div></div>"
            + chrome.share_tools() + chrome.prev_next(d) + "</div>"
            + chrome.related(d.related) + "</div>"
            + chrome.footer(p.title, p.site_id, p.icp, p.police))
    head = chrome.meta_tags(p.title, p.domain, p.site_id, p.column_name, d) if d.meta else ""
    head += f'\n<meta name="Url" content="http://{p.domain}{d.url}">'
    return skeleton(p, f"{d.title}_{p.column_name}_{p.title}", head, body, quirk)
