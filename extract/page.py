"""extract_page: one archived response (HTML page or attachment) → a filled `Page`.

Pure: the same bytes give the same Page whatever ran before (docs/design.md "extract"). The
statistics, region and attachment-body extractors live in sibling modules written separately;
they are imported when called and their fields stay empty while a module is missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from lxml import etree
from lxml import html as lxml_html
from lxml.html import HtmlElement

from extract import chrome, classify, metadata, second_opinion
from extract.charset import decode_html, header_value
from extract.container import find_container
from extract.loss import IMAGE_LOSSES
from extract.model import Page, Section
from extract.text import Block, blocks_of, drop_repeats, render, sections_of

Headers = Mapping[str, str] | Iterable[tuple[str, str]] | None
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# Attachment panels by class/id; XPath only picks the candidates, Python's re tests them (an
# EXSLT re:test calls back into Python for every element of the page).
_ATTACHMENT_NAME = re.compile("attach|fujian|xgfj|file_|files|download|article_attachment", re.I)
_NAMED = etree.XPath("//*[@class or @id]")


# lxml.html's parser picks each element's Python class with a Python callback (form, input …
# get their own classes); a C-level default lookup gives every element the plain HtmlElement,
# which is all the extractors use, without a callback per element proxy.
_PARSER = lxml_html.HTMLParser()
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=HtmlElement, comment=lxml_html.HtmlComment, pi=lxml_html.HtmlProcessingInstruction,
    entity=lxml_html.HtmlEntity))


# libxml2 stops at 256 levels of nesting and drops the rest of the page (a 10,000-deep page
# gave an empty text, issue 11); the extractors walk trees recursively, so no deeper tree is
# built either: tags below FLATTEN_DEPTH are dropped and their text kept, with a warning.
TOO_DEEP = "too deep"
FLATTEN_DEPTH = 200
_TAG = re.compile(r"<(/?)([a-zA-Z][^\s/>]*)[^>]*?(/?)>")
_NO_DEPTH = frozenset("area base br col embed hr img input link meta param source track wbr keygen "
                      "p li dt dd tr td th option optgroup thead tbody tfoot colgroup rb rt rp".split())


def flatten_html(text: str, limit: int = FLATTEN_DEPTH) -> str:
    """The page with every tag nested deeper than `limit` dropped, its text kept."""
    out, depth, last = [], 0, 0
    for match in _TAG.finditer(text):
        closing, name = match.group(1), match.group(2).lower()
        if name in _NO_DEPTH or match.group(3):
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        if depth > limit or (closing and depth >= limit):
            out.append(text[last:match.start()])
            last = match.end()
    out.append(text[last:])
    return "".join(out)


def _too_deep() -> bool:
    return any("Excessive depth" in error.message for error in _PARSER.error_log)


def parse_html(text: str, warnings: list[str] | None = None) -> HtmlElement:
    """lxml tree of a decoded page; lxml refuses str input that keeps an XML declaration.
    A page nested beyond the parser's limit is flattened, and `warnings` says so."""
    text = _XML_DECLARATION.sub("", text)
    if not text.strip():
        text = "<html><body></body></html>"
    root = _document(text)
    if not _too_deep():
        return root
    root = _document(flatten_html(text))
    lost = "; text may be incomplete" if _too_deep() else ", no text lost"
    if warnings is not None:
        warnings.append(f"{TOO_DEEP}: nested beyond the HTML parser's limit; tags below level "
                        f"{FLATTEN_DEPTH} flattened{lost}")
    return root


# C0 controls but tab and line breaks: no browser shows them, and lxml, which lets them into
# a text node when it parses, refuses a text node holding one when one is set (a tail kept)
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _document(text: str) -> HtmlElement:
    text = _CONTROLS.sub("", text)
    try:
        return lxml_html.document_fromstring(text, parser=_PARSER)
    except etree.ParserError:  # nothing lxml calls a document (`<!`, a lone comment): empty page
        return lxml_html.document_fromstring("<html><body></body></html>", parser=_PARSER)


def _body_blocks(container: HtmlElement, how: str, title: str | None,
                 removed: dict[str, list[str]], template: frozenset[str] = frozenset()) -> list[Block]:
    """Container → clean blocks: widgets cut, chrome lines dropped, copies dropped."""
    chrome.strip_elements(container, removed)
    if how != "cms":
        chrome.strip_navigation(container, removed)
    blocks = chrome.strip_lines(blocks_of(container), removed, template)
    blocks = drop_repeats(blocks, removed)
    # The CMS template prints the title as a heading above the body; it is `title`, not text.
    norm = metadata.clean_title
    while blocks and title and blocks[0].tag in ("h1", "h2", "h3", "ucaptitle", "title") \
            and norm(blocks[0].text) == norm(title):
        removed.setdefault("title", []).append(blocks.pop(0).text)
    return blocks


def _embed_container(el: HtmlElement) -> HtmlElement:
    """The nearest block around an embedded document viewer."""
    return next((a for a in el.iterancestors("div", "td", "article", "section", "main", "body")),
                el.getparent())


def _record_outside(root: HtmlElement, container: HtmlElement,
                    removed: dict[str, list[str]]) -> None:
    """What the page prints outside the body container, by chrome kind, for `removed`."""
    body = root.find("body")
    parent = container.getparent()
    if body is None or container is body or parent is None:
        return
    placeholder = lxml_html.Element("span")
    parent.replace(container, placeholder)
    try:
        outside = blocks_of(body, grids=False)
    finally:
        parent.replace(placeholder, container)
    for block in outside:
        if block.kind == "table":
            kind = "metadata" if chrome.META_LABELS.search(block.text) else "outside_body"
        else:
            kind = chrome.line_kind(block.text) or "outside_body"
        chrome.record(removed, kind, block.text)


def _attachment_blocks(root: HtmlElement, container: HtmlElement) -> list[Block]:
    """Attachment panels next to the body (附件下载 lists outside the editor div)."""
    areas = [el for el in _NAMED(root)
             if _ATTACHMENT_NAME.search(f"{el.get('class', '')} {el.get('id', '')}")]
    return [b for area in areas if container not in area.iterancestors()
            and area not in container.iterancestors() for b in blocks_of(area, grids=False)]


def _fill_fields(page: Page, root: HtmlElement, url: str | None) -> dict[str, Any]:
    """Title, 索引号, 文号, 发布机构 and publish date; returns the hints for the region."""
    metas = metadata.meta_tags(root)
    fields = metadata.labelled_fields(root)
    page.title = metadata.find_title(root, metas, fields)
    page.index_no = fields.values.get("index_no")
    page.doc_no = fields.values.get("doc_no")
    page.publisher = fields.values.get("publisher")
    page.published = metadata.published_date(metas, fields, url)
    source = metas.get("contentsource") or fields.values.get("source")
    site = metas.get("sitename")
    return {"site_id_code": metas.get("siteidcode"), "site_name": site,
            "source": source if source and source != site and "网" not in source else None}


def _fill_from_removed(page: Page) -> None:
    """Fields an info bar inside the body states (old pages print 发布时间 in the body cell),
    read from the lines cut as chrome, where the page's elements gave none."""
    lines = [line for kind in ("info_bar", "metadata") for line in page.removed.get(kind, ())]
    if not lines or all((page.published, page.index_no, page.doc_no, page.publisher)):
        return
    values = metadata.fields_from_lines(lines).values
    page.published = page.published or metadata.iso_date(values.get("published"))
    page.index_no = page.index_no or values.get("index_no")
    page.doc_no = page.doc_no or values.get("doc_no")
    page.publisher = page.publisher or values.get("publisher")


def _fill_report_fields(page: Page, blocks: list[Block], fallbacks: tuple) -> None:
    """year, signed and the issuing body, from the title, the body and the 落款."""
    issuer, signed, _ = metadata.signature(blocks)
    page.signed = signed
    page.year = metadata.report_year(page.title, page.text)
    page.agency = metadata.issuing_body(metadata.title_agency(page.title), (issuer, *fallbacks))


def extract_page(body: bytes, url: str | None = None, headers: Headers = None,
                 hints: dict[str, Any] | None = None) -> Page:
    """Extract text, tables and catalogue fields from one response body.

    `headers` may be a Mapping or a list of (name, value) pairs; its Content-Type charset is
    used when the bytes do not settle the encoding. `hints` may carry `registry_region` and
    `portal_name` for the region resolver, and `template_lines`: lines the portal's sibling
    pages share (`extract.template.template_lines`), removed from the body where a sentence
    is not at stake. The caller computes them from other archived captures, so the page stays
    a function of its record and of what the caller passes.
    """
    hints = dict(hints or {})
    content_type = header_value(headers, "content-type")
    document = _attachment_document(body, content_type, url)
    if document is not None:
        from extract.document_fields import document_page

        return document_page(document, url, hints)
    text, encoding = decode_html(body, headers)
    page = Page(url=url, encoding=encoding)
    root = parse_html(text, page.warnings)
    region_hints = _fill_fields(page, root, url)
    container, how = find_container(root)
    unfetched = _unfetched_images(root, container, url, hints)
    shown = _place_images(root, container, url, hints, page.warnings)
    embeds = classify.embedded_documents(root, url)
    if embeds and how != "cms":  # a page that shows its document: the block around the viewer
        container, how = _embed_container(embeds[0][0]), "embed"
    elif how == "scored":  # no known container: trafilatura reads the page too (recall)
        missed = second_opinion.missed_sentences(text, container, url)
        if missed:
            container = second_opinion.widen(root, container, missed, page.warnings)
    extra = _attachment_blocks(root, container)
    _record_outside(root, container, page.removed)
    # The title is on every listing that links the page, and the names the page states as its
    # own metadata (发布机构, 来源, site) sign many reports of a portal (落款): data, never template.
    own = (page.title, page.publisher, region_hints.get("site_name"), region_hints.get("source"))
    template = frozenset(map(chrome.template_key, hints.get("template_lines") or ())) \
        - {chrome.template_key(name) for name in own if name}
    blocks = _body_blocks(container, how, page.title, page.removed, template)
    page.text = render(blocks)
    _fill_from_removed(page)
    page.tables = [b.grid for b in blocks if b.kind == "table" and b.grid]
    page.sections = [Section(h, t) for h, t in sections_of(blocks)]
    _fill_report_fields(page, blocks, fallbacks=(page.publisher, region_hints.pop("source")))
    page.attachments = classify.attachment_links(blocks + extra, url)
    page.attachments += [{"url": doc, "text": page.title or ""} for _, doc in embeds
                         if all(a["url"] != doc for a in page.attachments)]
    page.kind = classify.page_kind(page.title, page.text, blocks, page.attachments)
    page.warnings += [f"image not fetched with its page: {image} (what it shows is not in the report)"
                      for image in unfetched]
    if page.kind != "report":  # an image missing from a page that is no report loses no report
        page.warnings = [w for w in page.warnings
                         if not w.startswith(IMAGE_LOSSES)]
    _finish(page, {**hints, **region_hints})
    if shown is not None and shown.ocr:
        from extract.document_fields import mark_ocr

        page.ocr = True
        page.cells = mark_ocr(page.cells, shown, mixed=True)
    return page


def _unfetched_images(root: HtmlElement, container: HtmlElement, url: str | None,
                      hints: dict[str, Any]) -> list[str]:
    """Report images (extract/images.py's rule) the crawl did not take with this page: the
    spider skips searching pages whose images its portal showed as chrome elsewhere, so one
    shown both ways would be lost without a word. Only asked of crawled pages (the hint is
    there, None when the crawl took no image)."""
    if "page_images" not in hints:
        return []
    from extract.images import page_images

    taken = hints.get("page_images") or {}
    return [image for image in page_images(root, container, url) if image not in taken]


def _place_images(root: HtmlElement, container: HtmlElement, url: str | None,
                  hints: dict[str, Any], warnings: list[str]) -> Any:
    """The page's report images (hints["images"]: URL → (body, content type), None when not
    archived) and those it carries inline (`data:` URIs), their OCR'd content put into the body
    (extract/images.py); None when it has neither."""
    from extract.images import has_inline_images, place_images

    if hints.get("images") is None and not has_inline_images(container):
        return None
    return place_images(root, container, url, hints.get("images") or {}, warnings)


def _attachment_document(body: bytes, content_type: str | None, url: str | None) -> Any:
    """The attachment extractor's Document for PDF/DOC/XLS bodies; None for HTML."""
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<", b"\xff\xfe", b"\xfe\xff")) or "html" in (content_type or "").lower():
        return None
    try:
        from extract.attachments import extract_document
    except ImportError:
        return None
    return extract_document(body, content_type, url)


def _finish(page: Page, hints: dict[str, Any]) -> None:
    """Statistics and region, from the sibling extractors when they are present."""
    _statistics(page)
    _region(page, hints)


def _statistics(page: Page) -> None:
    from extract.stats import extract_statistics

    try:
        stats = extract_statistics(page.text, page.tables, page.year, agency=page.agency)
    except Exception as exc:  # one bad page must not stop a crawl (docs/style.md §7)
        page.warnings.append(f"statistics failed: {exc!r}")
        return
    page.template_version = stats.template_version
    page.scope = stats.scope
    page.cells = list(stats.cells)
    page.checks = list(stats.checks)
    incomplete = [c.detail for c in page.checks if c.name in ("tables_complete", "figures_read") and c.passed is False]
    read = {c.table for c in page.cells if c.origin == "table"}
    # a document with no title of its own (a report page printed or pasted) is a report's
    # statistics when two of the national tables, or the legacy form, were read from it
    if incomplete and (page.kind == "report" or len(read & {"二", "三", "四"}) >= 2 or "统计表" in read):
        page.warnings.append(f"tables: statistics not read ({'; '.join(incomplete)})")
    page.stats.update({k: v for k, v in stats.headline.items() if k in page.stats})


def _region(page: Page, hints: dict[str, Any]) -> None:
    from extract.region import resolve_region

    region_hints = {"site_id_code": hints.get("site_id_code"), "site_name": hints.get("site_name"),
                    "registry_region": hints.get("registry_region"), "index_no": page.index_no,
                    "portal_name": hints.get("portal_name")}
    try:
        page.region = resolve_region(page.agency, page.title, region_hints)
    except Exception as exc:
        page.warnings.append(f"region failed: {exc!r}")
