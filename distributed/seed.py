"""Starting a distributed crawl: a new crawl record in Redis, and what DATA already knows.

The coordinator's DATA holds the catalogue and archive of earlier crawls. Before its
spider seeds the frontier, the URLs known not to be reports and the last capture of each
report page and attachment (validators and revisit targets, read from the WARC headers)
go to Redis, so every worker skips the same pages and revalidates the same captures as a
single-machine crawl of DATA would.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from crawler.registry import Portal
from crawler.run import data_paths
from distributed import store
from distributed.state import publish_capture


def start_crawl(server: Any, registry_text: str, command: str) -> tuple[str, bool]:
    """Join the running crawl, or start a new one; returns (crawl id, new?)."""
    record = store.crawl_record(server)
    if record.get("status") == "running":
        return record["id"], False  # a coordinator restarted: the frontier is still in Redis
    return store.new_crawl(server, registry_text, command), True


def publish_known(server: Any, data_dir: str | os.PathLike[str], portals: list[Portal]) -> dict[str, int]:
    """DATA's known non-reports and latest captures → Redis (a newer capture there is kept)."""
    from archive.location import RecordLocation
    from archive.reader import read_record_at, read_response, resolve_path
    from catalogue.catalogue import Catalogue
    from crawler.revalidate import headers_of

    paths = data_paths(data_dir)
    counts = {"non_reports": 0, "captures": 0}
    if not Path(paths["catalogue"]).exists():
        return counts
    catalogue = Catalogue(paths["catalogue"])
    try:
        for portal in portals:
            for row in catalogue.known_pages(portal.name):
                if row["page_kind"] == "other":
                    counts["non_reports"] += server.sadd(store.NON_REPORTS, row["url"])
                    continue
                if row["warc_filename"] is None or _newer_in_redis(server, row["url"], row["fetched_at"]):
                    continue
                try:
                    archived = read_record_at(resolve_path(paths["warc"], row["warc_filename"]),
                                              row["warc_offset"], headers_of)
                    # a listing answered 304 is parsed from its archived copy (distributed.rebuild)
                    body = (read_response(paths["warc"], RecordLocation(row["warc_filename"], row["warc_offset"],
                                                                        row["warc_length"])).body
                            if row["kind"] == "listing" else None)
                except Exception:
                    continue  # no conditional request for it: fetched in full, as locally
                publish_capture(server, row["url"], archived.headers, {
                    "uri": row["url"], "date": archived.warc_date, "record_id": archived.record_id,
                    "digest": row["payload_digest"], "status": archived.status}, body)
                counts["captures"] += 1
    finally:
        catalogue.close()
    return counts


def _newer_in_redis(server: Any, url: str, fetched_at: str | None) -> bool:
    raw = server.hget(store.CAPTURES, url)
    return raw is not None and json.loads(raw)["refers_to"]["date"] >= (fetched_at or "")
