"""Redirects stay in the portal (issue 11): report URLs of the simulated portals answer 302 to
another loopback address, another port, `localhost`, the spam mirror and a URL with
credentials. None is followed, archived as the portal's report or catalogued; each refusal is
logged and counted in the run table and the summary. A registry that does not allow private
addresses fetches nothing from 127.0.0.1."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlite_utils
from warcio.archiveiterator import ArchiveIterator

from tests.conftest import run_nianbao


class Target(ThreadingHTTPServer):
    """A hostile host: answers every path with a genuine report page and notes the request."""

    daemon_threads = True

    def __init__(self, host: str, body: bytes) -> None:
        self.hits: list[str] = []
        self.body = body
        super().__init__((host, 0), TargetHandler)


class TargetHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.server.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=UTF-8")
        self.send_header("Content-Length", str(len(self.server.body)))
        self.end_headers()
        self.wfile.write(self.server.body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    from simportals import build_testbed, serve_testbed

    data = tmp_path_factory.mktemp("redirects")
    testbed = build_testbed()
    single = [t for t in testbed.reports if len(t.locations) == 1 and t.published_as == "html"]
    picks = {kind: single[i * 7] for i, kind in enumerate(("alias", "port", "localhost", "mirror", "credentials"))}
    body = testbed.page(*single[0].locations[0])[2]
    targets = [Target("127.0.0.2", body), Target("127.0.0.1", body)]
    for t in targets:
        threading.Thread(target=t.serve_forever, daemon=True).start()
    alias, other = (t.server_address[1] for t in targets)
    try:
        with serve_testbed(testbed) as running:
            portal_of = {kind: truth.locations[0] for kind, truth in picks.items()}
            here = {kind: running.tb.hosts[portal] for kind, (portal, _) in portal_of.items()}
            to = {"alias": f"http://127.0.0.2:{alias}/report.html", "port": f"http://127.0.0.1:{other}/report.html",
                  "localhost": f"http://localhost:{other}/report.html",
                  "mirror": f"http://{running.mirror_netloc}/report.html",
                  "credentials": f"http://user:secret@{here['credentials']}/report.html"}
            for kind, (portal, path) in portal_of.items():
                running.redirect(portal, path, to[kind])
            registry = data / "portals.toml"
            registry.write_text(running.registry_toml(), encoding="utf-8")
            result = run_nianbao("crawl", "--portals", str(registry), "--data", str(data / "d"))
            mirror_log = running.request_log(testbed.mirror.name)
            urls = {kind: running.url_for(*portal_of[kind]) for kind in picks}
            strict = data / "strict.toml"  # the same registry without allow_private_addresses
            strict.write_text(registry.read_text(encoding="utf-8").replace("allow_private_addresses = true", ""),
                              encoding="utf-8")
            before = {p.name: len(running.request_log(p.name)) for p in testbed.portals}
            strict_result = run_nianbao("crawl", "--portals", str(strict), "--data", str(data / "strict"))
            strict_logs = {p.name: running.request_log(p.name)[before[p.name]:] for p in testbed.portals}
    finally:
        for t in targets:
            t.shutdown()
            t.server_close()
    return dict(data=data / "d", testbed=testbed, picks=picks, to=to, urls=urls, stdout=result.stdout,
                hits=[h for t in targets for h in t.hits], mirror_log=mirror_log,
                strict=data / "strict", strict_stdout=strict_result.stdout, strict_logs=strict_logs)


def test_no_redirect_target_is_fetched(hostile):
    assert hostile["hits"] == []
    assert not [p for _, p, _ in hostile["mirror_log"] if p == "/report.html"]


def test_redirected_reports_not_archived_nor_catalogued(hostile):
    db = sqlite_utils.Database(hostile["data"] / "catalogue.db")
    assert db["reports"].count == len(hostile["testbed"].reports) - len(hostile["picks"])
    suspects = [*hostile["urls"].values(), *hostile["to"].values()]
    marks = ",".join("?" * len(suspects))
    assert list(db.query(f"select url from report_captures where url in ({marks})", suspects)) == []
    targets = list(hostile["to"].values())
    marks = ",".join("?" * len(targets))
    assert list(db.query(f"select url from captures where url in ({marks})", targets)) == []
    archived = set()
    for path in (hostile["data"] / "warc").glob("*.warc.gz"):
        with open(path, "rb") as fh:
            archived |= {r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(fh)}
    assert not archived & set(hostile["to"].values())


def test_refusals_logged_counted_and_summarised(hostile):
    db = sqlite_utils.Database(hostile["data"] / "catalogue.db")
    (run,) = list(db["crawl_runs"].rows)
    assert run["status"] == "finished" and run["refused"] == 5
    stats = json.loads(run["stats"])
    assert stats["nianbao/refused/redirect_offsite"] == 4 and stats["nianbao/refused/redirect_credentials"] == 1
    (warning,) = [w for w in json.loads(run["warnings"]) if "refused" in w]
    assert warning.startswith("5 requests refused")
    assert "refused            5" in hostile["stdout"] and warning in hostile["stdout"]
    log = (hostile["data"] / "logs" / "crawl.log").read_text(encoding="utf-8")
    for kind, url in hostile["to"].items():
        line = next(line for line in log.splitlines() if f"refused {url}" in line)
        assert f"redirected from {hostile['urls'][kind]}" in line and ("outside" in line or "credentials" in line)


def test_private_addresses_need_the_registry_s_consent(hostile):
    assert all(log == [] for log in hostile["strict_logs"].values()), hostile["strict_logs"]
    db = sqlite_utils.Database(hostile["strict"] / "catalogue.db")
    (run,) = list(db["crawl_runs"].rows)
    assert run["refused"] == len(hostile["testbed"].portals)  # each start URL, nothing after
    assert db["reports"].count == 0 and "allow_private_addresses" in (
        hostile["strict"] / "logs" / "crawl.log").read_text(encoding="utf-8")
    assert "requests refused (address" in hostile["strict_stdout"]


def test_a_name_is_resolved_before_it_is_fetched(tmp_path):
    """`localhost` is a name, not an address: the guard resolves it (in the crawl's event loop)
    and refuses the loopback address it stands for."""
    registry = tmp_path / "local.toml"
    registry.write_text('[[portal]]\nname = "local"\nregion = "浙江省"\n'
                        'start_urls = ["http://localhost:9/ndbg/index.html"]\nallowed_domains = ["localhost:9"]\n',
                        encoding="utf-8")
    result = run_nianbao("crawl", "--portals", str(registry), "--data", str(tmp_path / "d"))
    log = (tmp_path / "d" / "logs" / "crawl.log").read_text(encoding="utf-8")
    assert "refused http://localhost:9/ndbg/index.html, portal local: loopback address" in log
    assert "1 request refused (address 1)" in result.stdout
