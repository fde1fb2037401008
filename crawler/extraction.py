"""Archived record → extracted page, run in worker processes (off the crawl's event loop).

The crawl and `nianbao replay` both call `extract_archived`, so live and replayed
catalogues come from the same function over the same bytes.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from scrapy.utils.misc import load_object

from archive.location import RecordLocation
from archive.payload import TooLarge
from archive.reader import read_response
from extract.template import page_lines

logger = logging.getLogger(__name__)


DEFAULT_EXTRACTOR = "extract.extract_page"
EXTRACT_MAXSIZE = 64 * 1024 * 1024  # setting EXTRACT_MAXSIZE: larger payloads are archived, not extracted
_NOT_CATALOGUED = ("cells", "tables", "removed")  # cells go as `details`; tables etc. re-derive from the WARC


def extract_archived(warc_dir: str, location: RecordLocation, hints: dict[str, Any],
                     extractor: str = DEFAULT_EXTRACTOR, max_size: int = EXTRACT_MAXSIZE,
                     lines: bool = False) -> dict[str, Any]:
    """Read one response record back and extract it; errors come back as data, not exceptions.

    `extractor` names the extraction function by import path (setting EXTRACT_FUNCTION), so
    an improved extractor can be run over old captures with `nianbao replay -s`. A payload
    over `max_size` bytes (decoded) is not read: `{"ok": False, "too_large": True, ...}`.
    With `lines`, the result also carries the page's `page_lines` (its portal's template
    sample), read from the same bytes: one read of the record and one round trip per page.
    """
    try:
        extract_page = load_object(extractor)

        response = read_response(warc_dir, location, max_size)
        sample = sorted(page_lines(response.body)) if lines else None
        if hints.get("page_images") is not None:  # the page's report images, read with it
            hints = {**hints, "images": archived_images(warc_dir, hints["page_images"], max_size)}
        page = extract_page(response.body, url=response.url, headers=response.headers, hints=hints)
        parent_location = hints.get("parent_location")
        if parent_location is not None and page.kind == "report":
            parent = read_response(warc_dir, parent_location, max_size)
            merge_parent(page, extract_page(parent.body, url=parent.url, headers=parent.headers, hints=hints))
        data = page.to_json()
        details = {"cells": [dict(vars(c)) for c in page.cells], "checks": data.pop("checks"),
                   "sections": data.pop("sections")}
        for bulky in _NOT_CATALOGUED:  # pickled back to the crawl process: only what it writes
            data.pop(bulky, None)
        return {"ok": True, "page": data, "details": details, "warnings": list(page.warnings), "lines": sample}
    except TooLarge as e:
        logger.warning("not extracted: %s (%s)", e, location)
        return {"ok": False, "too_large": True, "error": f"too large: {e}"}
    except Exception as e:  # one bad page must never stop the crawl
        logger.warning("extraction failed for %s", location, exc_info=True)
        return {"ok": False, "error": f"{type(e).__name__}: {e}"}


def archived_images(warc_dir: str, locations: dict[str, RecordLocation | None],
                    max_size: int = EXTRACT_MAXSIZE) -> dict[str, tuple[bytes, str | None] | None]:
    """URL → (body, Content-Type) of the images a page's report shows (extract/images.py);
    None for one the crawl could not archive or that cannot be read back (a warning)."""
    out: dict[str, tuple[bytes, str | None] | None] = {}
    for url, location in locations.items():
        try:
            image = read_response(warc_dir, location, max_size) if location is not None else None
        except Exception:  # the page's extraction says the image is missing
            logger.warning("image %s not readable at %s", url, location, exc_info=True)
            image = None
        if image is not None and image.status == 200:
            out[url] = (image.body, image.header("Content-Type"))
        else:
            out[url] = None
    return out


def archived_lines(warc_dir: str, location: RecordLocation, max_size: int = EXTRACT_MAXSIZE) -> list[str] | None:
    """The distinct lines of one archived HTML page (`extract.template.page_lines`), sorted:
    the crawl's sample of its portal for template lines. None when it cannot be read."""
    try:
        return sorted(page_lines(read_response(warc_dir, location, max_size).body))
    except Exception:  # the page is then no sample; its own extraction reports the fault
        logger.debug("no template sample from %s", location, exc_info=True)
        return None


_LINKED = ("title", "agency", "year", "published", "signed", "index_no", "doc_no", "publisher")


def merge_parent(document: Any, parent: Any) -> None:
    """An attachment's report takes what only its linking page states: the page's metadata
    table (索引号, 发布机构, dates) and the issuer's full name where the file says less. Both
    sides are kept (`linking_page`), and the fields where they differ are listed."""
    from extract.document_fields import prefer_text_layer

    document.linking_page = {f: getattr(parent, f) for f in _LINKED
                             if getattr(parent, f) not in (None, "")}
    document.disagreements = [f for f in ("title", "agency", "year", "signed")
                              if getattr(document, f) not in (None, "") and f in document.linking_page
                              and not _agrees(getattr(document, f), document.linking_page[f])]
    prefer_text_layer(document, parent)
    for field in ("published", "index_no", "doc_no", "publisher", "year", "signed"):
        if getattr(document, field) in (None, "") and getattr(parent, field) not in (None, ""):
            setattr(document, field, getattr(parent, field))
    full_name = next((n for n in (parent.publisher, parent.agency)
                      if n and document.agency and document.agency in n and n != document.agency), None)
    if full_name or not document.agency:
        document.agency = full_name or parent.agency
        if parent.region.code and (not document.region.code or full_name):
            document.region = parent.region


def _agrees(mine: Any, theirs: Any) -> bool:
    """Equal, or one name the fuller form of the other (城关镇 / 舒城县城关镇人民政府)."""
    if isinstance(mine, str) and isinstance(theirs, str):
        return mine == theirs or mine in theirs or theirs in mine
    return mine == theirs


# What every extraction worker imports, imported once by the fork server that forks them
# (crawler/workers.py): the program's main module, the worker's task and the extractor's
# HTML and PDF paths. OCR's onnxruntime and OpenCV are not: most workers never OCR.
WORKER_PRELOAD = ("__main__", "crawler.extraction", "extract.page", "extract.pdf", "extract.attachments")


def warm_up(ocr_threads: int | None = None) -> None:
    """Import the extractor once per worker, before the first page arrives, and give the
    worker's OCR engine its share of the cores (extract.ocr.use_threads)."""
    import extract  # noqa: F401
    from extract.ocr import use_threads

    use_threads(ocr_threads)


def ocr_threads(setting: int, workers: int, cores: int | None = None) -> int:
    """Threads for each worker's OCR engine: the setting, or else the cores shared out among
    the workers (at least one each)."""
    if setting > 0:
        return setting
    return max(1, (cores or os.cpu_count() or 1) // max(workers, 1))
