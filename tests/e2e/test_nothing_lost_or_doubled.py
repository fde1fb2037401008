"""Trust in the catalogue across runs (brief: a dropped sentence is the worst failure). A
report read only in part is loud to the end: a statistics table pasted as a picture the portal
no longer serves; the report is catalogued with the text it has, the loss is in the log, in
crawl_runs.warnings and the summary, and `nianbao verify` exits non-zero naming the run, until
a run reads the page whole. A report read under a new identity at its own URL (the portal
corrected its title) replaces the old row instead of standing beside it."""

from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import sqlite_utils

from tests.conftest import run_nianbao
from tests.e2e.test_deep_page import BLANK_PNG


class Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, pages: dict[str, tuple[str, bytes]]) -> None:
        self.pages = pages
        super().__init__(("127.0.0.1", 0), Handler)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        kind, body = self.server.pages.get(self.path, (HTML, b""))
        self.send_response(200 if body else 404)
        body = body or b"not found"
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


HTML = "text/html; charset=UTF-8"


def _report_page():
    """A 2021-format HTML report of the simulated beilun portal: (truth, page)."""
    from simportals import build_testbed

    testbed = build_testbed()
    truth = next(t for t in testbed.reports if t.published_as == "html" and t.locations[0][0] == "beilun"
                 and t.template_version == "2021")
    return truth, testbed.page(*truth.locations[0])[2].decode("utf-8")


@contextmanager
def _site(pages: dict[str, tuple[str, bytes]], tmp_path):
    """`pages` served on 127.0.0.1 (changed in place between crawls), and a registry of them."""
    site = Site(pages)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    host = f"127.0.0.1:{site.server_address[1]}"
    registry = tmp_path / "site.toml"
    registry.write_text(f'[[portal]]\nname = "site"\nregion = "浙江省宁波市北仑区"\n'
                        f'start_urls = ["http://{host}/ndbg/index.html"]\nallowed_domains = ["{host}"]\n'
                        "allow_private_addresses = true\n", encoding="utf-8")
    try:
        yield host, registry
    finally:
        site.shutdown()
        site.server_close()


def _listing(title: str) -> tuple[str, bytes]:
    return HTML, f'<html><body><ul><li><a href="/ndbg/r.html">{title}</a></li></ul></body></html>'.encode()


def test_a_report_missing_a_picture_fails_verify_until_read_whole(tmp_path):
    truth, page = _report_page()
    marker = "一、总体情况"
    assert marker in page
    pictured = page.replace(marker, '<img src="/pic/table3.png" width="600" height="400">' + marker, 1)
    pages = {"/ndbg/index.html": _listing(truth.title), "/ndbg/r.html": (HTML, pictured.encode())}
    data = tmp_path / "d"
    with _site(pages, tmp_path) as (host, registry):  # the picture: 404
        result = run_nianbao("crawl", "--portals", str(registry), "--data", str(data))
        db = sqlite_utils.Database(data / "catalogue.db")
        (report,) = list(db["reports"].rows)
        assert report["title"] == truth.title and marker in report["text"]
        (run,) = list(db["crawl_runs"].rows)
        (warning,) = json.loads(run["warnings"])
        assert warning.startswith("1 page(s) or document(s) read only in part") and warning in result.stdout
        log = (data / "logs" / "crawl.log").read_text(encoding="utf-8")
        assert f"extraction of http://{host}/ndbg/r.html: image not" in log
        verify = run_nianbao("verify", "--data", str(data), check=False)
        assert verify.returncode == 1, verify.stdout + verify.stderr
        assert f"crawl run {run['id']} " in verify.stdout and "read 1 page(s) or document(s) only in part" in verify.stdout

        pages["/pic/table3.png"] = ("image/png", BLANK_PNG)  # the portal serves the picture again
        run_nianbao("crawl", "--portals", str(registry), "--data", str(data))
        last = list(db["crawl_runs"].rows)[-1]
        assert json.loads(last["warnings"]) == []
        verify = run_nianbao("verify", "--data", str(data), check=False)
        assert verify.returncode == 0, verify.stdout + verify.stderr


def test_a_report_whose_title_the_portal_corrects_is_one_current_row(tmp_path):
    """The portal corrects a report's title in place (same URL): the report read under its new
    title is a new row and the old one is withdrawn by it, not left standing beside it as a
    second current report forever (both held the URL, so every later listing kept both)."""
    truth, page = _report_page()
    corrected = truth.title.replace("年度报告", "年度报告（更正）")
    pages = {"/ndbg/index.html": _listing(truth.title), "/ndbg/r.html": (HTML, page.encode())}
    data = tmp_path / "d"
    with _site(pages, tmp_path) as (_host, registry):
        run_nianbao("crawl", "--portals", str(registry), "--data", str(data))
        pages["/ndbg/r.html"] = (HTML, page.replace(truth.title, corrected).encode())
        pages["/ndbg/index.html"] = _listing(corrected)
        run_nianbao("crawl", "--portals", str(registry), "--data", str(data))
        run_nianbao("crawl", "--portals", str(registry), "--data", str(data))  # unchanged: nothing moves
    db = sqlite_utils.Database(data / "catalogue.db")
    rows = {r["title"]: r for r in db.query("select title, status, withdrawn_run from reports")}
    assert rows[corrected]["status"] == "current"
    assert (rows[truth.title]["status"], rows[truth.title]["withdrawn_run"]) == ("withdrawn", 2)
    assert len(rows) == 2
    changes = run_nianbao("changes", "--data", str(data), "--since", "2000-01-01")
    assert truth.title in changes.stdout and corrected in changes.stdout
    assert run_nianbao("verify", "--data", str(data), check=False).returncode == 0
