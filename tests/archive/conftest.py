"""Shared fixtures for archive tests: write real WARCs with the real writer."""

import subprocess
import sys

import pytest

from archive.records import request_record, response_record
from archive.warcfile import WarcFile


def _write_exchange(warc: WarcFile, url: str, body: bytes, headers=None, status=200):
    resp = response_record(warc.builder, url, status, headers or [("Content-Type", "text/html")], body)
    req = request_record(warc.builder, url, "GET", [("User-Agent", "test")], b"",
                         concurrent_to=resp.rec_headers.get_header("WARC-Record-ID"))
    return warc.write([resp, req])


def _warcio_check(paths) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "warcio.cli", "check", "-v", *map(str, paths)],
                          capture_output=True, text=True)


@pytest.fixture
def write_exchange():
    """write_exchange(warc, url, body, headers=None, status=200) -> [resp_loc, req_loc]"""
    return _write_exchange


@pytest.fixture
def warcio_check():
    """warcio_check(paths) -> CompletedProcess of `warcio check -v`"""
    return _warcio_check


@pytest.fixture
def warc_dir(tmp_path):
    path = tmp_path / "warc"
    path.mkdir()
    return path


# -- a loopback site with the awkward cases: gzip, deflate, chunked, 304, GBK header bytes ----

import gzip  # noqa: E402
import threading  # noqa: E402
import zlib  # noqa: E402
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer  # noqa: E402

REPORT_HTML = ("<html><head><title>2023年度政府信息公开工作年度报告</title>"
               '<link rel="stylesheet" href="/style.css"></head>'
               '<body><h1>政府信息公开工作年度报告</h1><img src="/logo.gif"></body></html>').encode()
GBK_DISPOSITION = 'attachment; filename="2023年报.pdf"'.encode("gbk")
GIF = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")


class SiteHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _send(self, status, headers, body=b"", chunked=False):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(0, len(body), 40):
                part = body[i:i + 40]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
            return
        if status not in (204, 304):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?")[0]
        html = [("Content-Type", "text/html; charset=utf-8")]
        if path == "/report.html":
            self._send(200, [*html, ("Content-Encoding", "gzip"), ("Set-Cookie", "a=1; Path=/"),
                             ("Set-Cookie", "b=2; Path=/")], gzip.compress(REPORT_HTML, mtime=0))
        elif path == "/deflate.html":
            self._send(200, [*html, ("Content-Encoding", "deflate")], zlib.compress(REPORT_HTML))
        elif path == "/chunked.html":
            self._send(200, html, REPORT_HTML, chunked=True)
        elif path == "/gbk.pdf":
            self._send(200, [("Content-Type", "application/pdf"),
                             ("Content-Disposition", GBK_DISPOSITION.decode("latin-1"))], b"%PDF-1.4 test")
        elif path == "/etag.html":
            if self.headers.get("If-None-Match") == '"v1"':
                self._send(304, [("ETag", '"v1"')])
            else:
                self._send(200, [*html, ("ETag", '"v1"')], REPORT_HTML)
        elif path == "/style.css":
            self._send(200, [("Content-Type", "text/css")], b"h1 { color: red }")
        elif path == "/logo.gif":
            self._send(200, [("Content-Type", "image/gif")], GIF)
        else:
            self._send(404, html, b"not found")


@pytest.fixture(scope="session")
def site():
    """Base URL of a loopback HTTP/1.1 server with the awkward cases; stopped after the session."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), SiteHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def site_bodies():
    return {"report": REPORT_HTML, "gbk_disposition": GBK_DISPOSITION, "gif": GIF}


@pytest.fixture(scope="session")
def crawled(site, tmp_path_factory):
    """DATA dir of a real Scrapy crawl of the loopback site (WarcCapture writing the WARCs)."""
    from pathlib import Path

    data = tmp_path_factory.mktemp("crawl")
    script = Path(__file__).parent / "crawl_site.py"
    done = subprocess.run([sys.executable, str(script), site, str(data / "warc")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert list((data / "warc").glob("*.warc.gz")), done.stderr[-3000:]
    return data
