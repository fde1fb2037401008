"""Is this page an annual report, something else, or only a link to an attachment?

Report columns also carry news, 一图读懂 graphics, 解读 and letters (shared/realworld 005 is a
函 in the 年报 column), so a report needs both the title pattern and a report-like body.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin, urlsplit

from lxml.html import HtmlElement

from extract.formats import DOCUMENT_HREF
from extract.text import Block

REPORT_TITLE = re.compile(
    r"(\d{4}|[〇零○O一二三四五六七八九]{4})\s*年度?.*(政府信息公开|政务公开|政务信息公开|信息公开)"
    r".*报告")
NOT_REPORT_TITLE = re.compile(
    r"一图读懂|图解|解读|读懂|关于.*的(函|通知|批复|意见|报告的说明)|的函$|通知$|公告$|新闻|发布会|访谈"
    r"|目录$|列表|汇总表|工作要点|网站.*年度报表")
REPORT_BODY = re.compile(
    r"主动公开|依申请|政府信息公开申请|行政复议|行政诉讼|总体情况|统计期限|统计时限|信息公开工作")
_ATTACHMENT_WORDS = re.compile(r"^(附件|附件下载|文件下载|下载|相关附件|点击下载|全文下载)?\s*\d*\s*[:：.、]?\s*")


def attachment_links(blocks: list[Block], base_url: str | None) -> list[dict[str, str]]:
    """Links to attachment files, absolute, with their link text, in page order."""
    found: list[dict[str, str]] = []
    for block in blocks:
        for href, text in block.links:
            if DOCUMENT_HREF.search(href.split("#")[0]):
                absolute = urljoin(base_url or "", href.strip())
                if all(a["url"] != absolute for a in found):
                    found.append({"url": absolute, "text": text})
    return found


_EMBEDS = ("iframe", "frame", "embed", "object")
_DOCUMENT_PARAMS = ("file", "filename", "fileName", "url", "src")
_DOCUMENT_TYPES = ("application/pdf", "application/msword", "application/vnd.")


def document_url(src: str | None, mime: str | None = None) -> str | None:
    """The document an embedding points at: `src` itself, or a viewer's `file=` target
    (pdf.js `viewer.html?file=…`); None when it is a page, a counter or a map."""
    if not src or src.strip().lower().startswith(("javascript:", "about:", "data:")):
        return None
    src = src.strip()
    parts = urlsplit(src)
    for values in (parse_qs(parts.query).get(k, []) for k in _DOCUMENT_PARAMS):
        for value in values:
            if DOCUMENT_HREF.search(urlsplit(value).path or value):
                return value
    if DOCUMENT_HREF.search(parts.path) or (mime or "").lower().startswith(_DOCUMENT_TYPES):
        return src
    return None


def embedded_documents(root: HtmlElement, base_url: str | None) -> list[tuple[HtmlElement, str]]:
    """(element, absolute URL) of every document shown in the page through an iframe, embed,
    object or a pdf.js viewer: an attachment the page does not link (issue 12)."""
    found: list[tuple[HtmlElement, str]] = []
    for el in root.iter(*_EMBEDS):
        target = document_url(el.get("src") or el.get("data"), el.get("type"))
        if target:
            absolute = urljoin(base_url or "", target)
            if all(url != absolute for _, url in found):
                found.append((el, absolute))
    return found


def is_attachment_only(blocks: list[Block], attachments: list[dict[str, str]]) -> bool:
    """The body is nothing but attachment links (and their 附件： labels)."""
    if not attachments:
        return False
    rest = "".join(b.text for b in blocks if b.kind != "table")
    for attachment in attachments:
        rest = rest.replace(attachment["text"], "")
    rest = _ATTACHMENT_WORDS.sub("", re.sub(r"\s+", "", rest))
    return len(rest) < 40


def is_report(title: str | None, text: str) -> bool:
    """Title says `YYYY年(度)…政府信息公开…报告` and the body reads like one."""
    if not title or not REPORT_TITLE.search(title) or NOT_REPORT_TITLE.search(title):
        return False
    return len(text) >= 200 and len(set(REPORT_BODY.findall(text))) >= 2


def page_kind(title: str | None, text: str, blocks: list[Block],
              attachments: list[dict[str, str]]) -> str:
    """"report", "other" or "attachment_only"."""
    if is_attachment_only(blocks, attachments):
        return "attachment_only"
    return "report" if is_report(title, text) else "other"
