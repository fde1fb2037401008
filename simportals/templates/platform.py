"""Platform-style pages (Anhui 政务公开 platform / 集约化 sites): listings `…/page_N.html` or
`list.html?page=N` with 首页/上一页/下一页/尾页 anchors, details with a 索引号/组配分类 list."""

from __future__ import annotations

from html import escape

from .. import chrome
from ..chrome import Detail
from ..portals import PortalSpec
from . import skeleton


def page_href(p: PortalSpec, n: int) -> str:
    if p.column_path.endswith("page_1.html"):
        return f"page_{n}.html"
    return f"{p.column_path.rsplit('/', 1)[1]}?page={n}"


def _trail(p: PortalSpec) -> list[tuple[str, str]]:
    return [("首页", "/"), ("政务公开", "/OpennessContent/"), (p.column_name, p.column_path)]


def listing(p: PortalSpec, items: list[tuple[str, str, str]], page: int, pages: int, total: int,
            extra: list[tuple[str, str]], quirk: str = "") -> str:
    rows = "\n".join(f'<tr><td class="title"><a href="{h}" title="{escape(t)}">{escape(t)}</a></td>'
                     f'<td class="date">{d}</td></tr>' for t, h, d in items)
    nav = [f'<a href="{page_href(p, 1)}">首页</a>']
    if page > 1:
        nav.append(f'<a href="{page_href(p, page - 1)}">上一页</a>')
    if page < pages:
        nav.append(f'<a href="{page_href(p, page + 1)}">下一页</a>')
    nav.append(f'<a href="{page_href(p, pages)}">尾页</a>')
    pager = f'<div class="pagination">{" ".join(nav)} <span>共{total}条 {page}/{pages}页</span></div>'
    body = (chrome.header(p.title, p.title[-4:], "platform")
            + f'<div class="container">{chrome.breadcrumb(_trail(p), 1)}'
            + f'<div class="openness-list"><h2>{p.column_name}</h2><table class="list">'
            + f"<tr><th>标题</th><th>发布日期</th></tr>\n{rows}\n</table>{pager}</div>"
            + chrome.related(extra, "友情链接") + "</div>"
            + chrome.footer(p.title, p.site_id, p.icp, p.police))
    return skeleton(p, f"{p.column_name}-{p.title}", "", body, quirk)


def detail(p: PortalSpec, d: Detail, quirk: str = "") -> str:
    body = (chrome.header(p.title, p.title[-4:], "platform")
            + f'<div class="container">{chrome.breadcrumb(_trail(p), 1)}'
            + '<div class="openness-detail">' + chrome.meta_table(d, 2)
            + f'<h1 class="newstitle">{escape(d.title)}</h1>' + chrome.info_bar(d, 0)
            + f'<div class="newscontent" id="zoom"><div class="wzcon j-fontContent">{d.body_html}'
            + "</div></div>"
            + '<div class="feedback">政策咨询：如您对本信息有疑问，请您对该政策的制定及执行提出宝贵的意见或建议。'
            + "</div>"
            + chrome.share_tools() + chrome.prev_next(d) + "</div>"
            + chrome.related(d.related) + "</div>"
            + chrome.footer(p.title, p.site_id, p.icp, p.police))
    head = chrome.meta_tags(p.title, p.domain, p.site_id, p.column_name, d) if d.meta else ""
    return skeleton(p, f"{d.title}-{p.title}", head, body, quirk)
