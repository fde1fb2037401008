"""Catalogue fields of a page: title, issuing body, report year, dates, 索引号, 文号, 发布机构.

Sources in order of trust (shared/docs/ogi-format.md §3.5–3.7, extract-anchors §6c): the
政府网站发展指引 meta tags, the page's own metadata block and info bar (label → value), the
title pattern `<机关><YYYY>年(度)…报告`, the 落款 at the end of the body, and the URL.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from itertools import islice

from lxml import etree
from lxml.html import HtmlElement

from extract.tables import string_value
from extract.text import Block, clean_line

LABELS: dict[str, tuple[str, ...]] = {
    "index_no": ("索引号", "索取号", "信息索引", "索引"),
    "publisher": ("发布机构", "发布单位", "发文机关", "发文机构", "发文单位", "所属机构"),
    "doc_no": ("文号", "发文字号", "文件编号", "发文文号", "备注/文号"),
    "doc_date": ("成文日期", "生成日期", "发文日期", "公文生成日期"),
    "published": ("发布时间", "发布日期", "公开日期", "时间发布", "时间", "日期"),
    "name": ("信息名称", "文件名称", "名称", "标题"),
    "source": ("信息来源", "来源"),
}
_LABEL_OF = {label: key for key, labels in LABELS.items() for label in labels}


def _spaced(labels: list[str]) -> str:
    """Alternation that also matches labels padded inside (`索 引 号`, `名　　称`)."""
    return "|".join(r"\s*".join(map(re.escape, label))
                    for label in sorted(labels, key=len, reverse=True))


_LABEL_RE = re.compile(r"(?:^|(?<=[\s|｜、，,；;】\]]))(" + _spaced(list(_LABEL_OF)) + r")\s*[:：]")
_BARE_LABEL = re.compile(r"^(" + "|".join(sorted(_LABEL_OF, key=len, reverse=True)) + r")\s*[:：]?$")
# Labels of the metadata block whose values we do not keep; they still end the previous value.
_OTHER = ("分类|主题分类|组配分类|信息分类|体裁分类|关键词|主题词|备注|有效性|时效|公开方式|公开形式|公开范围"
          "|信息类别|内容概述|文件下载|服务对象|单位|采集时间|浏览次数|点击数|字号|字体")
_OTHER_LABEL = re.compile(rf"^({_OTHER})\s*[:：]?")
_OTHER_INLINE = re.compile(rf"(?:^|(?<=[\s|｜、，,；;】\]]))({_OTHER})\s*[:：]")
_LEAF_TAGS = ("td", "th", "span", "li", "p", "div", "dt", "dd", "label", "b", "strong", "em",
              "font", "h1", "h2", "h3", "h4", "publishtime")
_BLOCKISH = ("div", "p", "td", "table", "li", "ul", "tr", "dl")
# In-page title elements: a class containing one of these (as XPath contains(@class, …)), or
# <ucaptitle>/<h1>. Looked for in one Python pass: the XPath union took ~1 ms a page.
_TITLE_CLASS = re.compile("article_title|article-title|Article-title|detail-title|news_title|con-title")
_TITLE_TAGS = ("ucaptitle", "h1")
_WHITESPACE = re.compile(r"\s+")
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
_YEAR = r"(\d{4}|[〇零○O一二三四五六七八九]{4})"
_TITLE_ORG = re.compile(r"^(?P<org>.+?)(?:关于)?" + _YEAR + r"\s*年")
_TITLE_ORG_AFTER_YEAR = re.compile(r"^" + _YEAR + r"\s*年度?(?P<org>.+?)(?:政府信息公开|政务公开"
                                   r"|政务信息公开|信息公开)")
_ORG_SUFFIX = re.compile(r"(政府|人民政府|办公厅|办公室|局|委员会|委|厅|院|中心|管委会|管理委员会|处|署|会|区"
                         r"|县|市|州|盟|旗|镇|乡|街道|街道办事处|所|站|公司|队|部|社|馆|团|室)$")

_NUM_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_CN_DATE = re.compile(r"[〇零○O０一二三四五六七八九]{4}\s*年\s*[一二三四五六七八九十]{1,3}\s*月"
                      r"\s*[一二三四五六七八九十]{1,3}\s*日")
_URL_DATES = (re.compile(r"/t(20\d\d)(\d\d)(\d\d)_"), re.compile(r"/(20\d\d)/(\d{1,2})/(\d{1,2})/"),
              re.compile(r"/(20\d\d)-(\d\d)/(\d\d)/"), re.compile(r"/(20\d\d)(\d\d)(\d\d)/"))


def _valid(year: str, month: str, day: str) -> str | None:
    try:
        return datetime.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _arabic(text: str) -> str:
    """Chinese-numeral dates (二〇一七年三月一日, with ○ or O for zero) → Arabic, via cn2an."""
    import cn2an

    return cn2an.transform(re.sub("[○OＯ０零]", "〇", text), "cn2an")


def iso_date(text: str | None) -> str | None:
    """The first date in a string, Arabic or Chinese numerals, as ISO `YYYY-MM-DD`."""
    if not text:
        return None
    match = _NUM_DATE.search(text)
    if not match and _CN_DATE.search(text):
        match = _NUM_DATE.search(_arabic(_CN_DATE.search(text).group(0)))
    return _valid(*match.groups()) if match else None


def find_date(line: str) -> tuple[str, str] | None:
    """(ISO date, text before it) when a line is only a date, optionally after the issuer."""
    line = line.strip().strip("（()）")
    for pattern in (_NUM_DATE, _CN_DATE):
        match = pattern.search(line)
        if match and not line[match.end():].strip(" 。.）)"):
            date = iso_date(match.group(0))
            if date:
                return date, line[:match.start()]
    return None


def year_number(text: str) -> int | None:
    """`2017` or `二〇一七` → 2017, within the years reports exist."""
    year = int(text) if text.isdigit() else int(re.sub(r"\D", "", _arabic(text + "年")) or 0)
    return year if 2000 <= year <= 2100 else None


def url_date(url: str | None) -> str | None:
    """Publish date from CMS URL patterns: `/t20180626_`, `/2018/6/26/`, `/2018-06/26/`."""
    for pattern in _URL_DATES:
        match = pattern.search(url or "")
        if match and _valid(*match.groups()):
            return _valid(*match.groups())
    return None


@dataclass
class Fields:
    """Label → value pairs found on the page, first occurrence wins."""

    values: dict[str, str] = field(default_factory=dict)

    def add(self, key: str, value: str) -> None:
        value = clean_line(value).strip("|｜ ")
        if value and key not in self.values:
            self.values[key] = value


def meta_tags(root: HtmlElement) -> dict[str, str]:
    """<meta name=…> contents, names lower-cased, first occurrence wins."""
    found: dict[str, str] = {}
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if name and content and name not in found:
            found[name] = content
    return found


def _pairs_in_line(text: str, fields: Fields) -> None:
    """`索引号：X 主题分类：Y 发布机构：Z` → each known label's value, up to the next label."""
    matches = sorted([*_LABEL_RE.finditer(text), *_OTHER_INLINE.finditer(text)],
                     key=lambda m: m.start())
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        if match.re is _LABEL_RE:
            fields.add(_LABEL_OF[_WHITESPACE.sub("", match.group(1))], text[match.end():end])


def _leaves(root: HtmlElement) -> list[HtmlElement]:
    """_LEAF_TAGS elements without a _BLOCKISH descendant (ancestors of blockish ones marked once)."""
    inner: set[HtmlElement] = set()
    for block in root.iter(*_BLOCKISH):
        parent = block.getparent()
        while parent is not None and parent not in inner:
            inner.add(parent)
            parent = parent.getparent()
    return [el for el in root.iter(*_LEAF_TAGS) if el not in inner]


def _is_label(text: str) -> bool:
    return bool(_BARE_LABEL.match(text) or _LABEL_RE.match(text) or _OTHER_LABEL.match(text))


def _column_fields(root: HtmlElement, fields: Fields) -> None:
    """Metadata tables printed as a header row of labels over a row of values (索取号 | 发布时间 …)."""
    from extract.tables import table_grid

    for table in root.iter("table"):
        if len(list(islice(table.iter("tr"), 7))) > 6:
            continue
        grid = table_grid(table)
        for upper, lower in zip(grid, grid[1:], strict=False):
            labels = [_BARE_LABEL.match(_CJK_GAP.sub("", c)) for c in upper]
            if sum(1 for m in labels if m) >= 2 and not any(_is_label(c) for c in lower if c):
                for match, value in zip(labels, lower, strict=False):
                    if match:
                        fields.add(_LABEL_OF[match.group(1)], value)


def labelled_fields(root: HtmlElement) -> Fields:
    """Metadata block and info-bar values: `索引号：X` in one element or label and value cells."""
    fields = Fields()
    _column_fields(root, fields)
    pending: str | None = None
    for el in _leaves(root):
        value = string_value(el)
        if not value or value.isspace():  # what clean_line makes empty (re's \s is str.isspace)
            continue
        raw = clean_line(value)  # its only whitespace is ASCII spaces
        text = _CJK_GAP.sub("", raw) if " " in raw else raw  # `索 引 号` is a label too
        if not text or len(text) > 200:
            continue
        if pending and not _is_label(text):
            fields.add(pending, text)
        pending = None
        bare = _BARE_LABEL.match(text)
        if bare:
            pending = _LABEL_OF[bare.group(1)]
        elif ":" in raw or "：" in raw:  # every inline label ends with a colon
            _pairs_in_line(raw, fields)
    return fields


def fields_from_lines(lines: list[str]) -> Fields:
    """Label → value pairs of loose lines (an info bar cut from the body, not an element)."""
    fields = Fields()
    for line in lines:
        _pairs_in_line(line, fields)
    return fields


def clean_title(text: str) -> str:
    """One line, no padding, no gaps between Chinese characters."""
    return _CJK_GAP.sub("", clean_line(text))


def strip_site_suffix(title: str, page_title: bool = False) -> str:
    """Drop the column and site names CMSs append after `_`/`-`/`|`; keep the report part."""
    parts = [p.strip() for p in re.split(r"\s*(?:_|\||｜|\s-\s|-(?=[^\d]))\s*", title)
             if p.strip()]
    reportish = [p for p in parts if "报告" in p]
    if reportish:
        return reportish[0]
    return max(parts, key=len) if page_title and parts else title


def _title_elements(root: HtmlElement) -> list[HtmlElement]:
    """Elements that may print the title, in document order."""
    found = _TITLE_CLASS.search
    return [el for el in root.iter(etree.Element)
            if el.tag in _TITLE_TAGS or ((cls := el.get("class")) is not None and found(cls))]


def find_title(root: HtmlElement, metas: dict[str, str], fields: Fields) -> str | None:
    """ArticleTitle meta, the in-page title, the metadata 名称, then `<title>` without suffix."""
    for candidate in (metas.get("articletitle"), fields.values.get("name")):
        if candidate and clean_title(candidate):
            return strip_site_suffix(clean_title(candidate))
    page_title = clean_title(root.findtext(".//title") or "")
    for el in _title_elements(root):
        text = clean_title(el.text_content())
        if 4 <= len(text) <= 120 and (not page_title or text[:6] in page_title
                                      or "报告" in text):
            return strip_site_suffix(text)
    return strip_site_suffix(page_title, page_title=True) if page_title else metas.get("og:title")


def report_year(title: str | None, text: str) -> int | None:
    """The year the report covers: from the title, else the 统计期限 sentence."""
    for source in (title or "",):
        match = re.search(_YEAR + r"\s*年度?", source)
        if match and "年度报告" not in source[match.start():match.start() + 5]:
            year = year_number(match.group(1))
            if year:
                return year
    match = re.search(r"统计(?:期限|时限|期间|时间|区间)[^。]{0,30}?(\d{4})\s*年\s*0?1\s*月\s*0?1\s*日",
                      text) or re.search(r"(\d{4})\s*年\s*0?1\s*月\s*0?1\s*日\s*(?:起|开始)?\s*(?:至|到|—|-)",
                                         text)
    return int(match.group(1)) if match else None


def title_agency(title: str | None) -> str | None:
    """`<机关><YYYY>年…报告` or `<YYYY>年<机关>政府信息公开…` → 机关."""
    if not title:
        return None
    match = _TITLE_ORG.match(title)
    org = match.group("org") if match else None
    if not org or not org.strip("（(【[ "):
        match = _TITLE_ORG_AFTER_YEAR.match(title)
        org = match.group("org") if match else None
    if not org:
        return None
    org = re.sub(r"^.*[:：]", "", org.strip(" （(【["))
    org = re.sub(r"^(关于|印发|公布|一图读懂|图解)+", "", org).strip()
    if org.endswith("人民"):
        org += "政府"
    # `2022年政府信息公开…` names no body: the lazy match stops inside 政府信息公开 itself.
    return org if len(org) >= 2 and org not in ("政府", "政务", "政务信息") else None


def signature(blocks: list[Block]) -> tuple[str | None, str | None, int | None]:
    """The 落款: (issuer line, ISO date, index of the date block), searched from the end.

    A listing prints a date under every item; a page with more than three date-only lines
    has no 落款.
    """
    dated = [i for i, b in enumerate(blocks)
             if b.kind != "table" and len(b.text) <= 40 and find_date(b.text)]
    if not dated or len(dated) > 3:
        return None, None, None
    i = dated[-1]
    date, prefix = find_date(blocks[i].text)  # type: ignore[misc]
    issuer = prefix.strip() or None
    before = blocks[i - 1] if i > 0 else None
    if not issuer and before is not None and before.kind != "table" and is_org(before.text):
        issuer = before.text.strip()
    return issuer, date, i


def published_date(metas: dict[str, str], fields: Fields, url: str | None) -> str | None:
    """Meta PubDate, then the info bar's 发布时间, then a date in the URL."""
    for key in ("pubdate", "publishdate", "firstpublishedtime", "article:published_time",
                "dc.date", "dcterms.issued"):
        if metas.get(key) and iso_date(metas[key]):
            return iso_date(metas[key])
    if fields.values.get("published") and iso_date(fields.values["published"]):
        return iso_date(fields.values["published"])
    return url_date(url)


def is_org(text: str | None) -> bool:
    """Looks like the name of a government body."""
    return bool(text) and 2 <= len(text) <= 40 and bool(_ORG_SUFFIX.search(text))


# A place stands for its government, not for the office that compiled the report.
_GOVERNMENT = re.compile(r"(人民政府|政府|管委会|管理委员会|办事处|行政公署)$")
_PLACE_ONLY = re.compile(r"(省|市|区|县|州|盟|旗|镇|乡|街道|实验区|开发区|新区)$")


def issuing_body(from_title: str | None, others: tuple[str | None, ...]) -> str | None:
    """The issuer: the title's name, unless it is only a place (北仑区) and the 落款 or 发布机构
    spells out the body it stands for (宁波市北仑区人民政府)."""
    named = [c for c in others if c and is_org(c)]
    if from_title:
        if _PLACE_ONLY.search(from_title):
            fuller = [c for c in named if from_title in c and len(c) > len(from_title)
                      and _GOVERNMENT.search(c)]
            if fuller:
                return fuller[0]
        return from_title
    return named[0] if named else next((c for c in others if c), None)
