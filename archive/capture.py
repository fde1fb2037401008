"""Scrapy extension: write every exchange to WARC as it arrives.

Hooks `response_downloaded`, which fires before the downloader middlewares, so the body is
still as transferred (content-encoded, already de-chunked by Twisted) and its headers still
describe it. The response record's location goes into `request.meta["warc_location"]` for
the item pipeline (with `warc_date`, `warc_record_id`, `warc_payload_digest`). Opt out per
request with `meta["dont_archive"]`. A 304 to a request carrying `meta["warc_refers_to"]`
(`{"uri", "date", "record_id", "digest"}` of the earlier capture) becomes a
server-not-modified revisit record.
Settings: WARC_ENABLED, WARC_DIR, WARC_ROTATE_BYTES, WARC_PREFIX.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from archive.records import (
    PROFILE_IDENTICAL_PAYLOAD,
    PROFILE_SERVER_NOT_MODIFIED,
    header_pairs,
    json_metadata_record,
    metadata_record,
    now_iso,
    request_record,
    response_record,
    revisit_record,
)
from archive.warcfile import WarcFile

logger = logging.getLogger(__name__)

# Settings worth keeping in warcinfo: enough to know how the capture was made.
_INFO_SETTINGS = (
    "USER_AGENT",
    "ROBOTSTXT_OBEY",
    "AUTOTHROTTLE_ENABLED",
    "AUTOTHROTTLE_TARGET_CONCURRENCY",
    "CONCURRENT_REQUESTS",
    "CONCURRENT_REQUESTS_PER_DOMAIN",
    "DOWNLOAD_DELAY",
    "RETRY_TIMES",
    "DEFAULT_REQUEST_HEADERS",
)


# A 304 does not describe the stored payload's framing (RFC 9111 §4.3.4): these stay as stored.
_KEEP_ON_UPDATE = {"content-length", "content-encoding", "transfer-encoding", "content-type",
                   "x-orig-content-length", "x-orig-transfer-encoding"}


def updated_headers(stored: list[tuple[str, str]], fresh: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The stored response's headers updated by a 304's, as a cache does (RFC 9111 §4.3.4).

    A server-not-modified revisit carries these under the original's status line, so replay
    tools (pywb treats any 3xx revisit as a redirect) serve the original payload with them.
    """
    replace = {name.lower() for name, _ in fresh if name.lower() not in _KEEP_ON_UPDATE}
    kept = [(n, v) for n, v in stored if n.lower() not in replace]
    return kept + [(n, v) for n, v in fresh if n.lower() in replace]


def payload_digest(body: bytes) -> str:
    """The WARC-Payload-Digest warcio would write for this body (sha1, base32)."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def warcinfo_fields(settings: Any) -> dict[str, str]:
    from importlib.metadata import version

    return {
        "software": f"nianbao/{version('nianbao')} (Scrapy {version('scrapy')}, warcio {version('warcio')})",
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
        "http-header-user-agent": str(settings.get("USER_AGENT")),
        "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
        "nianbao-settings": json.dumps({k: settings.get(k) for k in _INFO_SETTINGS}, ensure_ascii=False, default=str),
    }


class WarcCapture:
    def __init__(self, warc_file: WarcFile, stats: Any, revisit_requests: bool = False) -> None:
        self.warc = warc_file
        self.stats = stats
        self.revisit_requests = revisit_requests

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCapture:
        settings = crawler.settings
        if not settings.getbool("WARC_ENABLED", True):
            raise NotConfigured("WARC_ENABLED is off")
        warc_dir = settings.get("WARC_DIR")
        if not warc_dir:
            raise NotConfigured("WARC_DIR is not set")
        warc_file = WarcFile(
            warc_dir,
            prefix=settings.get("WARC_PREFIX", "nianbao"),
            rotate_bytes=settings.getint("WARC_ROTATE_BYTES", 1_000_000_000),
            info=warcinfo_fields(settings),
        )
        ext = cls(warc_file, crawler.stats, settings.getbool("WARC_REVISIT_REQUESTS", False))
        crawler.signals.connect(ext.response_downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def response_downloaded(self, response: Response, request: Request, spider: Any = None) -> None:
        if request.meta.get("dont_archive"):
            return
        try:
            self._write(response, request)
        except Exception:
            # A page that cannot be archived is counted and logged; the crawl goes on.
            self.stats.inc_value("warc/write_error")
            logger.warning("could not archive %s", response.url, exc_info=True)

    def _write(self, response: Response, request: Request) -> None:
        builder = self.warc.builder
        date = now_iso()
        ip_address = str(response.ip_address) if response.ip_address else None
        original = request.meta.get("warc_refers_to")
        profile = None
        if original and response.status == 304:
            profile = PROFILE_SERVER_NOT_MODIFIED
        elif original and response.status == 200 and original.get("digest") == payload_digest(response.body):
            profile = PROFILE_IDENTICAL_PAYLOAD  # same bytes as last time: no second full copy
        if profile:
            status, headers = response.status, header_pairs(response.headers)
            if profile == PROFILE_SERVER_NOT_MODIFIED and original.get("headers"):
                status, headers = original.get("status", 200), updated_headers(original["headers"], headers)
            resp = revisit_record(
                builder, response.url, status, headers,
                profile=profile, refers_to_uri=original["uri"],
                refers_to_date=original["date"], refers_to=original.get("record_id"),
                payload_digest=original.get("digest"), protocol=response.protocol,
                ip_address=ip_address, warc_date=date,
            )
            request.meta["warc_record_type"] = "revisit"
            self.stats.inc_value("warc/revisits")
        else:
            resp = response_record(
                builder, response.url, response.status, header_pairs(response.headers),
                response.body, protocol=response.protocol, ip_address=ip_address, warc_date=date,
            )
        req = request_record(
            builder,
            request.url,
            request.method,
            header_pairs(request.headers),
            request.body or b"",
            concurrent_to=resp.rec_headers.get_header("WARC-Record-ID"),
            warc_date=date,
        )
        before = self.warc.bytes_written
        records = [resp, req]
        if profile == PROFILE_SERVER_NOT_MODIFIED and not self.revisit_requests:
            records = [resp]  # the revisit says it all; keeps an unchanged re-crawl small
        resp_loc = self.warc.write(records)[0]
        request.meta["warc_location"] = resp_loc
        request.meta["warc_date"] = date
        request.meta["warc_record_id"] = resp.rec_headers.get_header("WARC-Record-ID")
        request.meta["warc_payload_digest"] = resp.rec_headers.get_header("WARC-Payload-Digest")
        self.stats.inc_value("warc/records_written", len(records))
        self.stats.inc_value("warc/bytes_written", self.warc.bytes_written - before)

    def write_metadata(self, url: str, fields: list[tuple[str, str]], concurrent_to: str) -> None:
        """A metadata record beside a capture: what extraction made of it (outlinks, verdict)."""
        self._write_metadata(metadata_record(self.warc.builder, url, fields, concurrent_to=concurrent_to,
                                             warc_date=now_iso()))

    def write_json_metadata(self, url: str, data: dict[str, Any], concurrent_to: str) -> None:
        """A JSON metadata record beside a capture: what its extraction was given (template lines)."""
        self._write_metadata(json_metadata_record(self.warc.builder, url, data, concurrent_to=concurrent_to,
                                                  warc_date=now_iso()))

    def _write_metadata(self, record: Any) -> None:
        before = self.warc.bytes_written
        self.warc.write([record])
        self.stats.inc_value("warc/records_written")
        self.stats.inc_value("warc/bytes_written", self.warc.bytes_written - before)

    def spider_closed(self, spider: Any = None) -> None:
        self.warc.close()
        self.stats.set_value("warc/files", len(self.warc.files_closed))
