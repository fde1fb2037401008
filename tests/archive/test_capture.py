"""A real Scrapy crawl through WarcCapture: what lands in the WARC is what was transferred."""

import gzip
import subprocess
import sys
import zlib

from warcio.archiveiterator import ArchiveIterator

from archive.cdxj import index_path
from archive.reader import iter_responses
from archive.verify import verify


def records(data):
    out = []
    for path in sorted((data / "warc").glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                out.append((record.rec_type, record.rec_headers, record.http_headers,
                            record.raw_stream.read()))
    return out


def by_path(data):
    return {r.url.split("/", 3)[-1]: r for r in iter_responses(sorted((data / "warc").glob("*.warc.gz")))}


def test_crawl_passes_verify_and_warcio_check(crawled, warcio_check):
    result = verify(crawled)
    assert [str(p) for p in result.problems] == []
    check = warcio_check(sorted((crawled / "warc").glob("*.warc.gz")))
    assert check.returncode == 0 and "digest pass" in check.stdout, check.stdout


def test_bodies_as_transferred_headers_that_describe_them(crawled, site_bodies):
    report = site_bodies["report"]
    raw = {headers.get_header("WARC-Target-URI").split("/", 3)[-1]: (http, body)
           for kind, headers, http, body in records(crawled) if kind == "response"}
    http, body = raw["report.html?x=1&y=2"]
    assert http.get_header("Content-Encoding") == "gzip" and gzip.decompress(body) == report
    assert [v for k, v in http.headers if k == "Set-Cookie"] == ["a=1; Path=/", "b=2; Path=/"]
    http, body = raw["deflate.html"]
    assert http.get_header("Content-Encoding") == "deflate" and zlib.decompress(body) == report
    http, body = raw["chunked.html"]
    assert body == report  # de-chunked, and no framing header claims otherwise
    assert not http.get_header("Transfer-Encoding")
    http, body = raw["gbk.pdf"]
    assert http.get_header("Content-Disposition").encode("latin-1") == site_bodies["gbk_disposition"]


def test_reader_gives_decoded_payloads_and_resolves_the_304(crawled, site_bodies):
    pages = by_path(crawled)
    report = site_bodies["report"]
    for path in ("report.html?x=1&y=2", "deflate.html", "chunked.html"):
        assert pages[path].body == report, path
    assert pages["logo.gif"].body == site_bodies["gif"]
    assert pages["missing.html"].status == 404
    revisits = [r for r in iter_responses(sorted((crawled / "warc").glob("*.warc.gz")))
                if r.rec_type == "revisit"]
    assert len(revisits) == 1
    (revisit,) = revisits
    assert (revisit.url.endswith("/etag.html"), revisit.status, revisit.body) == (True, 200, report)
    assert revisit.refers_to is not None


def test_request_and_warc_headers(crawled):
    recs = records(crawled)
    assert recs[0][0] == "warcinfo"
    assert b"software: nianbao/" in recs[0][3] and b"nianbao-settings:" in recs[0][3]
    assert all(headers.protocol == "WARC/1.1" for _, headers, _, _ in recs)
    requests = [http for kind, _, http, _ in recs if kind == "request"]
    assert any(h.protocol == "GET" and h.statusline.startswith("/report.html?x=1&y=2 ") for h in requests)
    conditional = [h for h in requests if h.get_header("If-None-Match")]
    assert conditional and all(h.get_header("Accept-Encoding") == "gzip, deflate" for h in requests)
    responses = [headers for kind, headers, _, _ in recs if kind in ("response", "revisit")]
    assert all(h.get_header("WARC-IP-Address") == "127.0.0.1" for h in responses)
    assert all(h.get_header("WARC-Payload-Digest").startswith("sha1:") for h in responses)
    (revisit,) = [h for h in responses if h.get_header("WARC-Type") == "revisit"]
    assert revisit.get_header("WARC-Profile").endswith("/revisit/server-not-modified")
    assert revisit.get_header("WARC-Refers-To") and revisit.get_header("WARC-Refers-To-Date")


def test_index_written_during_the_crawl_equals_cdxj_indexer(crawled):
    for path in (crawled / "warc").glob("*.warc.gz"):
        theirs = subprocess.run([sys.executable, "-m", "cdxj_indexer.main", "--sort", str(path)],
                                capture_output=True, text=True, check=True).stdout
        assert index_path(path).read_text() == theirs
