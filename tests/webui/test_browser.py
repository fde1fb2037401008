"""`nianbao serve` driven in headless Chromium (Debian's, through playwright): search a Chinese
phrase, open a facet, open a report, follow its link to the archived copy, see the charts."""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from archive.pywb import PywbError, ensure_pywb, free_port

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]


def port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def served(crawled):
    try:
        ensure_pywb()
    except PywbError as e:
        pytest.fail(f"cannot create the pywb virtualenv: {e}")
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "crawler", "serve", "--data", str(crawled.data),
                                "--port", str(port)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    lines = []
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        lines.append(line)
        if line.startswith("catalogue: ") or process.poll() is not None:
            break
    base = f"http://127.0.0.1:{port}"
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    replay = next((re.search(r"http://127\.0\.0\.1:(\d+)/", x) for x in lines if x.startswith("archived pages")), None)
    assert replay, "".join(lines)
    yield base, int(replay.group(1)), process
    if process.poll() is None:  # a failed test: stop it as a user would, so pywb stops too
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def browser():
    import playwright.sync_api as playwright_api
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is not installed (apt-get install -y chromium; .ci/run does)")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        yield browser
        browser.close()


def catalogue(crawled):
    return sqlite3.connect(f"file:{crawled.data / 'catalogue.db'}?mode=ro", uri=True)


def test_search_facet_report_and_archived_copy(served, browser, crawled, tmp_path):
    base, _, _ = served
    db = catalogue(crawled)
    page = browser.new_page(viewport={"width": 1280, "height": 900})

    # 1. search a Chinese phrase in Datasette's search box
    page.goto(base + "/catalogue/reports")
    page.fill("input[name=_search]", "过程性信息")
    page.press("input[name=_search]", "Enter")
    page.wait_for_load_state()
    matching = db.execute("select count(*) from reports_fts where reports_fts match '\"过程性信息\"'").fetchone()[0]
    assert matching > 0
    assert re.search(rf"\b{matching} rows? where search matches", page.content())
    page.evaluate("document.querySelector('h3').scrollIntoView()")  # "N rows where search matches …"
    page.screenshot(path=str(tmp_path / "search.png"), full_page=False)

    # 2. a two-character search falls back to a substring match (trigram needs three)
    page.goto(base + "/catalogue/reports")
    page.fill("input[name=_search]", "城关")
    page.press("input[name=_search]", "Enter")
    short = db.execute("select count(*) from reports where title like '%城关%' or agency like '%城关%' "
                       "or text like '%城关%'").fetchone()[0]
    assert short > 0 and re.search(rf"\b{short} rows? where search matches", page.content())
    assert page.input_value("input[name=_search]") == "城关"

    # 3. open a facet: province
    page.goto(base + "/catalogue/reports")
    province, n = db.execute("select province, count(*) from reports group by province order by 2 desc").fetchone()
    page.locator('.facet-info[data-column="province"] li a', has_text=province).click()
    page.wait_for_load_state()
    assert "province=" in page.url
    assert re.search(rf"\b{n} rows? where province = \"{province}\"", page.content())
    page.locator(".facet-results").scroll_into_view_if_needed()  # the facets and the first rows
    page.screenshot(path=str(tmp_path / "facet.png"))

    # 4. open a report from the table
    link = page.locator("td.col-title a").first
    title = link.inner_text()
    link.click()
    page.wait_for_load_state()
    assert page.locator("h1.report-title").inner_text() == title
    report = db.execute("select id, applications_received, template_version from reports where title = ? "
                        "and province = ?", [title, province]).fetchone()
    if report[2]:  # a 2019/2021 report: table 三 as a grid, its 总计 of row 一 is the headline figure
        grid = page.locator("table.table-三")
        assert grid.count() == 1
        first = grid.locator("tbody tr").first
        assert "本年新收政府信息公开申请数量" in first.inner_text()
        assert float(first.locator("td.n").last.inner_text()) == report[1]
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)

    # 5. follow the link to the archived copy: pywb's page itself, with the report's title
    href = page.locator("a.archived-link").get_attribute("href")
    assert re.search(r"/nianbao/\d{14}id_/http", href)
    page.locator("a.archived-link").click()
    page.wait_for_load_state()
    assert title in page.title()
    assert page.locator("iframe#replay_iframe").count() == 0  # not pywb's frame page
    page.screenshot(path=str(tmp_path / "archived.png"))

    # 6. the charts page shows every chart as a drawn image
    page.goto(base + "/-/charts")
    images = page.locator("img.chart")
    assert images.count() == 4
    for i in range(4):
        images.nth(i).scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 300", arg=images.nth(i).element_handle())
    page.screenshot(path=str(tmp_path / "charts.png"), full_page=True)
    for name in ("search", "facet", "report", "archived", "charts"):
        assert (tmp_path / f"{name}.png").stat().st_size > 10_000


def test_canned_query_answers(served, crawled):
    base, _, _ = served
    with urllib.request.urlopen(base + "/catalogue/failed_checks.json?_shape=array") as response:
        import json

        rows = json.load(response)
    failed = catalogue(crawled).execute("select count(*) from report_checks where passed = 0").fetchone()[0]
    assert len(rows) == failed


def test_sigterm_stops_serve_and_its_pywb(served):
    _, replay_port, process = served
    assert port_open(replay_port)
    process.send_signal(signal.SIGTERM)
    process.wait(20)
    deadline = time.monotonic() + 10
    while port_open(replay_port) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not port_open(replay_port)
