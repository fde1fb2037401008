"""Home pages and 信息公开 pages of the testbed's portals, so that discovery can start where a
person does (`/`) and reach each report column through the site's own navigation; the
section page is the one every listing's breadcrumb already names."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from .templates import skeleton

if TYPE_CHECKING:
    from .testbed import Testbed

HOME = ("/", "/index.html")
SECTION = {"trs": ("/xxgk/", "信息公开"), "hanweb": ("/col/col1229001/index.html", "政府信息公开"),
           "platform": ("/OpennessContent/", "政务公开")}


def _page(tb: Testbed, portal: str, title: str, blocks: list[tuple[str, list[tuple[str, str]]]]) -> str:
    p = tb.by_name[portal]
    section, label = SECTION[p.cms]
    menu = [("首页", "/"), (label, section), ("政务服务", "/zwfw/"), ("互动交流", "/hdjl/")]
    head = "\n".join(f'<meta name="{k}" content="{escape(v)}">' for k, v in (
        ("SiteName", p.title), ("SiteDomain", p.domain), ("SiteIDCode", p.site_id)))
    body = ('<div class="header"><ul class="nav">'
            + "".join(f'<li><a href="{h}">{escape(t)}</a></li>' for t, h in menu) + "</ul></div>"
            + "".join(f'<div class="block"><h3>{escape(cap)}</h3><ul>'
                      + "".join(f'<li><a href="{escape(h)}">{escape(t)}</a></li>' for t, h in links)
                      + "</ul></div>" for cap, links in blocks)
            + f'<div class="footer">主办单位：{escape(p.title)}　网站标识码：{p.site_id}</div>')
    return skeleton(p, title, head, body)


def render(tb: Testbed, portal: str, bare: str) -> str | None:
    """The HTML of a portal's home or 信息公开 page, or None for any other path."""
    p = tb.by_name[portal]
    if p.cms not in SECTION:
        return None
    section, label = SECTION[p.cms]
    if bare in HOME:
        latest = next((i for i in tb.columns[portal] if i.spec is not None), None)
        news = [(latest.title, latest.path)] if latest else []
        return _page(tb, portal, p.title, [("最新公开", news), (label, [(label, section)])])
    if bare == section:
        return _page(tb, portal, f"{label}_{p.title}", [(label, [
            ("政府信息公开指南", "/xxgk/zn/"), ("法定主动公开内容", "/xxgk/fdzdgknr/"),
            (p.column_name, p.column_path)])])
    return None
