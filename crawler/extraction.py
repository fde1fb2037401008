"""Archived record → extracted page, run in worker processes (off the crawl's event loop).

The crawl and `nianbao replay` both call `extract_archived`, so live and replayed
catalogues come from the same function over the same bytes.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from archive.location import RecordLocation
from archive.reader import read_response

logger = logging.getLogger(__name__)


def extract_archived(warc_dir: str, location: RecordLocation, hints: dict[str, Any]) -> dict[str, Any]:
    """Read one response record back and extract it; errors come back as data, not exceptions."""
    try:
        from extract import extract_page

        response = read_response(warc_dir, location)
        page = extract_page(response.body, url=response.url, headers=response.headers, hints=hints)
        data = page.to_json()
        details = {"cells": [asdict(c) for c in page.cells], "checks": data["checks"],
                   "sections": data["sections"]}
        return {"ok": True, "page": data, "details": details}
    except Exception as e:  # one bad page must never stop the crawl
        logger.warning("extraction failed for %s", location, exc_info=True)
        return {"ok": False, "error": f"{type(e).__name__}: {e}"}


def warm_up() -> None:
    """Import the extractor once per worker, before the first page arrives."""
    import extract  # noqa: F401
