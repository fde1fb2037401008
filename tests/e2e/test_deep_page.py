"""A report page nested 10,000 deep, crawled: catalogued with its text, and the flattening is
in the log, crawl_runs.warnings and the summary; never an empty text without a line (issue 11)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import sqlite_utils

from extract import extract_page
from tests.conftest import run_nianbao

DEPTH = 10_000


class Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, pages: dict[str, bytes]) -> None:
        self.pages = pages
        super().__init__(("127.0.0.1", 0), Handler)


def _blank_png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (120, 120), 255).save(out, format="PNG")
    return out.getvalue()


BLANK_PNG = _blank_png()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        body = self.server.pages.get(self.path)
        image = body is None and self.path.startswith("/images/")
        if image:  # the page's logo and icons: blank, so they add nothing and lose nothing
            body = BLANK_PNG
        self.send_response(200 if body else 404)
        body = body or b"not found"
        self.send_header("Content-Type", "image/png" if image else "text/html; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def test_deep_report_catalogued_with_a_warning(tmp_path):
    from simportals import build_testbed

    testbed = build_testbed()
    truth = next(t for t in testbed.reports if t.published_as == "html" and t.locations[0][0] == "beilun")
    original = testbed.page(*truth.locations[0])[2].decode("utf-8")
    deep = original.replace("<body>", "<body>" + "<div>" * DEPTH, 1).replace("</body>", "</div>" * DEPTH + "</body>", 1)
    listing = f'<html><body><ul><li><a href="/ndbg/deep.html">{truth.title}</a></li></ul></body></html>'
    site = Site({"/ndbg/index.html": listing.encode(), "/ndbg/deep.html": deep.encode()})
    threading.Thread(target=site.serve_forever, daemon=True).start()
    host = f"127.0.0.1:{site.server_address[1]}"
    registry = tmp_path / "deep.toml"
    registry.write_text(f'[[portal]]\nname = "deep"\nregion = "浙江省宁波市北仑区"\n'
                        f'start_urls = ["http://{host}/ndbg/index.html"]\nallowed_domains = ["{host}"]\n'
                        "allow_private_addresses = true\n", encoding="utf-8")
    try:
        result = run_nianbao("crawl", "--portals", str(registry), "--data", str(tmp_path / "d"))
    finally:
        site.shutdown()
        site.server_close()
    db = sqlite_utils.Database(tmp_path / "d" / "catalogue.db")
    (report,) = list(db["reports"].rows)
    expected = extract_page(original.encode(), url=f"http://{host}/ndbg/deep.html").text
    body_lines = [line for line in expected.splitlines() if len(line) > 30]
    assert body_lines and all(line in report["text"] for line in body_lines)
    (run,) = list(db["crawl_runs"].rows)
    (warning,) = json.loads(run["warnings"])
    assert warning.startswith("1 page(s) nested too deep") and f"warning            {warning}" in result.stdout
    log = (tmp_path / "d" / "logs" / "crawl.log").read_text(encoding="utf-8")
    assert f"extraction of http://{host}/ndbg/deep.html: too deep" in log
