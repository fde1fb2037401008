"""Extracted pages → catalogue rows (pure functions, shared by the crawl and replay)."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib.metadata import version
from typing import Any

from catalogue.catalogue import report_key
from crawler.documents import attachment_extension
from crawler.items import CaptureItem
from extract.model import STATS_KEYS


def report_row(item: CaptureItem, page: dict[str, Any]) -> dict[str, Any]:
    region = page.get("region") or {}
    stats = page.get("stats") or {}
    row = {
        "id": report_key(page.get("agency"), page.get("year"), page.get("title")),
        "url": item.url,
        "portal": item.portal,
        "published_as": "html" if item.kind == "page" else _doc_type(item),
        **{k: page.get(k) for k in ("title", "agency", "year", "published", "signed", "index_no",
                                    "doc_no", "publisher", "template_version", "scope", "text")},
        **{k: region.get(k) for k in ("province", "prefecture", "county", "township", "level")},
        "region_code": region.get("code"),
        **{k: stats.get(k) for k in STATS_KEYS},
        "fetched_at": item.warc_date,
        "ocr": int(bool(page.get("ocr"))),
        "disagreements": json.dumps(page["disagreements"], ensure_ascii=False)
        if page.get("disagreements") else None,
    }
    row.update(item.location.as_dict())
    return row


def _doc_type(item: CaptureItem) -> str:
    ext = attachment_extension(item.url)
    return ext.lstrip(".") if ext else "attachment"


def capture_row(item: CaptureItem, page: dict[str, Any] | None, run_id: int, report_id: str | None,
                error: str | None) -> dict[str, Any]:
    row = {
        "url": item.url, "run_id": run_id, "portal": item.portal, "kind": item.kind,
        "page_kind": page["kind"] if page else None, "status": item.status,
        "content_type": item.content_type, "title": page.get("title") if page else item.link_title,
        "report_id": report_id, "payload_digest": item.payload_digest, "fetched_at": item.warc_date,
        "error": error, "record_type": item.record_type, "record_id": item.record_id, "etag": item.etag,
        "last_modified": item.last_modified,
    }
    if item.location is not None:
        row.update(item.location.as_dict())
    return row


@cache
def software() -> str:
    """nianbao's name and version (reading package metadata costs ~1 ms: once per process)."""
    return f"nianbao/{version('nianbao')}"


def verdict_fields(page: dict[str, Any] | None, report_id: str | None, error: str | None,
                   extractor: str) -> list[tuple[str, str]]:
    """The metadata record beside a capture: how it was extracted and what came out."""
    fields = [("software", software()), ("extractor", extractor)]
    if error or page is None:
        return [*fields, ("extraction-error", error or "no page")]
    fields += [("page-kind", page["kind"])]
    for key in ("title", "agency", "year", "template_version"):
        if page.get(key) is not None:
            fields.append((key.replace("_", "-"), str(page[key])))
    if report_id:
        fields.append(("report-id", report_id))
    text = page.get("text") or ""
    fields.append(("text-sha1", hashlib.sha1(text.encode("utf-8")).hexdigest()))
    fields += [("outlink", a["url"]) for a in page.get("attachments") or [] if a.get("url")]
    return fields
