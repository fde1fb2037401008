"""Hostile archive inputs for tests and benchmarks: gzip bombs a downloader could have archived.

`write_bomb_warc` adds a WARC (and its CDXJ) to DATA/warc holding, for given URLs, either a
response whose payload is a small gzip body inflating to gigabytes (Content-Encoding: gzip),
or a response stored as one huge gzip WARC member. Built by repeating one fully flushed
deflate block, so gigabytes of zeros cost milliseconds to make (issue 11).
"""

from __future__ import annotations

import base64
import hashlib
import struct
import zlib
from datetime import UTC, datetime
from pathlib import Path

from warcio.warcwriter import WARCWriter

from archive.cdxj import cdxj_line, index_path
from archive.reader import read_record_at
from archive.records import WARC_VERSION, response_record, warcinfo_record

MIB = 1 << 20
_ZEROS = bytes(MIB)


def _gzip(prefix: bytes, mib: int, suffix: bytes) -> bytes:
    """One gzip member: `prefix`, `mib` MiB of zeros, `suffix`."""
    parts = []
    for data, last in ((prefix, False), (_ZEROS, False), (suffix, True)):
        obj = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
        # A full flush makes each block independent of what came before, so one MiB's block
        # repeated is a valid stream of many MiB.
        parts.append(obj.compress(data) + obj.flush(zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH))
    crc = zlib.crc32(prefix)
    for _ in range(mib):
        crc = zlib.crc32(_ZEROS, crc)
    crc = zlib.crc32(suffix, crc)
    size = len(prefix) + mib * MIB + len(suffix)
    return (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + parts[0] + parts[1] * mib + parts[2]
            + struct.pack("<II", crc, size & 0xFFFFFFFF))


def gzip_bomb(mib: int) -> bytes:
    """A gzip body (about 1 KiB per MiB) that inflates to `mib` MiB of zeros."""
    return _gzip(b"", mib, b"")


def _sha1_zeros(prefix: bytes, mib: int) -> str:
    digest = hashlib.sha1(prefix)
    for _ in range(mib):
        digest.update(_ZEROS)
    return "sha1:" + base64.b32encode(digest.digest()).decode("ascii")


def _huge_member(url: str, mib: int, date: str, record_id: str) -> bytes:
    """A response record of `mib` MiB of identity-encoded zeros as one gzip member."""
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
            + f"Content-Length: {mib * MIB}\r\n\r\n".encode())
    payload_digest = _sha1_zeros(b"", mib)
    headers = (f"WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: {record_id}\r\n"
               f"WARC-Date: {date}\r\nWARC-Target-URI: {url}\r\n"
               f"WARC-Payload-Digest: {payload_digest}\r\nWARC-Block-Digest: {_sha1_zeros(http, mib)}\r\n"
               f"Content-Type: application/http; msgtype=response\r\n"
               f"Content-Length: {len(http) + mib * MIB}\r\n\r\n").encode()
    return _gzip(headers + http, mib, b"\r\n\r\n")


def write_bomb_warc(warc_dir: str | Path, bombs: dict[str, str], mib: int = 2048) -> Path:
    """Write `nianbao-…-bomb.warc.gz` + `.cdxj`: URL → "gzip" (Content-Encoding bomb) or
    "member" (one huge WARC gzip member), each `mib` MiB once inflated."""
    warc_dir = Path(warc_dir)
    stamp = datetime.now(UTC)
    name = f"nianbao-{stamp.strftime('%Y%m%d%H%M%S%f')[:17]}-00001-1-bomb.warc.gz"
    date = stamp.isoformat(timespec="seconds").replace("+00:00", "Z")
    path = warc_dir / name
    spans = []
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version=WARC_VERSION)
        writer.write_record(warcinfo_record(writer, name, {"software": "nianbao/hostile-input"}))
        for n, (url, kind) in enumerate(bombs.items()):
            offset = fh.tell()
            if kind == "gzip":
                headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")]
                body = gzip_bomb(mib)
                writer.write_record(response_record(writer, url, 200, [*headers, ("Content-Length", str(len(body)))],
                                                    body, warc_date=date))
            else:
                fh.write(_huge_member(url, mib, date, f"<urn:uuid:00000000-0000-4000-8000-{n:012d}>"))
            spans.append((offset, fh.tell() - offset))
    with open(index_path(path), "w", encoding="utf-8") as index:
        for offset, length in spans:
            index.write(read_record_at(path, offset, lambda r, o=offset, n=length: cdxj_line(r, name, o, n)))
    return path

