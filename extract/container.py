"""Find the element that holds the article body: CMS containers first, then text scoring.

Government CMSs put the body in a known element (TRS `div.TRS_Editor`, Hanweb `#zoom`, UCAP
`<ucapcontent>`, …; shared/docs/ogi-format.md §3.3). When none is present we score elements
readability-style: each paragraph's non-link text counts for its parent and half for its
grandparent, discounted by link density and chrome words (shared/docs/extract-anchors.md §6a).
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from extract.formats import DOCUMENT_HREF
from extract.tables import string_value
from extract.text import BLOCK_TAGS

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
# The selectors as Python tests, read off the XPath text at import: lxml's XPath walks the whole
# page once per selector (~2 ms a page for all of them); one Python pass costs a fraction.
_SELECTOR_FORMS = (
    ("token", re.compile(r"^//(\w+)\[contains\(concat\(' ', normalize-space\(@class\), ' '\), "
                         r"' (\S+) '\)\]$")),
    ("contains", re.compile(r"^//(\*)\[contains\(@class, '([^']+)'\)\]$")),
    ("tag", re.compile(r"^//(\w+)$")),
    ("equals", re.compile(r"^//(\*)\[@([\w-]+)='([^']+)'\]$")),
)
_XML_SPACE = re.compile(r"[ \t\r\n]+")  # what XPath normalize-space() collapses


def _selector_index() -> dict[str, dict]:
    """form → key → [(selector number, required tag or None)]; key: tag, class token,
    class substring or (attribute, value)."""
    index: dict[str, dict] = {form: {} for form, _ in _SELECTOR_FORMS}
    for n, xpath in enumerate(CMS_SELECTORS):
        form, match = next(((f, m) for f, p in _SELECTOR_FORMS if (m := p.match(xpath))),
                           (None, None))
        if match is None:
            raise ValueError(f"CMS selector without a Python form: {xpath}")
        tag = None if match.group(1) == "*" else match.group(1)
        key = tag if form == "tag" else match.group(2) if form != "equals" else match.group(2, 3)
        index[form].setdefault(key, []).append((n, None if form == "tag" else tag))
    return index


_BY = _selector_index()
# Every class token or substring a selector wants; a class without any needs no closer look.
_ANY_CLASS = re.compile("|".join(map(re.escape, [*_BY["contains"], *_BY["token"]])) or "(?!)")
_EQUALS_ATTRS = tuple(sorted({attr for attr, _ in _BY["equals"]}))
_CHROME_WORDS = re.compile(
    "当前位置|您的位置|所在位置|字体|字号|分享到|打印|关闭|浏览次数|扫一扫|主办单位|ICP|网站标识码"
    "|版权所有|上一篇|下一篇|网站地图|无障碍"
)
# A run may only start after a stop, a line break or the text's start: a run that ends at no
# stop then fails once, not once per character in it (the same matches, linear time).
_SENTENCES = re.compile(r"(?<![^。！？；\n])[^。！？；\n]{4,}[。！？；]")
_PARAGRAPH_TAGS = frozenset("p td li h1 h2 h3 h4 h5 h6 pre dd blockquote".split())
_CANDIDATE_TAGS = frozenset("div td article section main body ucapcontent center".split())
_MIN_CMS_TEXT = 10
_WHITESPACE = re.compile(r"\s+")


def _text_len(el: HtmlElement) -> int:
    return len(_WHITESPACE.sub("", string_value(el)))


def _has_attachment_link(el: HtmlElement) -> bool:
    """A link to a document file, or a document shown through an iframe/embed/object."""
    from extract.classify import document_url

    return any(DOCUMENT_HREF.search(a.get("href"))
               for a in el.iterdescendants("a") if a.get("href") is not None) or any(
        document_url(e.get("src") or e.get("data"), e.get("type"))
        for e in el.iterdescendants("iframe", "embed", "object"))


def _cms_candidates(root: HtmlElement) -> list[list[HtmlElement]]:
    """Per CMS selector, the elements it selects in document order, in one pass over the page."""
    found: list[list[HtmlElement]] = [[] for _ in CMS_SELECTORS]
    by_tag, by_token, by_substring, by_value = _BY["tag"], _BY["token"], _BY["contains"], _BY["equals"]
    any_class = _ANY_CLASS.search
    for el in root.iter(etree.Element):
        tag, cls = el.tag, el.get("class")
        hits = by_tag.get(tag, [])
        if cls is not None and any_class(cls):  # rare: the slow path only then
            hits = hits + [hit for token in set(_XML_SPACE.split(cls)) for hit in by_token.get(token, ())]
            hits += [hit for sub, subs in by_substring.items() if sub in cls for hit in subs]
        for attr in _EQUALS_ATTRS:
            value = el.get(attr)
            if value is not None and (attr, value) in by_value:
                hits = hits + by_value[attr, value]
        if hits:
            for n in sorted({n for n, want in hits if want in (None, tag)}):
                found[n].append(el)
    return found


def _squashed(el: HtmlElement) -> str:
    return _WHITESPACE.sub("", string_value(el))


def _distinct_parts(elements: list[HtmlElement]) -> list[HtmlElement]:
    """Outermost elements whose text is not a copy of another's (print and mobile copies repeat
    the body; the parts of an article split over pages do not), in document order."""
    outer = [el for el in elements if not any(o is not el and o in el.iterancestors()
                                             for o in elements)]
    texts = {el: _squashed(el) for el in outer}
    kept: list[HtmlElement] = []
    for el in sorted(outer, key=lambda e: -len(texts[e])):  # fullest first, first on ties
        if not any(texts[el] in texts[k] for k in kept):
            kept.append(el)
    order = {el: n for n, el in enumerate(outer)}
    return sorted(kept, key=order.__getitem__)


def merge_parts(parts: list[HtmlElement]) -> HtmlElement:
    """One container for an article split over several blocks: a div put where the first part
    was, holding every part in document order (what lies between them stays outside)."""
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    wrapper = first.makeelement("div", {"class": "nianbao-merged-parts"})
    first.addprevious(wrapper)
    for part in parts:
        tail, part.tail = part.tail, None
        previous, parent = part.getprevious(), part.getparent()
        if tail and previous is not None:
            previous.tail = (previous.tail or "") + tail
        elif tail:
            parent.text = (parent.text or "") + tail
        wrapper.append(part)
    return wrapper


def cms_container(root: HtmlElement) -> HtmlElement | None:
    """The known CMS body container with text (or an attachment link) in it; the parts of
    an article the CMS split over several such containers, merged in document order."""
    for selected in _cms_candidates(root):
        found = [el for el in selected if _text_len(el) >= _MIN_CMS_TEXT or _has_attachment_link(el)]
        if found:
            return merge_parts(_distinct_parts(found))
    return None


def _own_text(el: HtmlElement) -> str:
    """Text of an element without its links and without nested paragraph-level blocks."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in _PARAGRAPH_TAGS and child.tag != "a" \
                and child.tag not in BLOCK_TAGS:  # <main>, <section>, <aside> are not inline
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return _WHITESPACE.sub("", "".join(parts))


def scored_container(root: HtmlElement) -> HtmlElement | None:
    """The element that collects the most paragraph text, readability-style, with the sibling
    blocks that continue it (an article split into parts, hidden pages of an in-article pager)."""
    scores: dict[HtmlElement, float] = {}
    for el in root.iter("p", "td", "li", "div", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "dd"):
        own = _own_text(el)
        length = len(own)
        if length < 2:
            continue
        # own text is part of the element's text: a 。 there settles it without reading it all
        score = length + (10 if "。" in own or "。" in el.text_content() else 0)
        # Text sitting directly in a div or a layout cell (old table pages: text in <td>/<font>
        # with <br>) counts for that element; a paragraph's for its parent.
        # (a data cell's few characters still count for its table).
        first = el if el.tag == "div" or (el.tag == "td" and length >= 50 and "。" in own) \
            else el.getparent()
        second = first.getparent() if first is not None else None
        for weight, anc in ((1.0, first), (0.5, second)):
            if anc is not None and anc.tag in _CANDIDATE_TAGS:
                scores[anc] = scores.get(anc, 0.0) + weight * score
    best, best_score, best_at = None, 0.0, 0
    candidates = list(scores.items())
    # Fullest first: links and chrome words only lower a score, so once a raw score falls below
    # the best adjusted one nothing after it can win (the texts of big blocks cost to scan).
    for at in sorted(range(len(candidates)), key=lambda i: -candidates[i][1]):
        el, score = candidates[at]
        if score < best_score:
            break
        # Chrome words count against a block only outside its sentences: a report sentence that
        # mentions 无障碍 or 网站地图 is body text (issue 12).
        loose = _SENTENCES.sub("", el.text_content())
        adjusted = score * (1 - _link_density(el)) - 30 * len(_CHROME_WORDS.findall(loose))
        if adjusted > best_score or (adjusted == best_score and best is not None and at < best_at):
            best, best_score, best_at = el, adjusted, at  # the first in the page wins a tie
    if best is None:
        return None
    parts = _continuations(best, best_score, scores)
    parent = best.getparent()
    if len(parts) > 1 and parent is not None and parent.tag != "body" \
            and sum(map(_text_len, parts)) >= _WHOLE * _text_len(parent):
        return parent  # the parts are most of their parent: it is the article (with its 落款)
    return merge_parts(parts)


_WHOLE = 0.7  # share of a parent's text its article parts must hold for the parent to be taken


def _link_density(el: HtmlElement) -> float:
    total = _text_len(el) or 1
    link = sum(len(_WHITESPACE.sub("", a.text_content())) for a in el.iter("a"))
    return min(link / total, 1.0)


_DIGITS = re.compile(r"\d+")


def _name(el: HtmlElement) -> tuple[str, str, str]:
    """Tag, class and id with digits dropped: `page1`/`page2` parts share a name."""
    return el.tag, _DIGITS.sub("", el.get("class") or ""), _DIGITS.sub("", el.get("id") or "")


def _continuations(best: HtmlElement, best_score: float,
                   scores: dict[HtmlElement, float]) -> list[HtmlElement]:
    """`best` and the siblings that carry on its article (readability's sibling pass): same
    name (tag, class, id up to digits), or prose scoring a fifth of `best` with few links."""
    parent = best.getparent()
    if parent is None or best.tag in ("td", "body"):
        return [best]
    from extract.chrome import is_prose, line_kind

    parts = []
    for sib in parent:
        if sib is best:
            parts.append(sib)
            continue
        if not isinstance(sib.tag, str) or sib.tag != best.tag:
            continue
        # Same name; anonymous siblings (<section>s of chapters) count when few of their words
        # are links.
        named = _name(sib) == _name(best) and (_name(sib)[1:] != ("", "") or _link_density(sib) < 0.5)
        text = string_value(sib).strip()
        prose = "。" in text and _link_density(sib) < 0.25 and scores.get(sib, 0.0) >= 0.2 * best_score
        if (named or prose) and text and not (line_kind(text) and not is_prose(text)):
            parts.append(sib)
    return parts


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
