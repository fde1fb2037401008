"""Page templates, one module per CMS family.  Each returns an HTML string; the testbed
encodes it in the portal's charset."""

from __future__ import annotations

from html import escape

from ..portals import PortalSpec


def charset_meta(p: PortalSpec, quirk: str = "") -> str:
    """The charset declaration: right on most pages; wrong or missing on a few GBK pages."""
    if quirk == "missing":
        return ""
    if quirk == "wrong":
        return '<meta charset="utf-8">'
    if p.encoding == "gbk":
        return '<meta http-equiv="Content-Type" content="text/html; charset=GBK">'
    return '<meta charset="utf-8">'


def skeleton(p: PortalSpec, title: str, head: str, body: str, quirk: str = "",
             css: tuple[str, ...] = ("/css/style.css",)) -> str:
    links = "".join(f'<link rel="stylesheet" type="text/css" href="{c}">' for c in css)
    return (f"<!DOCTYPE html>\n<html>\n<head>\n{charset_meta(p, quirk)}\n"
            '<meta http-equiv="X-UA-Compatible" content="IE=edge">\n'
            f"<title>{escape(title)}</title>\n{head}\n{links}\n"
            '<script type="text/javascript" src="/js/common.js"></script>\n</head>\n'
            f"<body>\n{body}\n</body>\n</html>\n")
