"""Which page layout family a report's detail page is rendered in.

Portals keep old pages in old templates and run sub-sites on other CMSs, so besides its own
CMS template (trs, hanweb, platform) a portal serves report pages in the layout families of
issue 12: `oldtable`, `paged` (in a CMS container or as bare siblings), `sidebar`,
`metalist` (lists outside or inside the container); an attachment-only report shows its document
through `embedded` (iframe, embed, object or a pdf.js viewer, with or without a 附件 link).
The family depends on the report and the portal only, so it is the same in every epoch.
"""

from __future__ import annotations

import hashlib

from .chrome import Detail
from .portals import PortalSpec
from .templates import embedded, metalist, oldtable, paged, sidebar

# (family, share of a portal's HTML reports out of 10)
FAMILIES = (("cms", 4), ("oldtable", 1), ("paged-cms", 1), ("paged-bare", 1), ("sidebar", 1),
            ("metalist-out", 1), ("metalist-in", 1))
_WHEEL = [name for name, share in FAMILIES for _ in range(share)]


def _draw(key: str, portal: str) -> int:
    return int.from_bytes(hashlib.md5(f"layout:{key}:{portal}".encode()).digest()[:4])


def family(key: str, portal: str, published_as: str, quirk: str = "", encoding: str = "gbk") -> str:
    """The layout family of one report page on `portal` (a family name: copies of a portal
    lay a report out alike). Charset-quirk pages keep their CMS template; old table pages are
    GB-encoded, so only GBK portals keep such pages."""
    draw = _draw(key, portal)
    if published_as != "html":
        views = embedded.VIEWS[1:]  # a PDF is shown in the page; other formats only linked
        view = views[draw % len(views)] if published_as == "pdf" else "link"
        return f"embedded-{view}" + ("+link" if view != "link" and draw // 8 % 2 else "")
    picked = _WHEEL[draw % len(_WHEEL)]
    return "cms" if quirk or (picked == "oldtable" and encoding != "gbk") else picked


def attachment_body(fam: str, href: str, name: str) -> str:
    if not fam.startswith("embedded-"):
        return embedded.body(href, name, "link", True)
    view = fam.removeprefix("embedded-").removesuffix("+link")
    return embedded.body(href, name, view, fam.endswith("+link"))


def render(fam: str, p: PortalSpec, d: Detail, quirk: str, cms) -> tuple[str, str | None]:
    """(html, encoding override or None) of a detail page in family `fam`."""
    if fam == "oldtable":
        return oldtable.detail(p, d, quirk), oldtable.ENCODING
    if fam.startswith("paged"):
        return paged.detail(p, d, quirk, variant=fam != "paged-cms"), None
    if fam == "sidebar":
        return sidebar.detail(p, d, quirk), None
    if fam.startswith("metalist"):
        return metalist.detail(p, d, quirk, variant=fam == "metalist-in"), None
    return cms.detail(p, d, quirk), None


