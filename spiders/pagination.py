"""Listing pagination families: TRS static pages, Hanweb's XML data proxy, numbered links.

Each function takes a listing response and returns the URLs (or POST requests) of the
column's other pages; the spider's dupefilter drops what was already seen.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from scrapy import FormRequest
from scrapy.http import Response

# TRS: createPageHTML(countPage, currentPage, "index", "html"[, …]) or `var countPage = N`.
_CREATE_PAGE = re.compile(
    r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*['\"]([\w-]+)['\"]\s*,\s*['\"](\w+)['\"]"
)
_COUNT_PAGE = re.compile(r"var\s+countPage\s*=\s*['\"]?(\d+)")
_PAGE_NAME = re.compile(r"var\s+(?:pageName|page_name)\s*=\s*['\"]([\w-]+)['\"]")
_PAGE_EXT = re.compile(r"var\s+(?:pageExt|page_ext)\s*=\s*['\"]\.?(\w+)['\"]")


def trs_pages(response: Response) -> list[str]:
    """`index_1.html` … `index_{N-1}.html` beside the column's first page."""
    text = response.text
    match = _CREATE_PAGE.search(text)
    if match:
        count, name, ext = int(match.group(1)), match.group(3), match.group(4)
    else:
        count_match = _COUNT_PAGE.search(text)
        if not count_match:
            return []
        count = int(count_match.group(1))
        name = (_PAGE_NAME.search(text) or re.match(r"(.*)", "index")).group(1)
        path = urlsplit(response.url).path
        default_ext = path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else "html"
        ext_match = _PAGE_EXT.search(text)
        ext = ext_match.group(1) if ext_match else default_ext
    count = min(count, 10_000)
    return [urljoin(response.url, f"{name}_{k}.{ext}") for k in range(1, count)]


# Hanweb jpage: the first page embeds <datastore> and names the proxy and its parameters.
_PROXY_URL = re.compile(r"['\"]?([^'\"\s<>]*?/module/(?:web/)?jpage/dataproxy\.jsp[^'\"\s<>]*)")
_TOTAL = re.compile(r"(?:<totalrecord>\s*(\d+)|totalRecord\s*[:=]\s*['\"]?(\d+))", re.IGNORECASE)
_PERPAGE = re.compile(r"(?:<perpage>\s*(\d+)|perPage\s*[:=]\s*['\"]?(\d+))", re.IGNORECASE)
_JS_PARAM = re.compile(
    r"\b(col|appid|webid|path|columnid|sourceContentType|unitid|webname|permissiontype)\s*[:=]\s*"
    r"(?:['\"]([^'\"]*)['\"]|([\w.-]+))"
)
RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.DOTALL | re.IGNORECASE)


def _first_int(pattern: re.Pattern[str], text: str) -> int | None:
    match = pattern.search(text)
    if not match:
        return None
    return int(next(g for g in match.groups() if g))


def hanweb_requests(response: Response, meta: dict) -> list[FormRequest]:
    """POSTs to dataproxy.jsp for every record range after the embedded first page."""
    text = response.text
    proxy = _PROXY_URL.search(text)
    total = _first_int(_TOTAL, text)
    if not proxy or total is None:
        return []
    per_page = _first_int(_PERPAGE, text) or 15
    proxy_url = urljoin(response.url, proxy.group(1).replace("&amp;", "&"))
    split = urlsplit(proxy_url)
    form = dict(parse_qsl(split.query))
    form.update({key: quoted or bare for key, quoted, bare in _JS_PARAM.findall(text)})
    for key in ("startrecord", "endrecord", "perpage", "page"):
        form.pop(key, None)
    base = split._replace(query="").geturl()
    embedded = len(RECORD.findall(text)) or per_page
    requests = []
    for start in range(embedded + 1, min(total, 100_000) + 1, per_page * 3):
        end = min(start + per_page * 3 - 1, total)
        query = urlencode({"startrecord": start, "endrecord": end, "perpage": per_page})
        requests.append(FormRequest(f"{base}?{query}", formdata=form, meta=dict(meta), dont_filter=False))
    return requests


def record_fragments(text: str) -> list[str]:
    """The HTML fragments inside a Hanweb <recordset> (embedded or from the proxy)."""
    return RECORD.findall(text)
