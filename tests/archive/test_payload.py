"""Bounded payload reads: every Content-Encoding decoded as a stream, stopped at the limit."""

import gzip
import zlib
from io import BytesIO

import brotli
import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

from archive.payload import TooLarge, read_payload
from archive.records import response_record
from simportals.hostile import gzip_bomb

TEXT = "<html><body>2023年政府信息公开工作年度报告</body></html>".encode() * 200


def record(body, encoding=None, extra=()):
    out = BytesIO()
    writer = WARCWriter(out, gzip=True)
    headers = [("Content-Type", "text/html")] + ([("Content-Encoding", encoding)] if encoding else []) + list(extra)
    writer.write_record(response_record(writer, "http://e.gov.cn/a.html", 200, headers, body))
    out.seek(0)
    return next(iter(ArchiveIterator(out)))


@pytest.mark.parametrize("encoding, encode", [
    (None, lambda b: b),
    ("gzip", gzip.compress),
    ("x-gzip", gzip.compress),
    ("gzip", lambda b: gzip.compress(b[:100]) + gzip.compress(b[100:])),  # two members
    ("deflate", zlib.compress),
    ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate, as many servers send it
    ("br", brotli.compress),
], ids=["identity", "gzip", "x-gzip", "gzip-members", "deflate-zlib", "deflate-raw", "br"])
def test_decodes_every_encoding(encoding, encode):
    assert read_payload(record(encode(TEXT), encoding)) == TEXT


def test_mis_encoded_body_gives_the_stored_bytes(caplog):
    assert read_payload(record(b"not gzip at all", "gzip")) == b"not gzip at all"
    assert "cannot decode gzip body" in caplog.text


def test_chunked_body_from_another_tool_is_dechunked():
    chunked = b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    assert read_payload(record(chunked, extra=[("Transfer-Encoding", "chunked")])) == b"hello world"


def test_stored_payload_over_the_limit():
    with pytest.raises(TooLarge, match="is more than 1,000 bytes"):
        read_payload(record(TEXT), max_size=1000)


@pytest.mark.parametrize("encoding, bomb", [
    ("gzip", lambda: gzip_bomb(64)),
    ("br", lambda: brotli.compress(bytes(64 << 20))),
], ids=["gzip", "br"])
def test_bomb_stops_at_the_limit(encoding, bomb):
    body = bomb()
    assert len(body) < 100_000
    with pytest.raises(TooLarge, match="decodes to more than"):
        read_payload(record(body, encoding), max_size=1 << 20)
    assert len(read_payload(record(body, encoding), max_size=64 << 20)) == 64 << 20
