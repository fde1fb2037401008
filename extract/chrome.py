"""Page chrome: widgets, info bars, footers and metadata blocks that are not the report.

Two passes. Elements whose class/id names a widget (share, print, QR code …) or tables that
are a metadata block (索引号/发布机构/成文日期 …) are cut from the container before it is
walked; then each remaining short line is matched against the chrome kinds of the issue
(shared/docs/ogi-format.md §3.5). Every cut is recorded by kind in `removed`, so a user can see
why text went missing.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml.html import HtmlElement

from extract.formats import DOCUMENT_HREF
from extract.tables import string_value
from extract.text import Block

# kind → (pattern, longest line the pattern may remove). Patterns are searched, so each one
# anchors itself; the length cap keeps a body sentence that merely mentions a word.
LINE_KINDS: dict[str, tuple[re.Pattern[str], int]] = {
    "breadcrumb": (re.compile(
        r"^(您?(当前|现在|目前)?(所在|的)?(的)?位置|当前位置|您的位置|所在位置|当前的位置)\s*[:：是]"
        r"|^首页\s*(>|›|»|/|＞|→)"), 200),
    "info_bar": (re.compile(
        r"(发布时间|发布日期|时间发布|更新时间|信息来源|浏览量|浏览次数|阅读次数|阅读量|点击数|点击量|点击率"
        r"|访问量|访问次数|累计次数|字号|字体|文字大小|背景色)\s*[:：]"
        r"|^(来源|时间|日期|作者|编辑|责任编辑)\s*[:：]"
        r"|[【\[]?\s*字体\s*[:：]?\s*[【\[]?\s*大\s*中\s*小|^[【\[]\s*大\s*中\s*小\s*[】\]]$"), 160),
    "share": (re.compile(r"分享到|^分享\s*[:：]?|微信\s*微博|QQ空间|新浪微博"), 60),
    "print_close": (re.compile(
        r"打印本页|打印文章|打印此页|打印该页|[【\[]\s*打印\s*[】\]]|^打印$|关闭窗口|关闭本页"
        r"|[【\[]\s*关闭\s*[】\]]|^关闭$|返回顶部|^返回$|^[【\[]?\s*打印\s*[】\]]?\s*[【\[]?\s*关闭"),
        60),
    "prev_next": (re.compile(r"^(上一篇|下一篇|上一条|下一条|上一页|下一页)|上一页.*下一页|^首页.*尾页$"
                             r"|^(?=.*(第\s*\d+\s*页|上一页|下一页))(共\s*\d+\s*页\s*)?((第\s*\d+\s*页|\[?\d+\]?|上一页|下一页|首页|尾页|末页)\s*)+$"),
                  120),
    "related": (re.compile(
        r"^(相关信息|相关链接|相关阅读|相关文章|相关文件|相关新闻|相关稿件|相关推荐|相关解读)\s*[:：]?"), 80),
    "panel": (re.compile(
        r"^(文件下载|附件下载|政策咨询|相关附件)\s*[:：]?$|如果您对该政策文件有疑问|对该政策的制定及执行提出"
        r"|^我要咨询$"), 200),
    "favourite": (re.compile(r"^收藏$|加入收藏|[【\[]\s*收藏\s*[】\]]|^我要收藏"), 40),
    "tabs": (re.compile(r"^(全真版|文字版)(\s*(全真版|文字版))*$"), 20),
    "qrcode": (re.compile(r"扫一扫|手机上查看|手机打开|手机扫描|扫描二维码|扫码"), 60),
    "widget": (re.compile(
        r"纠错|无障碍|长者版|关怀版|适老化|繁體版|繁体版|简体版|^English$|^ENGLISH$|读屏|智能问答"
        r"|离开本站|即将离开"), 60),
    "tags": (re.compile(r"^(标签|Tags?)\s*[:：]"), 80),
    "footer": (re.compile(
        r"网站标识码|ICP备|ICP证|公网安备|公安备案|版权所有|Copyright|©|技术支持\s*[:：]|网站地图"
        r"|建议使用.{0,20}浏览器|分辨率|^(主办|承办)(单位)?\s*[:：].*(\||网站|地址|电话)"), 300),
    "counter": (re.compile(r"^\d{1,10}$|^(ID|id)\s*[:：]?\s*\d+$|\{\{.*?\}\}|\$\{.*?\}|^次$"), 40),
    "metadata": (re.compile(
        r"^(索引号|索取号|信息索引|发布机构|发布单位|发文机关|发文机构|发文单位|公开形式|公开方式|公开范围"
        r"|公开时限|成文日期|生成日期|发文日期|公文生成日期|公开日期|文号|发文字号|文件编号|有效性|时效性?"
        r"|主题分类|组配分类|信息分类|体裁分类|服务对象|公开目录|信息名称|所属主题|主题词|关键词|内容概述"
        r"|信息类别|效力状态|分类)\s*[:：]"), 160),
}
# Word conditional comments pasted as text (`&lt;!--[if !supportLists]--&gt;`) and fragments.
MARKUP = re.compile(r"<!--\s*\[(if [^\]]*|endif)\]\s*-->|<!--\s*(Start|End)Fragment\s*-->"
                    r"|<\?xml[^>]*>|<!--\?xml[^>]*-->", re.I)
_WIDGET_NAME = re.compile(
    r"(^|[\s_-])(share|bdshare|bdsharebuttonbox|print|qrcode|ewm|erweima|code-img|fontsize|"
    r"font-size|zihao|crumbs?|breadcrumbs?|location|position|dqwz|xgxx|xglj|related|jiucuo|"
    r"shoucang|favorite|prevnext|prev-next|pager|footer|copyright|toolbar|article-tools|"
    r"tools|sxp|article_btn_group|article_qrcode_area|article_extend)($|[\s_-])", re.I)
_EMPTY_ATTACHMENT_LABEL = re.compile(r"^(附件|相关附件)\s*[:：]?$")
META_LABELS = re.compile(
    r"^\s*(索引号|索取号|信息索引|发布机构|发布单位|发文机关|发文机构|公开形式|公开方式|公开范围|成文日期"
    r"|生成日期|发文日期|文号|发文字号|文件编号|有效性|时效|主题分类|组配分类|信息分类|信息名称|名称"
    r"|标题|发布日期|公开日期|主题词|关键词|内容概述|信息类别|备注)\s*[:：]?")


_LONGEST_CHROME = max(longest for _, longest in LINE_KINDS.values())


def line_kind(line: str) -> str | None:
    """The chrome kind of one short line of text, or None for body text."""
    stripped = line.strip()
    if len(stripped) > _LONGEST_CHROME:  # longer than any kind allows
        return None
    return _short_line_kind(stripped)


@lru_cache(maxsize=4096)
def _short_line_kind(stripped: str) -> str | None:
    """line_kind of a stripped line; menus, info bars and footers come back on every page of
    a portal, so their kinds are remembered."""
    for kind, (pattern, longest) in LINE_KINDS.items():
        if len(stripped) <= longest and pattern.search(stripped):
            return kind
    return None


def _text(el: HtmlElement, texts: dict[HtmlElement, str] | None) -> str:
    """el.text_content(), remembered in `texts` (one scan of an unchanged tree) when given."""
    if texts is None:
        return string_value(el)
    text = texts.get(el)
    if text is None:
        texts[el] = text = string_value(el)
    return text


_CELLS = ("td", "th", "li", "dt", "span")


def _is_label_cell(text: str) -> bool:
    return bool(META_LABELS.match(text)) and len(text.strip()) <= 40


def is_metadata_table(el: HtmlElement, texts: dict[HtmlElement, str] | None = None) -> bool:
    """A table/list whose cells are metadata labels (索引号, 发布机构 …), not a report table."""
    labels = 0
    for cell in el.iterdescendants(*_CELLS):
        if _is_label_cell(_text(cell, texts)):
            labels += 1
            if labels >= 2:
                return True
    return False


def _label_counts(container: HtmlElement, texts: dict[HtmlElement, str]) -> dict[HtmlElement, int]:
    """For each element inside `container`, how many metadata label cells it holds (what
    `is_metadata_table` counts), from one pass over the cells instead of one per element."""
    counts: dict[HtmlElement, int] = {}
    for cell in container.iterdescendants(*_CELLS):
        if _is_label_cell(_text(cell, texts)):
            for holder in cell.iterancestors():
                if holder is container:
                    break
                counts[holder] = counts.get(holder, 0) + 1
    return counts


def record(removed: dict[str, list[str]], kind: str, text: str) -> None:
    """Note one stripped piece of text under its kind, once."""
    text = " ".join(text.split())
    if text and text not in removed.setdefault(kind, []):
        removed[kind].append(text)


def _is_metadata_block(el: HtmlElement, texts: dict[HtmlElement, str],
                       labels: dict[HtmlElement, int]) -> bool:
    if labels.get(el, 0) < 2:  # is_metadata_table(el)
        return False
    if el.tag == "table":
        return len(_text(el, texts)) < 1500
    # A div or list counts only when it is nothing but label/value pairs, never a body wrapper.
    long_paragraphs = [p for p in el.iter("p") if len(_text(p, texts).strip()) > 80]
    return not long_paragraphs and len(_text(el, texts).strip()) < 400


def strip_elements(container: HtmlElement, removed: dict[str, list[str]]) -> None:
    """Cut widget elements and metadata blocks out of the container, in place."""
    doomed: list[tuple[HtmlElement, str]] = []
    inside_doomed: set[HtmlElement] = set()
    texts: dict[HtmlElement, str] = {}  # text_content per element; the tree is unchanged until the cuts
    labels = _label_counts(container, texts)
    for el in container.iter("table", "div", "ul", "dl", "span", "p", "section", "a"):
        if el is container or el in inside_doomed:
            continue
        names = f"{el.get('class', '')} {el.get('id', '')}"
        if _WIDGET_NAME.search(names) and len(_text(el, texts)) < 400:
            doomed.append((el, "widget"))
        elif el.tag in ("table", "ul", "dl", "div") and _is_metadata_block(el, texts, labels):
            doomed.append((el, "metadata"))
        else:
            continue
        inside_doomed.update(el.iterdescendants())
    for el, kind in doomed:
        parent = el.getparent()
        if parent is None:
            continue
        record(removed, kind, el.text_content())
        _drop_keep_tail(el, parent)


def _drop_keep_tail(el: HtmlElement, parent: HtmlElement) -> None:
    tail = el.tail
    previous = el.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _link_text(el: HtmlElement) -> int:
    return sum(len("".join(a.text_content().split())) for a in el.iter("a"))


def strip_navigation(container: HtmlElement, removed: dict[str, list[str]]) -> None:
    """Cut menus and link lists (mostly link text, no attachment files) from a scored container.

    Only used when no CMS body element was found: inside an editor div a list of links is body.
    """
    doomed = []
    for el in container.iter("ul", "ol", "nav", "div", "p", "table", "dl"):
        if el is container or any(d in el.iterancestors() for d in doomed):
            continue
        links = [a for a in el.iterdescendants("a") if a.get("href") is not None]  # .//a[@href]
        if len(links) < 3:
            continue
        total = len("".join(el.text_content().split()))
        if total and _link_text(el) / total > 0.7 \
                and not any(DOCUMENT_HREF.search(a.get("href", "")) for a in links):
            doomed.append(el)
    for el in doomed:
        record(removed, "navigation", el.text_content())
        _drop_keep_tail(el, el.getparent())


_PROSE = re.compile(r"[。！？；!?;]")
_SQUASH = re.compile(r"\s+")


def is_prose(text: str) -> bool:
    """A sentence of the body (ends a clause with 。！？；), as opposed to a label or a widget."""
    return bool(_PROSE.search(text))


def template_key(text: str) -> str:
    """The form template lines are compared in: no whitespace."""
    return _SQUASH.sub("", text)


def _only_page_links(block: Block, text: str) -> bool:
    """A line that is nothing but links to other pages (no document files)."""
    if not block.links or not text:
        return False
    linked = sum(len(template_key(t)) for _, t in block.links)
    return linked >= 0.9 * len(template_key(text)) and \
        not any(DOCUMENT_HREF.search(href) for href, _ in block.links)


def strip_lines(blocks: list[Block], removed: dict[str, list[str]],
                template: frozenset[str] = frozenset()) -> list[Block]:
    """Drop chrome lines and pasted markup from paragraph blocks; tables are left alone.

    Recall first (issue 12): inside the body a word list never decides alone. A line goes only
    when structure says so and the chrome patterns (or its shape) confirm: it sits in the edge
    zone (before the first or after the last sentence or table of the body) and is no sentence
    itself, or it is one of the portal's `template` lines (shared by its sibling pages); and
    the chrome patterns confirm it, or it is both shared and in the edge zone. A body sentence
    that merely mentions 扫码 or 纠错, or a heading every report of the portal prints, stays.
    """
    texts = [None if b.kind == "table" else MARKUP.sub("", b.text).strip() for b in blocks]
    keys = [template_key(t) if t else "" for t in texts]
    anchors = [i for i, (b, t) in enumerate(zip(blocks, texts, strict=True))
               if b.kind == "table" or (t and is_prose(t))]
    first, last = (anchors[0], anchors[-1]) if anchors else (len(blocks), -1)
    kept = []
    for i, block in enumerate(blocks):
        text = texts[i]
        if text is None:
            kept.append(block)
            continue
        if text != block.text:
            record(removed, "markup", block.text)
        kind = line_kind(text) if text else None
        prose = is_prose(text)
        edge = not prose and (i < first or i > last)
        shared = bool(text) and keys[i] in template
        if (kind and (edge or shared)) or (shared and edge):
            record(removed, kind or "template", text)
            continue
        if edge and _only_page_links(block, text):  # 相关链接 lists the CMS put in the editor
            record(removed, "navigation", text)
            continue
        if text or block.links:
            block.text = text
            kept.append(block)
    # An attachment panel left empty by the CMS ends the page with a bare 附件： label.
    while kept and kept[-1].kind != "table" and _EMPTY_ATTACHMENT_LABEL.match(kept[-1].text) \
            and not kept[-1].links:
        record(removed, "panel", kept.pop().text)
    return kept
