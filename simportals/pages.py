"""Route a (portal, path) to its rendered bytes: listings, the Hanweb data proxy, details,
attachments, robots.txt, assets, the disallowed site search and the spam mirror."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from . import attachments, homepages, layouts
from .chrome import Detail, body_stamp
from .portals import CASINO_BRANDS
from .render_report import report_html
from .templates import hanweb, platform, skeleton, trs

if TYPE_CHECKING:
    from .testbed import Item, Testbed

BRANDS = CASINO_BRANDS
ROBOTS = "User-agent: *\nDisallow: /search/\nDisallow: /module/visitcount/\nDisallow: /internal/\n"
# A report draft every listing links, under a path robots.txt disallows: a crawler that ignores
# robots.txt fetches and catalogues it; it is in no ground truth (issue 11).
DRAFT = "/internal/ndbg/draft.html"
DRAFT_MARK = "（征求意见稿）"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000100ffff03000006000557bfabd4"
                    "0000000049454e44ae426082")
ASSETS = {"/robots.txt": ("text/plain", ROBOTS.encode()),
          "/css/style.css": ("text/css", b"body{font-family:SimSun;}.gl_list li{line-height:32px}"),
          "/css/hanweb.css": ("text/css", b".bt_content{line-height:28px}"),
          "/js/common.js": ("application/javascript",
                            b"function createPageHTML(n,c,p,e){/* pager */}"),
          "/module/jpage/layout.js": ("application/javascript", b"/* jpage */"),
          "/images/logo.png": ("image/png", PNG)}
_ASSET_WHEN = "2020-01-01 00:00"
TRAP = "/xxgk/rl/"  # an endless calendar (spider trap), from epoch 1 on
PAGER_TRAP = "xinqi"  # and its listing's pager never ends (empty pages, each with 下一页)
Rendered = tuple[int, str, bytes, str]

_OTHER_TEXT = {
    "news": ("会议传达了上级关于政务公开工作的部署要求，总结了上一阶段工作，安排了下一步重点任务。",
             "会议强调，要进一步提高思想认识，压实工作责任，推动政务公开工作再上新台阶。"),
    "interpretation": ("为便于公众理解，现对年度报告的主要内容解读如下。",
                       "一、报告的编制依据和主要框架。二、主动公开工作的主要亮点。三、下一步工作打算。"),
    "letter": ("各有关单位：", "根据年度政务公开工作安排，现将有关工作要点的落实情况函告如下，请结合实际抓好落实。",
               "特此函告。"),
    "graphic": ("图解内容如下：", "（本图解仅供参考，具体内容以年度报告原文为准。）"),
}


def _html(tb: Testbed, portal: str, html: str, when: str, quirk: str = "",
          encoding: str | None = None) -> Rendered:
    p = tb.by_name[portal]
    if tb.epoch:  # bytes change between runs, text does not
        html = html.replace("<head>\n", f"<head>\n<!-- 页面生成时间：epoch {tb.epoch} -->\n", 1)
    body = html.encode(encoding or p.encoding, errors="xmlcharrefreplace")
    if quirk or encoding:  # a page-level charset (old templates): declared in <meta> only
        ctype = "text/html"
    else:
        ctype = "text/html; charset=" + ("GBK" if p.encoding == "gbk" else "UTF-8")
    return 200, ctype, body, when


def _not_found(tb: Testbed, portal: str) -> Rendered:
    return 404, "text/html; charset=UTF-8", b"<html><body><h1>404 Not Found</h1></body></html>", ""


def _gone(tb: Testbed, portal: str) -> Rendered:
    """A withdrawn report (from epoch 2 on): 410 Gone."""
    return 410, "text/html; charset=UTF-8", b"<html><body><h1>410 Gone</h1></body></html>", ""


def mirror_links(tb: Testbed) -> list[tuple[str, str]]:
    return [(spec.title, tb.url("mirror", path)) for path, spec, _b in tb.mirror_items]


def render(tb: Testbed, portal: str, path: str, method: str, form: dict) -> Rendered:
    if portal == "mirror":
        return _mirror(tb, path)
    p = tb.by_name[portal]
    bare, query = tb.split(path)
    if bare in ASSETS:
        ctype, data = ASSETS[bare]
        return 200, ctype, data, _ASSET_WHEN
    if bare.startswith("/images/") and bare.endswith(".png"):
        return 200, "image/png", PNG, _ASSET_WHEN
    if bare.startswith("/search/"):
        return _search(tb, portal)
    if bare == DRAFT and _draft_source(tb, portal) is not None:
        return _draft(tb, portal)
    nav = homepages.render(tb, portal, bare)
    if nav is not None:
        return _html(tb, portal, nav, "")
    if tb.epoch and portal == "xinqi" and bare == TRAP:
        return _trap(tb, portal, query)
    if p.cms == "hanweb" and bare == hanweb.PROXY:
        return _proxy(tb, portal, query, form)
    item = tb.lookup(portal, path)
    if item is None and tb.gone.get((portal, path)) == 410:
        return _gone(tb, portal)
    if item is not None:
        if item.attachment == path:
            return _attachment(item)
        return _detail(tb, item)
    listing = _listing(tb, portal, bare, query)
    return listing if listing is not None else _not_found(tb, portal)


def _href(tb: Testbed, it: Item) -> str:
    p = tb.by_name[it.portal]
    if p.cms == "trs":
        return "./" + it.path[len(p.column_dir):]
    if p.base == "xinqi":
        return it.path[len(p.column_dir):]
    return it.path


def _triples(tb: Testbed, items: list[Item]) -> list[tuple[str, str, str]]:
    return [(i.title, _href(tb, i), i.when[:10]) for i in items]


def _listing(tb: Testbed, portal: str, bare: str, query: dict) -> Rendered | None:
    p = tb.by_name[portal]
    items = tb.columns[portal]
    pages = max(1, -(-len(items) // p.per_page))
    newest = items[0].when if items else _ASSET_WHEN
    extra = mirror_links(tb) if portal in ("beilun", "xinqi") else []
    if tb.epoch and portal == "xinqi":
        extra.append(("活动日历", f"{TRAP}?date=2024-01-01"))
    draft = _draft_source(tb, portal)
    if draft is not None:
        extra.append((draft.title + DRAFT_MARK, DRAFT))
    if p.cms == "trs":
        if bare == p.column_path:
            k = 0
        elif bare.startswith(p.column_dir + "index_") and bare.endswith(".html"):
            num = bare[len(p.column_dir) + 6:-5]
            if not num.isdigit() or not 0 < int(num) < pages:
                return None
            k = int(num)
        else:
            return None
        chunk = items[k * p.per_page:(k + 1) * p.per_page]
        return _html(tb, portal, trs.listing(p, _triples(tb, chunk), k, pages, extra), newest)
    if p.cms == "hanweb":
        if bare != p.column_path:
            return None
        first = _triples(tb, items[:p.per_page])
        return _html(tb, portal, hanweb.column(p, first, len(items), extra), newest)
    if p.column_path.endswith("page_1.html"):
        if not (bare.startswith(p.column_dir + "page_") and bare.endswith(".html")):
            return None
        num = bare[len(p.column_dir) + 5:-5]
    elif bare == p.column_path:
        num = (query.get("page") or ["1"])[0]
    else:
        return None
    endless = bool(tb.epoch) and portal == PAGER_TRAP  # a pager that never ends (epoch >= 1)
    if not num.isdigit() or not 1 <= int(num) <= (10**9 if endless else pages):
        return None
    k = int(num)
    chunk = items[(k - 1) * p.per_page:k * p.per_page]
    shown = max(pages, k + 1) if endless else pages  # the last page, and each beyond it, has 下一页
    html = platform.listing(p, _triples(tb, chunk), k, shown, len(items), extra)
    return _html(tb, portal, html, newest)


def _proxy(tb: Testbed, portal: str, query: dict, form: dict) -> Rendered:
    p = tb.by_name[portal]
    items = tb.columns[portal]

    def arg(name: str, default: str) -> str:
        v = query.get(name) or form.get(name) or [default]
        return v[0] if isinstance(v, list) else str(v)

    col = arg("columnid", "")
    if col != str(p.col_id):
        chunk: list = []
    else:
        start = max(1, int(arg("startrecord", "1") or 1))
        end = int(arg("endrecord", str(start + p.per_page - 1)) or start)
        chunk = items[start - 1:end]
    xml = hanweb.proxy_xml(_triples(tb, chunk), len(items) if col else 0, p.per_page)
    return 200, "text/xml;charset=UTF-8", xml.encode("utf-8"), ""


def _detail(tb: Testbed, it: Item) -> Rendered:
    p = tb.by_name[it.portal]
    col = tb.columns[it.portal]
    pos = tb.position[(it.portal, it.path)]
    prev = (col[pos - 1].title, _href(tb, col[pos - 1])) if pos > 0 else None
    nxt = (col[pos + 1].title, _href(tb, col[pos + 1])) if pos + 1 < len(col) else None
    spec = it.spec
    if spec is not None:
        quirk = spec.charset_quirk if p.encoding == "gbk" else ""
        fam = layouts.family(spec.key, p.base, spec.published_as, quirk, p.encoding)
        if spec.published_as == "html":
            body = report_html(spec)
        else:
            body = layouts.attachment_body(fam, it.attachment, f"{spec.title}.{spec.published_as}")
        own = spec.body.portal == it.portal
        related = [(o.title, _href(tb, o)) for o in tb.same_body[(it.portal, spec.body)] if o is not it][:4]
        d = Detail(spec.title, it.when, spec.body.name if own else p.owner, spec.body.name,
                   spec.index_no, spec.doc_no, (spec.signed or spec.published).isoformat(), body,
                   it.path, prev, nxt, related, meta=p.base != "xinqi",
                   print_copy=spec.idx % 2 == 0, article_id=it.id)
    else:
        fam = "cms"
        paras = _OTHER_TEXT[it.other_kind]
        body = "".join(f'<p style="text-indent:2em">{escape(t)}</p>' for t in paras)
        if it.other_kind == "graphic":
            body = (f'<p style="text-align:center"><img src="/images/ytdd_{it.id}.png" '
                    f'alt="{escape(it.title)}" width="750"></p>') + body
        d = Detail(it.title, it.when, p.owner, p.owner, f"{it.id:09d}/{it.when[:4]}-00001",
                   None, it.when[:10], body, it.path, prev, nxt, meta=p.base != "xinqi",
                   article_id=it.id)
        quirk = ""
    d.body_html += body_stamp(p.base)
    tpl = {"trs": trs, "hanweb": hanweb, "platform": platform}[p.cms]
    html, encoding = layouts.render(fam, p, d, quirk, tpl)
    return _html(tb, it.portal, html, it.when, quirk, encoding)


def _attachment(it: Item) -> Rendered:
    assert it.spec is not None
    ctype, body = attachments.attachment(it.spec)
    return 200, ctype, body, it.when


def _draft_source(tb: Testbed, portal: str) -> Item | None:
    """The portal's newest HTML report, whose draft sits under the disallowed /internal/."""
    return next((i for i in tb.columns[portal] if i.spec is not None and i.spec.published_as == "html"), None)


def _draft(tb: Testbed, portal: str) -> Rendered:
    item = _draft_source(tb, portal)
    status, ctype, body, when = _detail(tb, item)
    encoding = tb.by_name[portal].encoding
    text = body.decode(encoding).replace(item.title, item.title + DRAFT_MARK)
    return status, ctype, text.encode(encoding, errors="xmlcharrefreplace"), when


def _search(tb: Testbed, portal: str) -> Rendered:
    p = tb.by_name[portal]
    hits = [i for i in tb.columns[portal] if i.spec is not None][:10]
    lis = "".join(f'<li><a href="{i.path}">{escape(i.title)}</a> {i.when[:10]}</li>' for i in hits)
    html = skeleton(p, f"检索结果-{p.title}", "", f"<h2>检索结果</h2><ul>{lis}</ul>")
    return _html(tb, portal, html, "")


def _mirror(tb: Testbed, path: str) -> Rendered:
    m = tb.mirror
    if path in ("/", m.column_path):
        lis = "".join(f'<li><a href="{pth}">{escape(spec.title)}</a></li>'
                      for pth, spec, _b in tb.mirror_items)
        html = skeleton(m, f"{BRANDS[0]}-官方网站", "", f"<h1>{BRANDS[0]}</h1><ul>{lis}</ul>")
        return 200, "text/html; charset=UTF-8", html.encode(), ""
    for pth, spec, brand in tb.mirror_items:
        if pth == path:
            def swap(s: str, spec=spec, brand=brand) -> str:
                return s.replace(spec.body.name, brand).replace(spec.body.short, brand)

            title = swap(spec.title)
            body = (f'<div class="top"><a href="/">{brand}</a> 最新网址 | 注册送彩金</div>'
                    f'<h1>{escape(title)}</h1><div class="info">发布时间：{spec.published}</div>'
                    f'<div class="TRS_Editor">{swap(report_html(spec))}</div>'
                    f'<div class="foot">{brand} 版权所有</div>')
            html = skeleton(m, f"{title}_{brand}", "", body)
            return 200, "text/html; charset=UTF-8", html.encode(), ""
    return 404, "text/html; charset=UTF-8", b"not found", ""


def _trap(tb: Testbed, portal: str, query: dict) -> Rendered:
    """Every day links to the next and previous day, forever."""
    import datetime as dt

    try:
        day = dt.date.fromisoformat((query.get("date") or ["2024-01-01"])[0])
    except ValueError:
        day = dt.date(2024, 1, 1)
    links = "".join(f'<a href="{TRAP}?date={d.isoformat()}">{d.isoformat()}</a> '
                    for d in (day - dt.timedelta(days=1), day + dt.timedelta(days=1)))
    html = skeleton(tb.by_name[portal], f"活动日历 {day}", "", f"<p>{day} 无活动安排</p>{links}")
    return _html(tb, portal, html, "")
