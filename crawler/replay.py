"""Offline replay: run the live spider and pipelines with responses rebuilt from the WARCs.

With REPLAY_ENABLED, `ReplayMiddleware` answers every request from the archive, so nothing
reaches the network; the catalogue pipeline then reads each record back by its original
location, exactly as in a live crawl. Revisit records resolve to the capture they refer to.
In a live crawl it answers only requests carrying `meta["replay_location"]`: pages a killed
run had already archived, which a resumed run catalogues without fetching them again.
See docs/replay.md. Settings: REPLAY_ENABLED, WARC_DIR.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

from archive.location import RecordLocation
from archive.payload import READ_MAXSIZE, TooLarge, read_payload
from archive.reader import Problem, iter_records, printable, read_response
from archive.warcfile import OPEN_SUFFIX
from crawler.meta import REBUILD_ON_304, REBUILT_FROM_ARCHIVE, REPLAY_LOCATION
from crawler.templates import template_record_lines

logger = logging.getLogger(__name__)

# The body handed to the spider is already decoded, so these no longer describe it.
_DROP_HEADERS = {"content-encoding", "content-length", "transfer-encoding"}
_WARC_SUFFIXES = (".warc.gz", ".warc", ".warc.gz" + OPEN_SUFFIX, ".warc" + OPEN_SUFFIX)


def request_key(method: str, url: str, body: bytes = b"") -> str:
    return f"{method.upper()} {url} {hashlib.sha1(body).hexdigest() if body else ''}"


@dataclass(frozen=True)
class Capture:
    location: RecordLocation
    rec_type: str  # response or revisit
    digest: str | None
    date: str
    refers_to_url: str | None = None


class ArchiveIndex:
    """Request → latest capture, built by one pass over the WARCs' record headers."""

    def __init__(self) -> None:
        self.by_request: dict[str, Capture] = {}
        self.by_digest: dict[str, Capture] = {}
        self.problems: list[Any] = []
        self.templates: dict[str, list[str]] = {}  # response record id → the template lines it was given

    @classmethod
    def build(cls, warc_dir: str | Path) -> ArchiveIndex:
        """Gzipped and plain WARCs, closed ones first (an `.open` one is the newest)."""
        index = cls()
        names = sorted(p for p in Path(warc_dir).iterdir() if p.name.endswith(_WARC_SUFFIXES))
        for path in sorted(names, key=lambda p: p.name.endswith(OPEN_SUFFIX)):
            try:
                index._add_file(path)
            except OSError as e:  # unreadable file: named, and the rest replays
                index.problems.append(Problem(str(path), None, f"cannot read: {e}"))
        return index

    def _add_file(self, path: Path) -> None:
        name = path.name.removesuffix(OPEN_SUFFIX)
        captures: dict[str, Capture] = {}
        urls: dict[str, str] = {}
        requests: list[tuple[str, str]] = []
        # Damaged records are reported and skipped; the rest of the file still replays.
        for record, offset, length in iter_records(path, self.problems.append):
            try:
                self._add_record(record, name, offset, length, captures, urls, requests)
            except Exception as e:  # damaged bytes inside a record: iter_records resyncs past it
                self.problems.append(Problem(str(path), offset, f"unreadable record ({type(e).__name__}: "
                                             f"{printable(e)}); skipped"))
        paired = set()
        for key, response_id in requests:
            if response_id in captures:
                self._put(key, captures[response_id])
                paired.add(response_id)
        for record_id, capture in captures.items():
            if record_id not in paired:  # revisits without request records, other tools' WARCs
                self._put(request_key("GET", urls[record_id]), capture)

    def _add_record(self, record: Any, name: str, offset: int, length: Any, captures: dict[str, Capture],
                    urls: dict[str, str], requests: list[tuple[str, str]]) -> None:
        headers = record.rec_headers
        if record.rec_type == "request":
            http = record.http_headers
            body = read_payload(record)
            method = http.protocol if http else "GET"
            requests.append((request_key(method, headers.get_header("WARC-Target-URI"), body),
                             headers.get_header("WARC-Concurrent-To")))
            return
        if record.rec_type == "metadata" and (headers.get_header("Content-Type") or "").startswith(
                "application/json"):
            found = template_record_lines(record, read_payload(record))
            if found:  # the last record written for a response wins (a resumed run re-extracts)
                self.templates[found[0]] = found[1]
            return
        if record.rec_type not in ("response", "revisit"):
            return
        capture = Capture(RecordLocation(name, offset, length()), record.rec_type,
                          headers.get_header("WARC-Payload-Digest"), headers.get_header("WARC-Date"),
                          headers.get_header("WARC-Refers-To-Target-URI"))
        record_id = headers.get_header("WARC-Record-ID")
        captures[record_id] = capture
        urls[record_id] = headers.get_header("WARC-Target-URI")
        if record.rec_type == "response" and capture.digest:
            self.by_digest[capture.digest] = capture

    def _put(self, key: str, capture: Capture) -> None:
        current = self.by_request.get(key)
        if current is None or capture.date >= current.date:
            self.by_request[key] = capture

    def lookup(self, request: Request) -> Capture | None:
        capture = self.by_request.get(request_key(request.method, request.url, request.body or b""))
        if capture is not None and capture.rec_type == "revisit":
            return self.by_digest.get(capture.digest or "") or capture  # the reader resolves it
        return capture


class ReplayMiddleware:
    """Downloader middleware: serve responses from the archive, never from the network."""

    def __init__(self, index: ArchiveIndex | None, warc_dir: str, stats: Any,
                 max_size: int = READ_MAXSIZE) -> None:
        self.index = index
        self.warc_dir = warc_dir
        self.stats = stats
        self.max_size = max_size

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReplayMiddleware:
        warc_dir = crawler.settings.get("WARC_DIR")
        if not warc_dir:
            raise NotConfigured("WARC_DIR is not set")
        index = None
        if crawler.settings.getbool("REPLAY_ENABLED"):
            index = ArchiveIndex.build(warc_dir)
            for problem in index.problems:
                crawler.stats.inc_value("replay/damaged_records")
                logger.warning("replay: %s", problem)
            crawler.stats.set_value("replay/damaged", [str(p) for p in index.problems])
        # The downloader's bound (DOWNLOAD_MAXSIZE) holds for answers from the archive too.
        return cls(index, warc_dir, crawler.stats, crawler.settings.getint("DOWNLOAD_MAXSIZE") or READ_MAXSIZE)

    def process_request(self, request: Request) -> Any:
        location = request.meta.get(REPLAY_LOCATION)
        if location is not None:
            capture = Capture(location, "response", None, "")
        elif self.index is None:
            return None  # a live request
        else:
            capture = self.index.lookup(request)
        if capture is None:
            self.stats.inc_value("replay/not_in_archive")
            raise IgnoreRequest(f"not in archive: {request.method} {request.url}")
        try:
            archived = self._read(capture.location)
        except Exception as e:
            self.stats.inc_value("replay/unreadable")
            raise IgnoreRequest(f"unreadable record for {request.url}: {e}") from e
        request.meta.update({"warc_location": capture.location, "warc_date": archived.warc_date,
                             "warc_record_id": archived.record_id,
                             "warc_payload_digest": archived.payload_digest, "dont_archive": True})
        self.stats.inc_value("replay/responses")
        return self._response(request, archived)

    def process_response(self, request: Request, response: Any) -> Any:
        """A listing answered 304 is handed to the spider as its archived copy."""
        location = request.meta.get(REBUILD_ON_304)
        if response.status != 304 or location is None:
            return response
        try:
            archived = self._read(location)
        except Exception:
            self.stats.inc_value("replay/unreadable")
            logger.warning("cannot rebuild %s from the archive", request.url, exc_info=True)
            return response
        request.meta[REBUILT_FROM_ARCHIVE] = True
        self.stats.inc_value("replay/rebuilt_304")
        return self._response(request, archived)

    def _read(self, location: RecordLocation) -> Any:
        """The archived response; one over the read limit comes with no body."""
        try:
            return read_response(self.warc_dir, location, self.max_size)
        except TooLarge as e:
            self.stats.inc_value("replay/too_large")
            logger.warning("replay: %s (%s)", e, location)
            return read_response(self.warc_dir, location, None)  # the pipeline catalogues it as too large

    @staticmethod
    def _response(request: Request, archived: Any) -> Any:
        headers = Headers()
        for name, value in archived.headers:
            if name.lower() not in _DROP_HEADERS:
                headers.appendlist(name.encode("latin-1", "replace"), value.encode("latin-1", "replace"))
        cls = responsetypes.from_args(headers=headers, url=request.url, body=archived.body[:4096])
        return cls(url=request.url, status=archived.status, headers=headers, body=archived.body,
                   request=request, protocol="HTTP/1.1")
