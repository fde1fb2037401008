"""An article split into parts: the CMS cut the report into 2-3 pages of unequal length and
prints them as hidden sibling blocks with an in-article pager (第1页 第2页 下一页). Two
variants: inside a known CMS container (`#zoom`), or as bare sibling blocks of a generic
article div with no known container at all."""

from __future__ import annotations

from html import escape

from .. import chrome
from ..chrome import Detail
from ..portals import PortalSpec
from . import skeleton


def split(body_html: str, parts: int, seed: int) -> list[str]:
    """The report's top-level blocks (one per line of `body_html`) cut into unequal parts."""
    lines = body_html.split("\n")
    n = len(lines)
    cuts = sorted({max(1, min(n - 1, round(n * f))) for f in ((0.62, 0.85), (0.2, 0.7),
                                                                 (0.45, 0.9))[seed % 3][:parts - 1]})
    bounds = [0, *cuts, n]
    return ["\n".join(lines[a:b]) for a, b in zip(bounds, bounds[1:], strict=False) if a < b]


def pager(k: int) -> str:
    links = " ".join(f'<a href="javascript:showPage({i})">第{i}页</a>' for i in range(1, k + 1))
    return f'<p align="center">{links} <a href="javascript:nextPage()">下一页</a></p>'


def detail(p: PortalSpec, d: Detail, quirk: str = "", variant: int = 0) -> str:
    parts = split(d.body_html, 2 + d.article_id % 2, d.article_id)
    blocks = "".join(
        f'<div class="article-page" id="page{i + 1}"{"" if i == 0 else " style=display:none"}>'
        f"{part}</div>" for i, part in enumerate(parts))
    if variant == 0:  # inside the CMS container
        article = f'<div id="zoom">{blocks}{pager(len(parts))}</div>'
    else:  # bare siblings, no known container
        article = f'<div class="article-body">{blocks}</div>{pager(len(parts))}'
    trail = [("首页", "/"), ("信息公开", "/xxgk/"), (p.column_name, p.column_path)]
    body = (chrome.header(p.title, p.region[-3:], "paged") + '<div class="wrap">'
            + chrome.breadcrumb(trail, 1)
            + f'<div class="detail"><h2 class="detail-title">{escape(d.title)}</h2>'
            + chrome.info_bar(d, 0) + chrome.meta_table(d, 1) + article
            + chrome.share_tools() + "</div></div>"
            + chrome.footer(p.title, p.site_id, p.icp, p.police))
    head = chrome.meta_tags(p.title, p.domain, p.site_id, p.column_name, d) if d.meta else ""
    return skeleton(p, f"{d.title}_{p.title}", head, body, quirk)
