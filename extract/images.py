"""Images that are part of a report page's report: statistics tables pasted as pictures inside
the body (tables 二–四 as screenshots), and a report published as several page images (第1页,
第2页 …) linked from one page.

Which images count is decided by structure, the same way for the spider (what it fetches) and
the extractor (where their text goes), never by words: an <img> inside the page's body container
that is not declared icon-sized (one carried inline as a `data:` URI needs no fetch: the
extractor decodes it from the page); and the image files a page links when it
links two or more (the pages of one document), in page order. A page linking a single image
keeps it as an attachment report (extract/attachments.py).

`place_images` puts each image's OCR'd paragraphs and ruled tables into the page tree where the
image was (linked pages after the body, in page order), so text, tables, sections, statistics
and cross-checks are read from them as from the page's own HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html
from lxml.html import HtmlElement

from extract.formats import IMAGE_EXTENSIONS

MIN_SIDE = 64  # px: an image declared smaller on a side is an icon, a bullet or a spacer
_SIDE = re.compile(r"(?:^|;)\s*(width|height)\s*:\s*(\d+(?:\.\d+)?)\s*px", re.I)
_PAGE_NO = re.compile(r"第\s*(\d{1,3})\s*页|(?:^|[^\d])(\d{1,3})\s*$")
_WRAPPERS = ("p", "span", "a", "center", "div", "font", "strong", "b")


@dataclass
class PageImages:
    """The OCR'd images merged into one page: their tables and confidences, for the OCR flags
    of the statistics (extract/document_fields.py mark_ocr)."""

    tables: list[list[list[str]]] = field(default_factory=list)
    confidence: list[Any] = field(default_factory=list)
    line_confidence: dict[str, float] = field(default_factory=dict)

    @property
    def ocr(self) -> bool:
        return any(c is not None for c in self.confidence) or bool(self.line_confidence)


def is_image_url(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(IMAGE_EXTENSIONS)


def _declared_side(img: HtmlElement, name: str) -> float | None:
    value = (img.get(name) or "").strip().lower().removesuffix("px")
    if re.fullmatch(r"\d+(?:\.\d+)?", value):
        return float(value)
    for prop, number in _SIDE.findall(img.get("style") or ""):
        if prop.lower() == name:
            return float(number)
    return None


def content_images(container: HtmlElement, base: str | None,
                   inline: bool = False) -> list[tuple[HtmlElement, str]]:
    """(element, absolute URL) of the images the body shows as content, in document order;
    `inline`: images carried in the page itself (`data:` URIs, as editors paste from Word) too,
    the URI as their URL: nothing to fetch, their bytes archived with the page."""
    out: list[tuple[HtmlElement, str]] = []
    seen: set[str] = set()
    for img in container.iter("img"):
        src = (img.get("src") or img.get("data-src") or "").strip()
        if not src or src.lower().startswith("javascript:") or (is_inline(src) and not inline):
            continue
        sides = [_declared_side(img, "width"), _declared_side(img, "height")]
        if any(side is not None and side < MIN_SIDE for side in sides):
            continue
        url = src if is_inline(src) else urljoin(base or "", src)
        if url not in seen:
            seen.add(url)
            out.append((img, url))
    return out


def is_inline(src: str) -> bool:
    return src[:5].lower() == "data:"


def inline_image(uri: str) -> tuple[bytes, str | None]:
    """A `data:` URI's bytes and media type (base64 or percent-encoded)."""
    import base64
    from urllib.parse import unquote_to_bytes

    head, _, data = uri.partition(",")
    media = head[5:].split(";")[0] or None
    body = base64.b64decode(data + "=" * (-len(data) % 4)) if ";base64" in head.lower() \
        else unquote_to_bytes(data)
    return body, media


def has_inline_images(container: HtmlElement) -> bool:
    return any(is_inline((img.get("src") or "").strip()) for img in container.iter("img"))


def linked_pages(root: HtmlElement, base: str | None) -> list[tuple[HtmlElement, str]]:
    """(anchor, absolute URL) of image files the page links, when it links two or more: the
    pages of one document, sorted by the page number their label or file name gives (document
    order when not every one has a number)."""
    found: dict[str, HtmlElement] = {}
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        # an image file's suffix shows in its href as in its absolute URL: only those are joined
        if href and not href.startswith(("javascript:", "#", "mailto:")) and is_image_url(href):
            url = urljoin(base or "", href)
            if url not in found:
                found[url] = a
    if len(found) < 2:
        return []
    numbers = {url: _page_number(a, url) for url, a in found.items()}
    order = list(found)
    if all(n is not None for n in numbers.values()) and len(set(numbers.values())) == len(order):
        order.sort(key=lambda url: numbers[url])
    return [(found[url], url) for url in order]


def _page_number(a: HtmlElement, url: str) -> int | None:
    for text in (re.sub(r"\s+", "", a.get("title") or a.text_content() or ""),
                 urlsplit(url).path.rsplit("/", 1)[-1].rsplit(".", 1)[0]):
        match = _PAGE_NO.search(text)
        if match:
            return int(match.group(1) or match.group(2))
    return None


def page_images(root: HtmlElement, container: HtmlElement, base: str | None) -> list[str]:
    """Every image URL that belongs to the page's report: content images, then linked pages."""
    urls = [url for _, url in content_images(container, base)]
    return urls + [url for _, url in linked_pages(root, base) if url not in urls]


def images_to_fetch(body: bytes | str, base: str) -> list[str]:
    """The spider's question, from the page's bytes: which images to fetch with this page."""
    from extract.container import find_container
    from extract.page import parse_html

    text = body if isinstance(body, str) else body.decode("utf-8", errors="replace")
    try:
        root = parse_html(text)
    except Exception:  # an unparsable page shows no image
        return []
    container, _ = find_container(root)
    return page_images(root, container, base)


def place_images(root: HtmlElement, container: HtmlElement, base: str | None,
                 images: dict[str, tuple[bytes, str | None] | None],
                 warnings: list[str]) -> PageImages:
    """Each fetched image's OCR'd content put where the page shows it; linked pages appended to
    the body in page order. An image the crawl could not archive is a warning (its tables are
    missing from the report); one that holds no text adds nothing."""
    merged = PageImages()
    inline = content_images(container, base, inline=True)
    for n, (element, url) in enumerate(inline):
        if is_inline(url):
            try:
                fetched = [(f"image {n + 1} of the page (inline data)", inline_image(url))]
            except ValueError as exc:  # binascii.Error: a broken paste loses itself, not the page
                warnings.append(f"image unreadable: image {n + 1} of the page (inline data): {exc}")
                continue
        elif url not in images:
            continue  # the crawl did not take it for the report's (its page parse, not this one)
        else:
            fetched = [(url, images.get(url))]
        document = _read(fetched, warnings)
        if document is not None:
            fragment = _fragment(document, merged)
            if len(fragment):
                _replace(_wrapper(element, container), fragment)
    shown = {url for _, url in inline}
    pages = [url for _, url in linked_pages(root, base) if url not in shown and url in images]
    if pages:  # one document: running heads, paragraphs and tables across page breaks joined
        document = _read([(url, images.get(url)) for url in pages], warnings)
        if document is not None:
            container.append(_fragment(document, merged))
    if merged.ocr:
        warnings.append("ocr: images in the page read by OCR")
    return merged


def _read(fetched: list[tuple[str, tuple[bytes, str | None] | None]], warnings: list[str]) -> Any:
    """The printed pages of one image, or of several images in page order, as one Document."""
    from extract.attachments import from_flow
    from extract.figures import SEAL, left_out
    from extract.layout import reflow
    from extract.ocr import LazyEngine, load_image, ocr_pages

    pages: list[Any] = []
    engine = LazyEngine()  # one for every image of the report
    for name, body in fetched:
        if body is None:
            warnings.append(f"image not archived: {name}; what it shows is missing from the report")
            continue
        try:
            image = load_image(body[0])
            reason = left_out(image)  # an icon pasted inline (its size declared nowhere), a seal
            if reason == "seal":
                warnings.append(f"image: {SEAL}: {name}")
            if reason is None:
                read = ocr_pages(image, engine=engine)
                if any(p.seals for p in read):
                    warnings.append(f"image: {SEAL}: {name}")
                pages += read
        except Exception as exc:  # noqa: BLE001 - a broken image loses itself, not the page
            warnings.append(f"image unreadable: {name}: {type(exc).__name__}: {exc}")
    return from_flow(reflow(pages), "image", []) if pages else None


def _wrapper(img: HtmlElement, container: HtmlElement) -> HtmlElement:
    """The outermost element around the image that holds nothing else (its <p>, <a>, <center>)."""
    node = img
    parent = node.getparent()
    while parent is not None and parent is not container and parent.tag in _WRAPPERS \
            and len(parent) == 1 and not (parent.text or "").strip() and not (node.tail or "").strip():
        node, parent = parent, parent.getparent()
    return node


def _replace(element: HtmlElement, fragment: HtmlElement) -> None:
    """`fragment` in the place of `element`, the text that followed it kept after it."""
    parent = element.getparent()
    if parent is None:
        return
    fragment.tail, element.tail = element.tail, None
    parent.replace(element, fragment)


def _fragment(document: Any, merged: PageImages) -> HtmlElement:
    """A Document's blocks as HTML: headings, paragraphs and tables (span copies repeated)."""
    out = lxml_html.Element("div")
    for kind, payload in document.blocks or [("p", line) for line in document.text.splitlines()]:
        if kind == "table":
            grid = document.tables[payload]
            merged.tables.append(grid)
            merged.confidence.append(document.confidence[payload] if document.confidence else None)
            table = lxml_html.Element("table", border="1")
            for row in grid:
                tr = lxml_html.Element("tr")
                for text in row:
                    td = lxml_html.Element("td")
                    td.text = text
                    tr.append(td)
                table.append(tr)
            out.append(table)
        elif str(payload).strip():
            element = lxml_html.Element("h3" if kind in ("title", "h") else "p")
            element.text = str(payload)
            out.append(element)
    merged.line_confidence.update(document.line_confidence or {})
    return out
