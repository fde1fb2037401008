"""Find the element that holds the article body: CMS containers first, then text scoring.

Government CMSs put the body in a known element (TRS `div.TRS_Editor`, Hanweb `#zoom`, UCAP
`<ucapcontent>`, …; shared/docs/ogi-format.md §3.3). When none is present we score elements
readability-style: each paragraph's non-link text counts for its parent and half for its
grandparent, discounted by link density and chrome words (shared/docs/extract-anchors.md §6a).
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

# Most specific first: an editor div sits inside an article div, which sits inside a page div.
CMS_SELECTORS: tuple[str, ...] = (
    "//div[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]",
    "//div[contains(concat(' ', normalize-space(@class), ' '), ' TRS_UEDITOR ')]",
    "//*[contains(@class, 'trs_editor_view')]",
    "//*[contains(@class, 'Custom_UnionStyle')]",
    "//ucapcontent",
    "//*[@id='ivs_content']",
    "//*[@id='zoomcon']",
    "//*[@id='zoom']",
    "//*[contains(@class, 'webeditorview')]",
    "//*[contains(@class, 'xxgk_content')]",
    "//*[@id='detailContent']",
    "//*[@id='detail-editor']",
    "//*[contains(@class, 'j-fontContent')]",
    "//div[contains(concat(' ', normalize-space(@class), ' '), ' article_content ')]",
    "//div[contains(concat(' ', normalize-space(@class), ' '), ' article-content ')]",
    "//*[contains(@class, 'pages_content')]",
    "//*[@id='UCAP-CONTENT']",
    "//*[@itemprop='articleBody']",
)
_CHROME_WORDS = re.compile(
    "当前位置|您的位置|所在位置|字体|字号|分享到|打印|关闭|浏览次数|扫一扫|主办单位|ICP|网站标识码"
    "|版权所有|上一篇|下一篇|网站地图|无障碍"
)
_PARAGRAPH_TAGS = frozenset("p td li h1 h2 h3 h4 h5 h6 pre dd blockquote".split())
_CANDIDATE_TAGS = frozenset("div td article section main body ucapcontent center".split())
_MIN_CMS_TEXT = 10


def _text_len(el: HtmlElement) -> int:
    return len(re.sub(r"\s+", "", el.text_content()))


def _has_attachment_link(el: HtmlElement) -> bool:
    return bool(el.xpath(".//a[re:test(@href, '\\.(pdf|docx?|xlsx?|wps|ofd|zip|rar)$', 'i')]",
                         namespaces={"re": "http://exslt.org/regular-expressions"}))


def cms_container(root: HtmlElement) -> HtmlElement | None:
    """The first known CMS body container with text (or an attachment link) in it."""
    for xpath in CMS_SELECTORS:
        found = [el for el in root.xpath(xpath)
                 if _text_len(el) >= _MIN_CMS_TEXT or _has_attachment_link(el)]
        if found:
            # Print and mobile copies repeat the container: take the fullest, first on ties.
            return max(found, key=_text_len)
    return None


def _own_text(el: HtmlElement) -> str:
    """Text of an element without its links and without nested paragraph-level blocks."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in _PARAGRAPH_TAGS and child.tag != "a" \
                and child.tag not in ("div", "table", "ul", "ol"):
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return re.sub(r"\s+", "", "".join(parts))


def scored_container(root: HtmlElement) -> HtmlElement | None:
    """The element that collects the most paragraph text, readability-style."""
    scores: dict[HtmlElement, float] = {}
    for el in root.iter("p", "td", "li", "div", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "dd"):
        length = len(_own_text(el))
        if length < 2:
            continue
        score = length + (10 if "。" in el.text_content() else 0)
        # Text sitting directly in a div counts for that div; a paragraph's for its parent.
        first = el if el.tag == "div" else el.getparent()
        second = first.getparent() if first is not None else None
        for weight, anc in ((1.0, first), (0.5, second)):
            if anc is not None and anc.tag in _CANDIDATE_TAGS:
                scores[anc] = scores.get(anc, 0.0) + weight * score
    best, best_score = None, 0.0
    for el, score in scores.items():
        total = _text_len(el) or 1
        link = sum(len(re.sub(r"\s+", "", a.text_content())) for a in el.iter("a"))
        chrome = len(_CHROME_WORDS.findall(el.text_content()))
        adjusted = score * (1 - min(link / total, 1.0)) - 30 * chrome
        if adjusted > best_score:
            best, best_score = el, adjusted
    return best


def find_container(root: HtmlElement) -> tuple[HtmlElement, str]:
    """The body container and how it was found ("cms", "scored" or "page")."""
    found = cms_container(root)
    if found is not None:
        return found, "cms"
    found = scored_container(root)
    if found is not None:
        return found, "scored"
    body = root.find("body")
    return (body if body is not None else root), "page"
