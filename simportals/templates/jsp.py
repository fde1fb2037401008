"""A CMS family nianbao has no rules for (a home-grown JSP site): columns
`/govinfo/list.jsp?cid=<column>[&uid=<unit>]`, pages `&pn=N` reached by 下一页 links, details
`/govinfo/doc.jsp?id=N`; no 指引 meta tags, no TRS/Hanweb/platform fingerprints."""

from __future__ import annotations

from html import escape

from .. import chrome
from ..chrome import Detail
from ..portals import PortalSpec
from . import skeleton


def _top(p: PortalSpec) -> str:
    return (f'<div class="jsp-head"><div class="logo">{escape(p.title)}</div><div class="menu">'
            '<a href="/">网站首页</a> <a href="/govinfo/index.jsp">政务公开</a> '
            '<a href="/service/index.jsp">办事服务</a></div></div>')


def listing(p: PortalSpec, items: list[tuple[str, str, str]], page: int, pages: int) -> str:
    rows = "".join(f'<div class="row"><a href="{h}">{escape(t)}</a><i>{d}</i></div>'
                   for t, h, d in items) or '<div class="row">暂无信息</div>'
    nav = []
    if page > 1:
        prev = p.column_path if page == 2 else f"{p.column_path}&pn={page - 1}"
        nav.append(f'<a href="{escape(prev)}">上一页</a>')
    if page < pages:
        nav.append(f'<a href="{escape(p.column_path)}&amp;pn={page + 1}">下一页</a>')
    pager = f'<div class="pg">第{page}页/共{pages}页 {" ".join(nav)}</div>'
    body = (_top(p) + f'<div class="wz">位置：政务公开 » {escape(p.column_name)}</div>'
            + f'<div class="lb"><div class="lbt">{escape(p.column_name)}</div>{rows}{pager}</div>'
            + chrome.footer(p.title, p.site_id, p.icp, p.police))
    return skeleton(p, f"{p.column_name}|{p.title}", "", body)


def detail(p: PortalSpec, d: Detail, quirk: str = "") -> str:
    body = (_top(p) + f'<div class="wz">位置：政务公开 » {escape(p.column_name)}</div>'
            + f'<div class="nr"><h1 class="nrt">{escape(d.title)}</h1>'
            + f'<div class="nrs">发布机构：{escape(d.agency)}　发布日期：{d.pubdate[:10]}</div>'
            + f'<div class="nrc" id="zoom">{d.body_html}</div></div>'
            + chrome.prev_next(d) + chrome.footer(p.title, p.site_id, p.icp, p.police))
    return skeleton(p, f"{d.title}-{p.title}", "", body, quirk)
