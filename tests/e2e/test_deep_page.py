"""A report page nested 10,000 deep, crawled: catalogued with its text, and the flattening is
in the log, crawl_runs.warnings and the summary; never an empty text without a line (issue 11)."""

from __future__ import annotations

import json

import sqlite_utils

from extract import extract_page
from tests.conftest import run_nianbao
from tests.e2e.one_site import HTML, serve_site

DEPTH = 10_000


def test_deep_report_catalogued_with_a_warning(tmp_path):
    from simportals import build_testbed

    testbed = build_testbed()
    truth = next(t for t in testbed.reports if t.published_as == "html" and t.locations[0][0] == "beilun")
    original = testbed.page(*truth.locations[0])[2].decode("utf-8")
    deep = original.replace("<body>", "<body>" + "<div>" * DEPTH, 1).replace("</body>", "</div>" * DEPTH + "</body>", 1)
    listing = f'<html><body><ul><li><a href="/ndbg/deep.html">{truth.title}</a></li></ul></body></html>'
    pages = {"/ndbg/index.html": (HTML, listing.encode()), "/ndbg/deep.html": (HTML, deep.encode())}
    with serve_site(pages, tmp_path, "deep") as (host, registry):
        result = run_nianbao("crawl", "--portals", str(registry), "--data", str(tmp_path / "d"))
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
