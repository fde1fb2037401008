"""Which links on a listing or detail page lead to reports, attachments or more listing pages.

A URL's document type (`attachment_extension`) is crawler/documents.py's: the catalogue needs it too."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urljoin

from lxml import html as lxml_html

from crawler.documents import ATTACHMENT_EXTENSIONS

# `YYYY年(度)?…(政府信息公开|政务公开)…(年度)?报告`, Chinese-numeral years included.
REPORT_TITLE = re.compile(
    r"(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*度?.{0,40}?"
    r"(?:政府信息公开|政务信息公开|政务公开|信息公开).{0,20}?报告"
)

PAGINATION_URL = re.compile(
    r"(?:/|^)(?:index|list|page|default)_\d+\.s?html?$"
    r"|[?&](?:page|pageNo|pageNum|pageIndex|PageIndex|currpage|curPage|pn|p)=\d+",
    re.IGNORECASE,
)
PAGINATION_TEXT = re.compile(r"^\s*(?:下一页|下页|尾页|末页|最后一页|>|»|›|\d{1,4})\s*$")


def is_report_title(text: str | None, pattern: re.Pattern[str] | None = None) -> bool:
    return bool(text) and bool((pattern or REPORT_TITLE).search(re.sub(r"\s+", "", text)))


# Matched against the lowered bytes: a pattern with a literal first byte is scanned for fast,
# where re.IGNORECASE and a leading alternation try every position (10x slower on a page).
_ATTACHMENT_SUFFIX = re.compile(
    rb"\.(?:" + b"|".join(re.escape(ext[1:].encode()) for ext in ATTACHMENT_EXTENSIONS) + rb")\b")


def may_link_attachments(body: bytes) -> bool:
    """A cheap byte scan before parsing a page for attachment links (any charset: ASCII only)."""
    lowered = body.lower()
    return b"downfile" in lowered or b"download" in lowered or bool(_ATTACHMENT_SUFFIX.search(lowered))


def embedded_documents(text: str, base: str) -> list[tuple[str, str]]:
    """(absolute URL, "") of the documents a page shows in an iframe, embed, object or pdf.js
    viewer (`viewer.html?file=…`): attachments the page may never link (issue 12)."""
    return page_links(text, base)[1]


def page_links(text: str, base: str, keep: Callable[[str], object] | None = None,
               ) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """A report page's `anchors` (those whose href `keep` accepts, when given: resolving
    every navigation link of every page costs) and `embedded_documents`, from one parse."""
    from extract.classify import embedded_documents as embedded

    root = _parse(text)
    if root is None:  # an unparsable page links and shows nothing
        return [], []
    return _anchors(root, base, keep=keep), [(url, "") for _, url in embedded(root, base)]


def is_pagination_link(url: str, text: str | None) -> bool:
    return bool(PAGINATION_URL.search(url)) or bool(text and PAGINATION_TEXT.match(text))


def anchors(text: str, base: str, xpath: str | None = None) -> list[tuple[str, str]]:
    """(absolute URL, label without whitespace) of a page's links (or of those `xpath` picks),
    skipping javascript:, mailto: and in-page anchors; the label is the title attribute if any."""
    root = _parse(text)
    return [] if root is None else _anchors(root, base, xpath)


def _parse(text: str) -> lxml_html.HtmlElement | None:
    try:
        return lxml_html.fromstring(text)
    except Exception:
        return None


_WHITESPACE = re.compile(r"\s+")


def _anchors(root: lxml_html.HtmlElement, base: str, xpath: str | None = None,
             keep: Callable[[str], object] | None = None) -> list[tuple[str, str]]:
    elements = root.xpath(xpath) if xpath else root.iter("a")
    out = []
    for a in elements:
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "#", "mailto:")) or (keep and not keep(href)):
            continue
        label = a.get("title") or a.text_content()
        out.append((urljoin(base, href), _WHITESPACE.sub("", label or "")))
    return out
