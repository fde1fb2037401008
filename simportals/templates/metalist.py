"""Metadata as lists: 索引号/发布机构/生成日期/文号/主题分类 as a `<dl>` above the body and a
`<ul><li>` below it; in one variant both sit inside the body container (`.TRS_UEDITOR`)."""

from __future__ import annotations

from html import escape

from .. import chrome
from ..chrome import Detail
from ..portals import PortalSpec
from . import skeleton


def _dl(d: Detail) -> str:
    pairs = (("索引号", d.index_no), ("发布机构", d.agency), ("生成日期", d.written or ""),
             ("发布日期", d.pubdate[:10]))
    return "<dl class=\"zwgk-attr\">" + "".join(f"<dt>{k}</dt><dd>{escape(v)}</dd>" for k, v in pairs) \
        + "</dl>"


def _ul(d: Detail) -> str:
    pairs = (("文号", d.doc_no or "无"), ("主题分类", "综合政务"), ("公开方式", "主动公开"))
    return "<ul class=\"zwgk-more\">" + "".join(f"<li>{k}：{escape(v)}</li>" for k, v in pairs) + "</ul>"


def detail(p: PortalSpec, d: Detail, quirk: str = "", variant: int = 0) -> str:
    trail = [("首页", "/"), ("政务公开", "/zwgk/"), (p.column_name, p.column_path)]
    if variant == 0:
        article = (_dl(d) + f'<h1 class="con-title">{escape(d.title)}</h1>'
                   + f'<div class="TRS_UEDITOR">{d.body_html}</div>' + _ul(d))
    else:
        article = (f'<h1 class="con-title">{escape(d.title)}</h1>'
                   + f'<div class="TRS_UEDITOR">{_dl(d)}{d.body_html}{_ul(d)}</div>')
    body = (chrome.header(p.title, p.region[-3:], "metalist") + '<div class="container">'
            + chrome.breadcrumb(trail, 2) + f'<div class="zwgk-detail">{article}'
            + chrome.prev_next(d) + "</div>" + chrome.related(d.related) + "</div>"
            + chrome.footer(p.title, p.site_id, p.icp, p.police))
    head = chrome.meta_tags(p.title, p.domain, p.site_id, p.column_name, d) if d.meta else ""
    return skeleton(p, f"{d.title}-{p.title}", head, body, quirk)
