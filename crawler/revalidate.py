"""Conditional requests for everything archived before: listings, report pages, attachments,
robots.txt. Unchanged pages come back as 304 and are archived as revisit records.

`RevalidateMiddleware` looks each URL up in the CDXJ indexes beside the WARCs (the latest
200 capture), adds If-None-Match / If-Modified-Since from that capture's headers, and tells
the capture extension what a revisit refers to. A 304 is then handed on as the archived copy
(`crawler.replay.ReplayMiddleware.process_response`), so the spider parses it as usual.
Settings: REVALIDATE_ENABLED, WARC_DIR. Per-request opt-out: `meta["dont_revalidate"]`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from archive.cdxj import read_index
from crawler.meta import DONT_REVALIDATE, REBUILD_ON_304, REPLAY_LOCATION, WARC_REFERS_TO

logger = logging.getLogger(__name__)


def latest_captures(warc_dir: str | Path | None, since: str | None = None) -> dict[str, Any]:
    """URL → the CDXJ entry of its latest archived 200 response (optionally only since a time)."""
    latest: dict[str, Any] = {}
    if not warc_dir or not Path(warc_dir).is_dir():
        return latest
    after = re.sub(r"\D", "", since)[:14] if since else ""
    for index in sorted(Path(warc_dir).glob("*.cdxj")):
        try:
            for entry in read_index(index):
                if entry.status == "200" and entry.mime != "warc/revisit" and entry.timestamp >= after:
                    current = latest.get(entry.url)
                    if current is None or entry.timestamp >= current.timestamp:
                        latest[entry.url] = entry
        except (OSError, ValueError) as e:  # a damaged index only costs conditional requests
            logger.warning("skipping unreadable index %s: %s", index, e)
    return latest


@dataclass(frozen=True)
class _Headers:
    status: int
    headers: list[tuple[str, str]]
    warc_date: str
    record_id: str

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


def headers_of(record: Any) -> _Headers:
    http = record.http_headers
    return _Headers(int(http.get_statuscode() or 0), list(http.headers),
                    record.rec_headers.get_header("WARC-Date"), record.rec_headers.get_header("WARC-Record-ID"))


class RevalidateMiddleware:
    def __init__(self, state: Any, stats: Any) -> None:
        self.state = state  # crawler.state: where the last capture of each URL is known
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RevalidateMiddleware:
        from crawler.state import crawl_state

        settings = crawler.settings
        if not settings.getbool("REVALIDATE_ENABLED", True) or settings.getbool("REPLAY_ENABLED"):
            raise NotConfigured
        if not settings.get("WARC_DIR"):
            raise NotConfigured("WARC_DIR is not set")
        return cls(crawl_state(crawler), crawler.stats)

    def process_request(self, request: Request) -> None:
        if request.meta.get(DONT_REVALIDATE) or request.meta.get(REPLAY_LOCATION):
            return
        known = self.state.known_capture(request.url)
        if known is None:
            return
        if known.location is None and 304 not in request.meta.get("handle_httpstatus_list", ()):
            return  # captured elsewhere: a 304 could not be rebuilt here for the spider to parse
        if known.etag:
            request.headers.setdefault("If-None-Match", known.etag)
        if known.last_modified:
            request.headers.setdefault("If-Modified-Since", known.last_modified)
        request.meta[WARC_REFERS_TO] = known.refers_to
        if known.location is not None:
            request.meta[REBUILD_ON_304] = known.location
        self.stats.inc_value("revalidate/conditional")
