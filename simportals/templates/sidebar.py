"""A generic layout: the body in `div.content` inside `div.main`, beside a 相关链接 sidebar of
long report titles, under a heading and an info line, over a long footer of plain paragraphs
(no class names an extractor knows, no 政府网站 meta tags)."""

from __future__ import annotations

from html import escape

from ..chrome import Detail
from ..portals import PortalSpec
from . import skeleton


def detail(p: PortalSpec, d: Detail, quirk: str = "") -> str:
    related = "".join(f'<li><a href="{h}">{escape(t)}</a></li>' for t, h in d.related) or \
        '<li><a href="/xxgk/">政府信息公开指南</a></li>'
    footer = (f"<p>{escape(p.title)}主办　{escape(p.title)}办公室承办　地址：{escape(p.region)}政务中心</p>"
              "<p>本网站所有内容，未经许可不得转载。为获得最佳浏览效果，请使用1280×800以上分辨率。</p>"
              f"<p>{escape(p.icp)}　公网安备{escape(p.police)}　网站标识码：{p.site_id}</p>"
              "<p>联系电话：0550-1234567　传真：0550-7654321　电子邮箱：zwgk@example.gov.cn</p>")
    body = (f'<div class="head"><div class="logo">{escape(p.title)}</div><div class="menu">'
            '<a href="/">首页</a><a href="/zwgk/">政务公开</a><a href="/bsfw/">办事服务</a>'
            '<a href="/hdjl/">互动交流</a></div></div>'
            '<div class="main"><div class="left">'
            f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">政务公开</a></div>'
            f"<h1>{escape(d.title)}</h1>"
            f'<div class="attr">索引号：{d.index_no}　发布日期：{d.pubdate[:10]}　来源：{escape(d.source)}</div>'
            f'<div class="content">{d.body_html}</div></div>'
            f'<div class="right"><h3>相关链接</h3><ul>{related}</ul></div></div>'
            f'<div class="bottom">{footer}</div>')
    return skeleton(p, f"{d.title} - {p.title}", "", body, quirk)
