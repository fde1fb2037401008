"""pywb (its own virtualenv) replays our WARCs: `id_` gives back the archived bytes."""

import gzip
import urllib.request

import pytest
from click.testing import CliRunner

from archive.pywb import ensure_pywb, serve


@pytest.fixture(scope="session")
def pywb_bin():
    """The pywb venv, created once and cached; one that cannot be built fails the tests (issue 11)."""
    return ensure_pywb()


def fetch(url, encoding="identity"):
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(request, timeout=20) as response:
        return response.status, response.headers, response.read()


def test_pywb_replays_archived_reports(crawled, site, site_bodies, pywb_bin):
    with serve(crawled) as server:
        report = site_bodies["report"]
        status, headers, body = fetch(server.replay_url(f"{site}/report.html?x=1&y=2", modifier="id_"), "gzip")
        assert status == 200 and headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(body) == report  # the stored, still-gzipped bytes
        for path in ("report.html?x=1&y=2", "deflate.html", "chunked.html"):
            status, _, body = fetch(server.replay_url(f"{site}/{path}", modifier="id_"))
            assert (status, body) == (200, report), path
        _, headers, body = fetch(server.replay_url(f"{site}/logo.gif", modifier="id_"))
        assert body == site_bodies["gif"]
        _, headers, _ = fetch(server.replay_url(f"{site}/gbk.pdf", modifier="id_"))
        assert site_bodies["gbk_disposition"].decode("latin-1") in headers["Content-Disposition"]
        # the framed page a person sees: the report, with its CSS captured
        status, _, page = fetch(server.replay_url(f"{site}/report.html?x=1&y=2", modifier="mp_"))
        assert status == 200 and "政府信息公开工作年度报告".encode() in page
        status, _, css = fetch(server.replay_url(f"{site}/style.css", modifier="id_"))
        assert css == b"h1 { color: red }"


def test_pywb_resolves_the_304_revisit(crawled, site, site_bodies, pywb_bin):
    with serve(crawled) as server:
        cdx = fetch(f"{server.collection_url}cdx?url={site}/etag.html&output=json")[2].decode()
        lines = [line for line in cdx.splitlines() if line]
        assert len(lines) == 2 and any("warc/revisit" in line for line in lines)
        import json

        revisit = next(json.loads(line) for line in lines if "warc/revisit" in line)
        status, _, body = fetch(server.replay_url(f"{site}/etag.html", revisit["timestamp"], "id_"))
        assert body == site_bodies["report"]


def test_serve_archive_command_prints_urls(crawled, pywb_bin, monkeypatch):
    from archive import pywb

    class Stop(pywb.PywbServer):
        def wait(self):  # instead of blocking until Ctrl-C
            return 0

    monkeypatch.setattr(pywb, "PywbServer", Stop)
    from cli.main import cli

    result = CliRunner().invoke(cli, ["serve-archive", "--data", str(crawled), "--port", str(pywb.free_port())])
    assert result.exit_code == 0, result.output
    assert "pywb collection: http://127.0.0.1:" in result.output
    assert "an archived report: http://127.0.0.1:" in result.output
