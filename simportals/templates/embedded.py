"""Report pages whose report is only a document shown in the page: an `<iframe>`, `<embed>`,
`<object>` or a pdf.js viewer (`viewer.html?file=…`), with or without a 附件 link under it.
Returns the body that goes into the portal's own detail template."""

from __future__ import annotations

from html import escape
from urllib.parse import quote

VIEWS = ("link", "iframe", "embed", "object", "viewer")


def body(href: str, name: str, view: str, with_link: bool) -> str:
    src = escape(href)
    shown = {
        "link": "",
        "iframe": f'<iframe src="{src}" width="100%" height="900" frameborder="0"></iframe>',
        "embed": f'<embed src="{src}" type="application/pdf" width="100%" height="900">',
        "object": (f'<object data="{src}" type="application/pdf" width="100%" height="900">'
                   "<p>您的浏览器不支持在线阅读。</p></object>"),
        "viewer": (f'<iframe src="/pdfjs/web/viewer.html?file={escape(quote(href, safe="/"))}" '
                   'width="100%" height="900"></iframe>'),
    }[view]
    link = (f'<p style="text-indent:2em">附件：<a href="{src}" target="_blank">{escape(name)}</a></p>'
            if with_link or view == "link" else "")
    return f'<div class="pdf-view">{shown}</div>{link}' if shown else link
