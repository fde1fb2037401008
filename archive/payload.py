"""Read a record's HTTP payload with a size bound, decoding Content-Encoding as a stream.

warcio's `content_stream().read()` inflates a whole payload into memory: a 1 MB gzip bomb
the downloader archived becomes gigabytes on replay (issue 11). Here every decompression is
bounded (`max_length` per call) and counted; past `max_size` bytes reading stops with
`TooLarge`, and the record stays in the archive untouched.
"""

from __future__ import annotations

import logging
import zlib
from io import BytesIO
from typing import Any

from warcio.bufferedreaders import ChunkedDataReader

try:
    from brotli import error as _BrotliError
except ImportError:  # brotli is optional, as in warcio
    _BrotliError = zlib.error
_DECODE_ERRORS = (zlib.error, _BrotliError)

logger = logging.getLogger(__name__)
READ_MAXSIZE = 200 * 1024 * 1024  # the downloader's DOWNLOAD_MAXSIZE (crawler/settings.py)
_CHUNK = 1 << 16


class TooLarge(Exception):
    """A payload is larger than the read limit; it is kept in the archive, not read."""

    def __init__(self, url: str | None, limit: int, encoded: bool) -> None:
        self.url, self.limit = url, limit
        what = "decodes to" if encoded else "is"
        super().__init__(f"payload of {url} {what} more than {limit:,} bytes (read limit); "
                         "kept in the archive, not read")


class _Inflate:
    """gzip (any number of members), zlib or raw deflate, and br: output bounded per call."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self.deflate_raw = False
        self._new()

    def _new(self) -> None:
        if self.encoding == "br":
            import brotli

            self.obj: Any = brotli.Decompressor()
        elif self.encoding == "deflate":
            self.obj = zlib.decompressobj(-zlib.MAX_WBITS if self.deflate_raw else zlib.MAX_WBITS)
        else:
            self.obj = zlib.decompressobj(16 + zlib.MAX_WBITS)

    def feed(self, data: bytes, limit: int) -> list[bytes]:
        """Decode `data`; stops early (returns what it has) once `limit` bytes came out."""
        if self.encoding == "br":
            return self._feed_br(data, limit)
        out, size = [], 0
        while data and size <= limit:
            try:
                piece = self.obj.decompress(data, _CHUNK)
            except zlib.error:
                if self.encoding == "deflate" and not self.deflate_raw and not out:
                    self.deflate_raw = True  # servers send raw deflate as often as zlib's
                    self._new()
                    continue
                raise
            out.append(piece)
            size += len(piece)
            if self.obj.eof:
                data = self.obj.unused_data
                if data.lstrip(b"\0") and self.encoding != "deflate":
                    self._new()  # a second gzip member
                    continue
                break
            data = self.obj.unconsumed_tail
        return out

    def _feed_br(self, data: bytes, limit: int) -> list[bytes]:
        out = [self.obj.process(data, output_buffer_limit=_CHUNK)]
        size = len(out[0])
        while size <= limit and not self.obj.is_finished():  # drain what the input gave
            piece = self.obj.process(b"", output_buffer_limit=_CHUNK)
            if not piece and self.obj.can_accept_more_data():
                break
            out.append(piece)
            size += len(piece)
        return out


def _raw_stream(record: Any) -> Any:
    http = record.http_headers
    if http and (http.get_header("transfer-encoding") or "").lower() == "chunked":
        return ChunkedDataReader(record.raw_stream, decomp_type=None)
    return record.raw_stream


def read_payload(record: Any, max_size: int = READ_MAXSIZE) -> bytes:
    """The payload with Content-Encoding decoded (the stored bytes if they do not decode).

    Raises `TooLarge` as soon as the stored or the decoded bytes pass `max_size`.
    """
    url = record.rec_headers.get_header("WARC-Target-URI")
    http = record.http_headers
    encoding = ((http.get_header("content-encoding") or "") if http else "").strip().lower()
    encoding = {"x-gzip": "gzip"}.get(encoding, encoding)
    inflate = _Inflate(encoding) if encoding in ("gzip", "deflate", "br") else None
    stream = _raw_stream(record)
    # BytesIO grows in place and getvalue() hands its buffer over: one copy of the payload.
    stored, decoded = BytesIO(), BytesIO() if inflate else None
    while chunk := stream.read(_CHUNK):
        stored.write(chunk)
        if stored.tell() > max_size:
            raise TooLarge(url, max_size, False)
        if decoded is not None and inflate is not None:
            try:
                pieces = inflate.feed(chunk, max_size - decoded.tell())
            except _DECODE_ERRORS as e:  # a body the server mis-encoded: keep the stored bytes
                logger.warning("cannot decode %s body of %s (%s); using the stored bytes", encoding, url, e)
                decoded = None
                continue
            for piece in pieces:
                decoded.write(piece)
            if decoded.tell() > max_size:
                raise TooLarge(url, max_size, True)
    return (stored if decoded is None else decoded).getvalue()
