"""Build WARC records (pure): warcinfo, request and response, from what Scrapy saw.

Header values are kept as latin-1 strings so non-UTF-8 bytes (GBK file names in
Content-Disposition) survive; every repeated header (Set-Cookie …) is kept.
See docs/archive.md.
"""

from __future__ import annotations

from datetime import UTC
from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import urlsplit

from w3lib.url import safe_url_string
from warcio.recordbuilder import RecordBuilder
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date

WARC_VERSION = "WARC/1.1"

# Framing headers that describe the transfer, not the stored (de-chunked) bytes: renamed so
# replay tools do not try to de-chunk again (the X-Orig- convention of Browsertrix and pywb).
_FRAMING = {"transfer-encoding", "connection", "keep-alive"}


def _latin1(value: bytes | str) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value


def header_pairs(headers: Any) -> list[tuple[str, str]]:
    """Scrapy Headers → (name, value) pairs, every value of every repeated header."""
    pairs = []
    for name, values in headers.items():
        name_s = _latin1(name)
        for value in headers.getlist(name) if hasattr(headers, "getlist") else values:
            if name_s.lower() in _FRAMING:
                name_s = "X-Orig-" + name_s
            pairs.append((name_s, _latin1(value)))
    return pairs


def status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


def _protocol(protocol: str | None) -> str:
    return protocol.upper() if protocol and protocol.upper().startswith("HTTP/") else "HTTP/1.1"


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
    http_headers = StatusAndHeaders(status_line(status), headers, protocol=_protocol(protocol))
    warc_headers = {}
    if ip_address:
        warc_headers["WARC-IP-Address"] = ip_address
    if warc_date:
        warc_headers["WARC-Date"] = warc_date
    return builder.create_warc_record(
        url,
        "response",
        payload=BytesIO(body),
        http_headers=http_headers,
        warc_headers_dict=warc_headers,
    )


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
    parts = urlsplit(safe_url_string(url))
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if not any(name.lower() == "host" for name, _ in headers):
        headers = [("Host", parts.netloc), *headers]
    http_headers = StatusAndHeaders(f"{method} {target} HTTP/1.1", headers, is_http_request=True)
    warc_headers = {"WARC-Concurrent-To": concurrent_to}
    if warc_date:
        warc_headers["WARC-Date"] = warc_date
    return builder.create_warc_record(
        url,
        "request",
        payload=BytesIO(body),
        http_headers=http_headers,
        warc_headers_dict=warc_headers,
    )


def warcinfo_record(builder: RecordBuilder, filename: str, info: dict[str, str]) -> Any:
    """The first record of every file: software, format and the crawl's settings."""
    return builder.create_warcinfo_record(filename, info)


def now_iso() -> str:
    from datetime import datetime

    return datetime_to_iso_date(datetime.now(UTC), use_micros=True)
