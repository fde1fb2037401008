"""Old table-layout pages (FrontPage/早期 CMS, before ~2015): the whole page is nested
`<table>`s, the body text sits directly in a `<td>` inside `<font>` with `<br>` line breaks,
navigation and a news box fill other cells, no class names tell them apart, and the charset is
declared only in a GB2312 `<meta>` (the server sends no charset)."""

from __future__ import annotations

import re
from html import escape

from ..chrome import Detail
from ..portals import PortalSpec

ENCODING = "gb18030"  # what the bytes are; the page declares gb2312, as such sites do
_P = re.compile(r"<p\b[^>]*>(.*?)</p>", re.S)
_TAG = re.compile(r"<(?!/?(?:table|tbody|tr|td|th)\b)[^>]+>")


def _font_lines(body_html: str) -> str:
    """Report paragraphs as <br>-separated lines in one <font>; tables stay tables."""
    out = []
    for chunk in re.split(r"(<table\b.*?</table>)", body_html, flags=re.S):
        if chunk.startswith("<table"):
            out.append("</font>" + chunk + '<font size="3">')
            continue
        for inner in _P.findall(chunk):
            text = _TAG.sub("", inner).strip()
            if text:
                out.append("&nbsp;&nbsp;&nbsp;&nbsp;" + text + "<br>")
    return '<font size="3">' + "".join(out) + "</font>"


def detail(p: PortalSpec, d: Detail, quirk: str = "") -> str:
    nav = " | ".join(f'<a href="/{k}/">{n}</a>' for k, n in (
        ("index", "首页"), ("zwgk", "政务公开"), ("bsfw", "办事服务"), ("hdjl", "互动交流"),
        ("zjxq", "走进" + p.region[-3:])))
    news = "".join(f'<tr><td>·<a href="/news/{i}.html">{escape(t)}</a></td><td>{day}</td></tr>'
                   for i, (t, day) in enumerate((
                       ("县政府召开常务会议研究部署重点工作", "03-12"),
                       ("全县安全生产工作会议召开", "03-08"),
                       ("我县开展植树造林志愿服务活动", "03-05"))))
    return f"""<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{escape(p.title)}--{escape(d.title)}</title>
</head>
<body bgcolor="#FFFFFF" leftmargin="0" topmargin="0">
<table width="778" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td height="90" background="/images/top.jpg"><font color="#FFFFFF" size="5"><b>{escape(p.title)}</b></font></td></tr>
<tr><td height="26" bgcolor="#A50000" align="center"><font color="#FFFFFF">{nav}</font></td></tr>
</table>
<table width="778" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td width="200" valign="top">
<table width="100%" border="0" cellspacing="0" cellpadding="2">
<tr><td bgcolor="#EEEEEE"><b>新闻动态</b></td><td></td></tr>{news}
</table>
<table width="100%" border="0"><tr><td><a href="/xxgk/">政府信息公开</a><br><a href="/xxgk/zn/">信息公开指南</a><br>
<a href="/xxgk/ndbg/">信息公开年报</a><br><a href="/xxgk/ysq/">依申请公开</a></td></tr></table>
</td>
<td width="578" valign="top">
<table width="100%" border="0" cellspacing="0" cellpadding="4">
<tr><td>您现在的位置：<a href="/">首页</a> &gt;&gt; <a href="/xxgk/">政务公开</a> &gt;&gt; 信息公开年报</td></tr>
<tr><td align="center" height="40"><font size="4" color="#A50000"><b>{escape(d.title)}</b></font></td></tr>
<tr><td align="center"><font color="#666666">索引号：{d.index_no}&nbsp;&nbsp;发布日期：{d.pubdate[:10]}&nbsp;&nbsp;来源：{escape(d.source)}&nbsp;&nbsp;点击数：<script>document.write(hits)</script></font></td></tr>
<tr><td height="1" bgcolor="#CCCCCC"></td></tr>
<tr><td valign="top">{_font_lines(d.body_html)}</td></tr>
<tr><td align="right"><a href="javascript:window.print()">【打印此页】</a> <a href="javascript:window.close()">【关闭窗口】</a></td></tr>
</table>
</td></tr>
</table>
<table width="778" border="0" align="center"><tr><td align="center" bgcolor="#EEEEEE">
版权所有：{escape(p.title)}　地址：{escape(p.region)}人民路1号　邮编：231300<br>
{escape(p.icp)}　网站标识码：{p.site_id}</td></tr></table>
</body>
</html>
"""
