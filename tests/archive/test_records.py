"""Records: raw header bytes, revisits, metadata; CDXJ as cdxj-indexer writes it."""

import gzip
import subprocess
import sys
import zlib

from warcio.archiveiterator import ArchiveIterator

from archive.cdxj import index_path, read_index
from archive.reader import iter_responses, read_response
from archive.records import (
    PROFILE_IDENTICAL_PAYLOAD,
    PROFILE_SERVER_NOT_MODIFIED,
    metadata_record,
    response_record,
    revisit_record,
)
from archive.warcfile import WarcFile

GBK_NAME = "2023年政府信息公开工作年度报告.pdf".encode("gbk")
GBK_DISPOSITION = b'attachment; filename="' + GBK_NAME + b'"'


def raw_member(path, offset):
    with open(path, "rb") as fh:
        fh.seek(offset)
        return zlib.decompressobj(31).decompress(fh.read())


def test_gbk_header_bytes_round_trip_byte_exact(warc_dir, write_exchange, warcio_check):
    warc = WarcFile(warc_dir)
    headers = [("Content-Type", "application/pdf"),
               ("Content-Disposition", GBK_DISPOSITION.decode("latin-1"))]
    resp_loc, _ = write_exchange(warc, "http://www.example.gov.cn/f.pdf", b"%PDF-1.4 x", headers)
    warc.close()
    path = warc_dir / resp_loc.filename
    assert b"Content-Disposition: " + GBK_DISPOSITION + b"\r\n" in raw_member(path, resp_loc.offset)
    response = read_response(warc_dir, resp_loc)
    assert response.header("Content-Disposition").encode("latin-1") == GBK_DISPOSITION
    check = warcio_check([path])
    assert check.returncode == 0, check.stdout
    assert "digest pass" in check.stdout


def test_repeated_headers_query_string_and_encodings(warc_dir, write_exchange, warcio_check):
    warc = WarcFile(warc_dir)
    text = "<html><title>年报</title></html>".encode()
    cases = {
        "gzip": gzip.compress(text),
        "deflate": zlib.compress(text),
    }
    locations = {}
    for encoding, body in cases.items():
        headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", encoding),
                   ("Content-Length", str(len(body))), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")]
        locations[encoding] = write_exchange(warc, f"http://e.gov.cn/p?enc={encoding}&x=1", body, headers)[0]
    warc.close()
    for encoding, loc in locations.items():
        response = read_response(warc_dir, loc)
        assert response.body == text
        assert response.url.endswith(f"?enc={encoding}&x=1")
        assert [v for k, v in response.headers if k == "Set-Cookie"] == ["a=1", "b=2"]
        assert response.header("Content-Encoding") == encoding  # stored still encoded
        assert raw_member(warc_dir / loc.filename, loc.offset).endswith(cases[encoding] + b"\r\n\r\n")
    assert warcio_check(warc_dir.glob("*.warc.gz")).returncode == 0


def test_stale_content_length_is_renamed(warc_dir, write_exchange):
    warc = WarcFile(warc_dir)
    loc, _ = write_exchange(warc, "http://e.gov.cn/a", b"abc", [("Content-Length", "999")])
    warc.close()
    response = read_response(warc_dir, loc)
    assert response.header("Content-Length") is None
    assert response.header("X-Orig-Content-Length") == "999"


def test_framing_headers_renamed():
    from scrapy.http import Headers

    from archive.records import header_pairs

    pairs = header_pairs(Headers({"Transfer-Encoding": "chunked", "Set-Cookie": ["a=1", "b=2"]}))
    assert ("X-Orig-Transfer-Encoding", "chunked") in pairs
    assert [v for k, v in pairs if k == "Set-Cookie"] == ["a=1", "b=2"]


def _revisits(warc):
    body = b"<html>same</html>"
    orig = response_record(warc.builder, "http://e.gov.cn/r", 200, [("Content-Type", "text/html"),
                           ("ETag", '"v1"')], body, warc_date="2024-01-01T00:00:00.000000Z")
    orig_id = orig.rec_headers.get_header("WARC-Record-ID")
    digest = orig.rec_headers.get_header("WARC-Payload-Digest")
    not_modified = revisit_record(
        warc.builder, "http://e.gov.cn/r", 304, [("ETag", '"v1"')],
        profile=PROFILE_SERVER_NOT_MODIFIED, refers_to_uri="http://e.gov.cn/r",
        refers_to_date="2024-01-01T00:00:00.000000Z", refers_to=orig_id, payload_digest=digest)
    same = revisit_record(
        warc.builder, "http://e.gov.cn/copy", 200, [("Content-Type", "text/html")],
        profile=PROFILE_IDENTICAL_PAYLOAD, refers_to_uri="http://e.gov.cn/r",
        refers_to_date="2024-01-01T00:00:00.000000Z", refers_to=orig_id, payload_digest=digest)
    meta = metadata_record(warc.builder, "http://e.gov.cn/r", [("outlink", "http://e.gov.cn/x"),
                           ("extraction", "report")], concurrent_to=orig_id)
    return body, warc.write([orig]) + warc.write([not_modified]) + warc.write([same, meta])


def test_revisits_resolve_to_the_original(warc_dir, warcio_check):
    warc = WarcFile(warc_dir, rotate_bytes=1)  # original and revisits in different files
    body, (orig_loc, nm_loc, same_loc, meta_loc) = _revisits(warc)
    warc.close()
    assert len(list(warc_dir.glob("*.warc.gz"))) == 3
    assert warcio_check(warc_dir.glob("*.warc.gz")).returncode == 0
    nm = read_response(warc_dir, nm_loc)
    assert (nm.rec_type, nm.status, nm.body, nm.refers_to) == ("revisit", 200, body, orig_loc)
    assert nm.header("Content-Type") == "text/html"
    same = read_response(warc_dir, same_loc)
    assert (same.url, same.status, same.body) == ("http://e.gov.cn/copy", 200, body)
    replayed = list(iter_responses(sorted(warc_dir.glob("*.warc.gz"))))
    assert sorted(r.url for r in replayed) == ["http://e.gov.cn/copy", "http://e.gov.cn/r", "http://e.gov.cn/r"]
    assert all(r.body == body for r in replayed)
    with open(warc_dir / same_loc.filename, "rb") as fh:
        fh.seek(same_loc.offset)
        rec = next(iter(ArchiveIterator(fh)))
        assert rec.rec_headers.get_header("WARC-Profile") == PROFILE_IDENTICAL_PAYLOAD
        assert rec.rec_headers.get_header("WARC-Refers-To-Target-URI") == "http://e.gov.cn/r"
        assert rec.rec_headers.get_header("WARC-Refers-To")
        fh.seek(meta_loc.offset)
        meta = next(iter(ArchiveIterator(fh)))
        assert meta.rec_type == "metadata"
        assert b"outlink: http://e.gov.cn/x" in meta.content_stream().read()


def test_cdxj_written_per_record_matches_cdxj_indexer(warc_dir, write_exchange):
    warc = WarcFile(warc_dir, rotate_bytes=3_000)
    write_exchange(warc, "http://e.gov.cn/missing", b"", [("Content-Type", "text/html")], status=404)
    # while the file is open, its index already has a line per finished record
    name = warc.current_name
    live = list(read_index(index_path(warc_dir / name)))
    assert [(e.url, e.status, e.filename) for e in live] == [("http://e.gov.cn/missing", "404", name)]
    for i in range(5):
        write_exchange(warc, f"http://www.Example.gov.cn/a/{i}.html?q=年报&i={i}", b"x" * 1000,
                       [("Content-Type", "text/html; charset=gbk")])
    _revisits(warc)
    warc.close()
    warcs = sorted(warc_dir.glob("*.warc.gz"))
    assert len(warcs) >= 2
    for path in warcs:
        ours = index_path(path).read_text()
        theirs = subprocess.run([sys.executable, "-m", "cdxj_indexer.main", "--sort", str(path)],
                                capture_output=True, text=True, check=True).stdout
        assert ours == theirs
        assert ours.splitlines() == sorted(ours.splitlines())
