"""Build WARC records (pure): warcinfo, request, response, revisit and metadata.

Header values are kept as latin-1 strings so non-UTF-8 bytes (GBK file names in
Content-Disposition) survive byte-exact (`RawHeaders`); every repeated header is kept.
See docs/archive.md.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import urlsplit

from w3lib.url import safe_url_string
from warcio.recordbuilder import RecordBuilder
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date

WARC_VERSION = "WARC/1.1"
DIGEST_ALGORITHM = "sha1"  # base32, as warcio, pywb and the Internet Archive write it

PROFILE_IDENTICAL_PAYLOAD = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
PROFILE_SERVER_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"

# Framing headers that describe the transfer, not the stored (de-chunked) bytes: renamed so
# replay tools do not try to de-chunk again (the X-Orig- convention of Browsertrix and pywb).
_FRAMING = {"transfer-encoding", "connection", "keep-alive"}
ORIG_PREFIX = "X-Orig-"


class RawHeaders(StatusAndHeaders):
    """HTTP headers written back as the bytes they came from, not percent-encoded.

    warcio re-serialises headers as ASCII and percent-encodes anything else
    (`percent_encode_non_ascii_headers`); our values are latin-1 strings of the original
    bytes, so latin-1 gives those bytes back. Text that is not latin-1 falls back to UTF-8.
    """

    def to_bytes(self, filter_func: Any = None, encoding: str = "latin-1") -> bytes:
        text = self.to_str(filter_func)
        try:
            return text.encode("latin-1") + b"\r\n"
        except UnicodeEncodeError:
            lines = text.split("\r\n")
            return b"\r\n".join(_encode_line(line) for line in lines) + b"\r\n"

    def compute_headers_buffer(self, header_filter: Any = None) -> None:
        self.headers_buff = self.to_bytes(header_filter)


def _encode_line(line: str) -> bytes:
    try:
        return line.encode("latin-1")
    except UnicodeEncodeError:
        return line.encode("utf-8")


def _latin1(value: bytes | str) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value


def header_pairs(headers: Any) -> list[tuple[str, str]]:
    """Scrapy Headers → (name, value) pairs, every value of every repeated header."""
    pairs = []
    for name, values in headers.items():
        name_s = _latin1(name)
        if name_s.lower() in _FRAMING:
            name_s = ORIG_PREFIX + name_s
        for value in headers.getlist(name) if hasattr(headers, "getlist") else values:
            pairs.append((name_s, _latin1(value)))
    return pairs


def describe_body(headers: list[tuple[str, str]], body_length: int, status: int) -> list[tuple[str, str]]:
    """Rename a Content-Length that does not match the stored body (X-Orig-Content-Length)."""
    if status in (204, 304) or 100 <= status < 200:
        return headers
    out = []
    for name, value in headers:
        if name.lower() == "content-length" and value.strip() != str(body_length):
            name = ORIG_PREFIX + name
        out.append((name, value))
    return out


def status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


def _protocol(protocol: str | None) -> str:
    return protocol.upper() if protocol and protocol.upper().startswith("HTTP/") else "HTTP/1.1"


def _warc_headers(warc_date: str | None, ip_address: str | None = None, **extra: str) -> dict[str, str]:
    headers = {name.replace("_", "-"): value for name, value in extra.items() if value}
    if ip_address:
        headers["WARC-IP-Address"] = ip_address
    if warc_date:
        headers["WARC-Date"] = warc_date
    return headers


def response_record(
    builder: RecordBuilder,
    url: str,
    status: int,
    headers: list[tuple[str, str]],
    body: bytes,
    *,
    protocol: str | None = None,
    ip_address: str | None = None,
    warc_date: str | None = None,
) -> Any:
    """A response record holding the body as transferred (still content-encoded)."""
    headers = describe_body(headers, len(body), status)
    http_headers = RawHeaders(status_line(status), headers, protocol=_protocol(protocol))
    return builder.create_warc_record(
        url,
        "response",
        payload=BytesIO(body),
        http_headers=http_headers,
        warc_headers_dict=_warc_headers(warc_date, ip_address),
    )


def request_target(url: str) -> tuple[str, str]:
    """(host[:port], path?query) of a URL, percent-encoded as it goes on the wire."""
    parts = urlsplit(safe_url_string(url))
    return parts.netloc, (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def request_record(
    builder: RecordBuilder,
    url: str,
    method: str,
    headers: list[tuple[str, str]],
    body: bytes,
    *,
    concurrent_to: str,
    warc_date: str | None = None,
) -> Any:
    """A request record; the request line keeps the query string, Host is added as sent."""
    host, target = request_target(url)
    if not any(name.lower() == "host" for name, _ in headers):
        headers = [("Host", host), *headers]
    http_headers = RawHeaders(f"{method} {target} HTTP/1.1", headers, is_http_request=True)
    return builder.create_warc_record(
        url,
        "request",
        payload=BytesIO(body),
        http_headers=http_headers,
        warc_headers_dict=_warc_headers(warc_date, WARC_Concurrent_To=concurrent_to),
    )


def revisit_record(
    builder: RecordBuilder,
    url: str,
    status: int,
    headers: list[tuple[str, str]],
    *,
    profile: str,
    refers_to_uri: str,
    refers_to_date: str,
    refers_to: str | None = None,
    payload_digest: str | None = None,
    protocol: str | None = None,
    ip_address: str | None = None,
    warc_date: str | None = None,
) -> Any:
    """A revisit record: HTTP headers only, pointing at the original that holds the payload.

    `profile` is PROFILE_SERVER_NOT_MODIFIED (a 304 to a conditional GET) or
    PROFILE_IDENTICAL_PAYLOAD (same payload digest as an earlier capture). pywb resolves the
    original by WARC-Refers-To-Target-URI, WARC-Refers-To-Date and the payload digest.
    """
    if profile == PROFILE_IDENTICAL_PAYLOAD and not payload_digest:
        raise ValueError("an identical-payload-digest revisit needs the payload digest")
    http_headers = RawHeaders(status_line(status), headers, protocol=_protocol(protocol))
    warc_headers = _warc_headers(
        warc_date, ip_address,
        WARC_Profile=profile,
        WARC_Refers_To=refers_to or "",
        WARC_Refers_To_Target_URI=refers_to_uri,
        WARC_Refers_To_Date=refers_to_date,
        WARC_Payload_Digest=payload_digest or "",
    )
    return builder.create_warc_record(url, "revisit", http_headers=http_headers,
                                      warc_headers_dict=warc_headers)


def metadata_record(
    builder: RecordBuilder,
    url: str,
    fields: list[tuple[str, str]],
    *,
    concurrent_to: str,
    warc_date: str | None = None,
) -> Any:
    """A metadata record (application/warc-fields) about one capture: outlinks, verdicts."""
    block = "".join(f"{name}: {value}\r\n" for name, value in fields).encode("utf-8")
    return _metadata(builder, url, block, "application/warc-fields", concurrent_to, warc_date)


def json_metadata_record(builder: RecordBuilder, url: str, data: dict[str, Any], *, concurrent_to: str,
                         warc_date: str | None = None) -> Any:
    """A metadata record (application/json) beside one capture: what its extraction was given."""
    block = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return _metadata(builder, url, block, "application/json", concurrent_to, warc_date)


def _metadata(builder: RecordBuilder, url: str, block: bytes, content_type: str, concurrent_to: str,
              warc_date: str | None) -> Any:
    return builder.create_warc_record(
        url,
        "metadata",
        payload=BytesIO(block),
        length=len(block),
        warc_content_type=content_type,
        warc_headers_dict=_warc_headers(warc_date, WARC_Concurrent_To=concurrent_to),
    )


def warcinfo_record(builder: RecordBuilder, filename: str, info: dict[str, str]) -> Any:
    """The first record of every file: software, format and the crawl's settings."""
    return builder.create_warcinfo_record(filename, info)


def now_iso() -> str:
    # warcio formats naive UTC datetimes; an aware one would get "+00:00Z".
    return datetime_to_iso_date(datetime.now(UTC).replace(tzinfo=None), use_micros=True)
