"""Which CMS family served a page, and which pagination family a listing uses (ogi-format
§3.3, §3.4), from fingerprints in the page and its URLs. Used by discovery to describe a
column; the crawl itself follows every pagination family whatever the registry says."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from scrapy.http import TextResponse

from spiders import links, pagination

# Each family's fingerprints; a family needs two distinct ones to be named.
FINGERPRINTS: dict[str, tuple[re.Pattern[str], ...]] = {
    "trs": tuple(map(re.compile, (
        r"createPageHTML\s*\(", r"var\s+countPage", r"TRS_Editor|trs_editor_view",
        r"/t\d{8}_\d+\.s?html?\b", r"/was5/web/search|/igs/front/search", r"\.trsapi\b"))),
    "hanweb": tuple(map(re.compile, (
        r"/col/col\d+/index\.html", r"jpage/dataproxy\.jsp", r"<datastore>",
        r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html", r"i_columnid|ZJEG_RSS|jrobotfront"))),
    "platform": tuple(map(re.compile, (
        r"OpennessContent|OpennessAnnualReport", r"/showList/\d+/\d+/page_\d+\.html",
        r"openness-(?:list|detail|meta)", r"/OpennessContent/show/\d+\.html"))),
    "gkmlpt": tuple(map(re.compile, (r"/gkmlpt/", r"window\._CONFIG", r"/gkmlpt/api/"))),
}


def detect_cms(text: str) -> tuple[str | None, list[str]]:
    """(family or None, the fingerprints seen) for a page's HTML (URLs included)."""
    best, seen = None, []
    for family, patterns in FINGERPRINTS.items():
        hits = [p.pattern for p in patterns if p.search(text)]
        if len(hits) >= 2 and len(hits) > len(seen):
            best, seen = family, hits
    return best, seen


def detect_pagination(response: TextResponse, anchors: list[tuple[str, str]]) -> str:
    """How the listing's other pages are reached: trs-static, hanweb-proxy, path-numbered,
    query:<param>, next-link or single-page."""
    text = response.text
    if pagination._CREATE_PAGE.search(text) or pagination._COUNT_PAGE.search(text):
        return "trs-static"
    if pagination._PROXY_URL.search(text) and pagination._TOTAL.search(text):
        return "hanweb-proxy"
    here = urlsplit(response.url)
    for url, label in anchors:
        if not links.is_pagination_link(url, label):
            continue
        there = urlsplit(url)
        if there.netloc != here.netloc or there.path.rsplit("/", 1)[0] != here.path.rsplit("/", 1)[0]:
            continue
        if re.search(r"(?:index|list|page|default)_\d+\.s?html?$", there.path, re.I):
            return "path-numbered"
        params = [k for k, v in parse_qsl(there.query) if v.isdigit()
                  and links.PAGINATION_URL.search(f"?{k}={v}")]
        if params:
            return f"query:{params[0]}"
        return "next-link"
    return "single-page"


# Totals listings announce (Hanweb's datastore, TRS/JS pagers' recordCount, 共N条 under a list).
_DECLARED = re.compile(r"(?:recordCount|totalRecord|totalCount)\s*[:=]\s*['\"]?(\d+)|<totalrecord>\s*(\d+)"
                       r"|共\s*(\d+)\s*(?:条|篇)", re.IGNORECASE)


def declared_total(text: str) -> int | None:
    """The number of items a listing says its column holds, if it says."""
    match = _DECLARED.search(text)
    return int(next(g for g in match.groups() if g)) if match else None
