"""WarcFile: records land where it says, files rotate and are renamed only when closed."""

import gzip
import subprocess
import sys
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from archive.reader import iter_responses, read_response
from archive.records import request_record, response_record
from archive.warcfile import OPEN_SUFFIX, WarcFile


def write_exchange(warc: WarcFile, url: str, body: bytes, headers=None):
    resp = response_record(warc.builder, url, 200, headers or [("Content-Type", "text/html")], body)
    req = request_record(warc.builder, url, "GET", [("User-Agent", "test")], b"",
                         concurrent_to=resp.rec_headers.get_header("WARC-Record-ID"))
    return warc.write([resp, req])


def warcio_check(paths) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "warcio.cli", "check", *map(str, paths)],
                          capture_output=True, text=True)


def test_records_read_back_at_their_locations(tmp_path):
    warc = WarcFile(tmp_path, info={"software": "test"})
    body = gzip.compress("政府信息公开".encode())
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip"),
               ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")]
    resp_loc, req_loc = write_exchange(warc, "http://example.gov.cn/a?x=1&y=2", body, headers)
    assert (tmp_path / (resp_loc.filename + OPEN_SUFFIX)).exists()  # still being written
    response = read_response(tmp_path, resp_loc)  # readable while .open
    assert response.body.decode() == "政府信息公开"
    assert [v for k, v in response.headers if k == "Set-Cookie"] == ["a=1", "b=2"]
    warc.close()
    assert (tmp_path / resp_loc.filename).exists() and not list(tmp_path.glob("*.open"))
    assert read_response(tmp_path, resp_loc).url == "http://example.gov.cn/a?x=1&y=2"
    assert warcio_check(tmp_path.glob("*.warc.gz")).returncode == 0


def test_warcinfo_first_and_request_linked_to_response(tmp_path):
    warc = WarcFile(tmp_path, info={"software": "test"})
    write_exchange(warc, "http://example.gov.cn/b?q=年报", b"<html>x</html>")
    warc.close()
    (path,) = tmp_path.glob("*.warc.gz")
    with open(path, "rb") as fh:
        records = [(r.rec_type, r.rec_headers, r.http_headers) for r in ArchiveIterator(fh)]
    assert [r[0] for r in records] == ["warcinfo", "response", "request"]
    assert records[0][1].protocol == "WARC/1.1"
    response_id = records[1][1].get_header("WARC-Record-ID")
    assert records[2][1].get_header("WARC-Concurrent-To") == response_id
    assert records[1][1].get_header("WARC-Payload-Digest").startswith("sha1:")
    request_line = f"{records[2][2].protocol} {records[2][2].statusline}"
    assert request_line.startswith("GET /b?q=%E5%B9%B4%E6%8A%A5 HTTP/1.1")  # query string kept


def test_rotation_by_size(tmp_path):
    warc = WarcFile(tmp_path, rotate_bytes=2_000)
    locations = [write_exchange(warc, f"http://example.gov.cn/{i}", bytes(range(256)) * 8)[0]
                 for i in range(6)]
    warc.close()
    files = sorted(p.name for p in tmp_path.glob("*.warc.gz"))
    assert len(files) >= 3 and not list(tmp_path.glob("*.open"))
    assert {loc.filename for loc in locations} <= set(files)
    for i, loc in enumerate(locations):
        assert read_response(tmp_path, loc).url == f"http://example.gov.cn/{i}"
    assert warcio_check(tmp_path.glob("*.warc.gz")).returncode == 0
    replayed = list(iter_responses(sorted(tmp_path.glob("*.warc.gz"))))
    assert {(r.url, r.location) for r in replayed} == {(f"http://example.gov.cn/{i}", loc) for i, loc in enumerate(locations)}


def test_every_file_starts_with_warcinfo(tmp_path):
    warc = WarcFile(tmp_path, rotate_bytes=500, info={"software": "test"})
    for i in range(3):
        write_exchange(warc, f"http://example.gov.cn/{i}", b"x" * 600)
    warc.close()
    for path in Path(tmp_path).glob("*.warc.gz"):
        with open(path, "rb") as fh:
            assert next(iter(ArchiveIterator(fh))).rec_type == "warcinfo"
