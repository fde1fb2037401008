"""Real servers on loopback: every listing family, every report location, encodings, robots,
gzip, chunked, conditional GET, latency, clean shutdown and the CLI."""

from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import pytest

from simportals import build_testbed, serve_testbed

ROOT = Path(__file__).resolve().parents[2]


def fetch(url: str, method: str = "GET", body: bytes | None = None,
          headers: dict | None = None) -> tuple[int, dict, bytes]:
    u = urlsplit(url)
    conn = http.client.HTTPConnection(u.netloc, timeout=30)
    path = u.path + (f"?{u.query}" if u.query else "")
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, data


def html_of(url: str, **kw) -> str:
    status, headers, data = fetch(url, **kw)
    assert status == 200, url
    enc = "gbk" if "gbk" in headers.get("content-type", "").lower() else "utf-8"
    return data.decode(enc)


@pytest.fixture(scope="module")
def served():
    tb = build_testbed()
    with serve_testbed(tb) as running:
        yield tb, running


def _links(html: str, base: str, pattern: str) -> set[str]:
    return {urlsplit(urljoin(base, h)).path for h in re.findall(r'href="([^"]+)"', html)
            if re.search(pattern, h)}


def crawl_listing(tb, running, portal: str) -> set[str]:
    p = tb.by_name[portal]
    start = running.url_for(portal, p.column_path)
    html = html_of(start)
    found: set[str] = set()
    if p.cms == "trs":
        pages = int(re.search(r"createPageHTML\((\d+),", html).group(1))
        assert f"var countPage = {pages}" in html
        urls = [start] + [running.url_for(portal, f"{p.column_dir}index_{k}.html")
                          for k in range(1, pages)]
        for u in urls:
            found |= _links(html_of(u), u, r"/t\d{8}_\d+\.html$")
    elif p.cms == "hanweb":
        total = int(re.search(r"<totalrecord>(\d+)</totalrecord>", html).group(1))
        found |= set(re.findall(r'<li><a href="(/art/[^"]+)"', html))
        form = urlencode({"col": 1, "appid": 1, "webid": 15, "path": "/",
                          "columnid": p.col_id, "sourceContentType": 1, "unitid": 7654321,
                          "webname": p.title, "permissiontype": 0}).encode()
        for start_rec in range(p.per_page + 1, total + 1, p.per_page):
            q = urlencode({"startrecord": start_rec, "endrecord": start_rec + p.per_page - 1,
                           "perpage": p.per_page})
            status, headers, xml = fetch(running.url_for(portal, f"/module/web/jpage/dataproxy.jsp?{q}"),
                                         "POST", form,
                                         {"Content-Type": "application/x-www-form-urlencoded"})
            assert status == 200 and "xml" in headers["content-type"]
            recs = re.findall(r"<record><!\[CDATA\[(.*?)\]\]></record>", xml.decode())
            assert 0 < len(recs) <= p.per_page
            for rec in recs:
                found |= set(re.findall(r'href="(/art/[^"]+)"', rec))
    else:
        m = re.search(r"共(\d+)条 1/(\d+)页", html)
        pages = int(m.group(2))
        last = re.search(r'href="([^"]+)">尾页', html).group(1)
        assert (f"page_{pages}.html" in last) or (f"page={pages}" in last)
        for k in range(1, pages + 1):
            u = urljoin(start, last.replace(str(pages), str(k)))
            found |= _links(html_of(u), u, r"(OpennessContent/show/|content/post_)\d+\.html$")
    return found


def test_registry_toml(served):
    tb, running = served
    reg = tomllib.loads(running.registry_toml())
    names = {p["name"] for p in reg["portal"]}
    assert names == {p.name for p in tb.portals} and "mirror" not in names
    for entry in reg["portal"]:
        netloc = urlsplit(entry["start_urls"][0]).netloc
        assert entry["allowed_domains"] == [netloc] and netloc.startswith("127.0.0.1:")
    assert running.mirror_netloc not in {d for e in reg["portal"] for d in e["allowed_domains"]}


@pytest.mark.parametrize("portal", ["beilun", "shuyang", "shucheng", "xinqi"])
def test_listing_pagination_reaches_every_item(served, portal):
    tb, running = served
    want = {it.path.split("?")[0] for it in tb.columns[portal]}
    assert crawl_listing(tb, running, portal) == want


def test_every_report_location_and_attachment(served):
    tb, running = served
    urls = [running.url_for(p, path) for r in tb.reports for p, path in r.locations + r.attachments]
    urls += [running.url_for(p, path) for p, path in tb.non_reports]
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda u: fetch(u)[0], urls))
    assert statuses == [200] * len(urls)


def test_gbk_portal(served):
    tb, running = served
    p = tb.by_name["shucheng"]
    _s, headers, data = fetch(running.url_for("shucheng", p.column_path))
    assert "charset=gbk" in headers["content-type"].lower()
    assert "舒城县" in data.decode("gbk")
    quirks = [r for r in tb.reports if r.locations[0][0] == "shucheng"]
    declared = 0
    for r in quirks:
        _s, headers, data = fetch(running.url_for(*r.locations[0]))
        text = data.decode("gbk")
        assert r.agency in text
        declared += "charset=GBK" in text
    assert 0 < declared < len(quirks)  # most pages declare GBK, a few lie or say nothing


def test_robots_and_disallowed_search(served):
    tb, running = served
    for p in tb.portals:
        status, _h, data = fetch(running.url_for(p.name, "/robots.txt"))
        assert status == 200 and b"Disallow: /search/" in data
        assert 'href="/search/' in html_of(running.url_for(p.name, p.column_path))


def test_gzip_chunked_and_conditional(served):
    tb, running = served
    r = next(r for r in tb.reports if r.locations[0][0] == "beilun")
    url = running.url_for(*r.locations[0])
    _st, _h, expected = tb.page(*r.locations[0])
    status, headers, data = fetch(url, headers={"Accept-Encoding": "gzip"})
    assert headers.get("content-encoding") == "gzip" and gzip.decompress(data) == expected
    status, headers, data = fetch(url)
    assert "content-encoding" not in headers and data == expected
    etag, lm = headers["etag"], headers["last-modified"]
    assert fetch(url, headers={"If-None-Match": etag})[0] == 304
    assert fetch(url, headers={"If-Modified-Since": lm})[0] == 304
    assert fetch(url, headers={"If-None-Match": '"other"'})[0] == 200
    s = next(r for r in tb.reports if r.locations[0][0] == "shuyang")
    status, headers, data = fetch(running.url_for(*s.locations[0]))
    assert headers.get("transfer-encoding") == "chunked" and data == tb.page(*s.locations[0])[2]


def test_mirror_is_linked_but_off_registry(served):
    tb, running = served
    html = html_of(running.url_for("beilun", tb.by_name["beilun"].column_path))
    links = [h for h in re.findall(r'href="([^"]+)"', html) if running.mirror_netloc in h]
    assert links
    page = html_of(links[0])
    assert "年度报告" in page and any(b in page for b in ("金沙", "威尼斯人", "银河"))


def test_in_process_latency_and_clean_stop():
    tb = build_testbed()
    with serve_testbed(tb, latency=0.2, in_process=True) as running:
        netlocs = [running.base_url(p.name)[7:] for p in tb.portals]
        t0 = time.monotonic()
        assert fetch(running.url_for("xinqi", "/robots.txt"))[0] == 200
        assert time.monotonic() - t0 >= 0.15
        assert ("GET", "/robots.txt", 200) in running.request_log("xinqi")
    for netloc in netlocs:
        host, port = netloc.split(":")
        with pytest.raises(OSError):
            socket.create_connection((host, int(port)), timeout=1).close()


def test_cli_serve_and_sigterm(tmp_path):
    reg = tmp_path / "portals.toml"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "simportals", "serve", "--registry-out",
                             str(reg)], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        ready = json.loads(proc.stdout.readline())
        assert ready["ready"] and set(ready["hosts"]) >= {"beilun", "mirror"}
        portals = tomllib.loads(reg.read_text(encoding="utf-8"))["portal"]
        assert fetch(portals[0]["start_urls"][0])[0] == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        proc.stdout.close()
    host, port = ready["hosts"]["beilun"].split(":")
    with pytest.raises(OSError):
        socket.create_connection((host, int(port)), timeout=1).close()
