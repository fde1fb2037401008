"""Template lines in an incremental run: a changed page still has its chrome taken out by the
lines of its portal's unchanged pages, which are read for that only when a changed page of
their portal needs them (an unchanged recrawl reads none)."""

from __future__ import annotations

import hashlib

import sqlite_utils

from crawler.templates import KEY
from simportals import build_testbed, serve_testbed
from simportals.chrome import BODY_STAMPS
from tests.conftest import run_nianbao
from tests.e2e.test_budget import stats
from tests.e2e.test_template_lines import template_records

STAMP = BODY_STAMPS["beilun"]
ADDED = "本年度新增政务公开专栏一个。"


def test_a_changed_page_learns_from_its_unchanged_siblings_and_a_recrawl_reads_none(tmp_path):
    tb = build_testbed()
    (target,) = [t for t in tb.reports if t.published_as == "html" and t.locations[0][0] == "beilun"][:1]
    portal, path = target.locations[0]
    with serve_testbed(tb, in_process=True) as running:
        registry = tmp_path / "portals.toml"
        registry.write_text(running.registry_toml(), encoding="utf-8")
        crawl = ("crawl", "--portals", str(registry), "--data", str(tmp_path / "data"))
        run_nianbao(*crawl)
        run_nianbao(*crawl)  # unchanged: no page read for the template
        state = running._servers[0].state
        served = state.tb.page

        def edited(p: str, q: str, method: str, form: dict):
            status, headers, body = served(p, q, method, form)
            if (p, q) == (portal, path):
                body = body.replace(b"</p>", f"</p><p>{ADDED}</p>".encode(), 1)
                headers = [(k, v) for k, v in headers if k not in ("ETag", "Last-Modified", "Content-Length")]
                headers.append(("ETag", '"' + hashlib.md5(body).hexdigest()[:20] + '"'))
            return status, headers, body

        state.tb.page = edited
        run_nianbao(*crawl)  # one beilun page changed, every other page unchanged
        url = running.url_for(portal, path)
    db = sqlite_utils.Database(tmp_path / "data" / "catalogue.db")
    assert stats(db, 2).get("extract/template_sampled_unchanged", 0) == 0
    sampled = stats(db, 3).get("extract/template_sampled_unchanged", 0)
    beilun_pages = db.execute("select count(*) from captures where run_id = 3 and portal = 'beilun' "
                              "and content_type like 'text/html%' and kind not in ('listing', 'image') "
                              "and url != ?", [url]).fetchone()[0]
    # only the changed page's portal was read, and only its pages: listings are not sampled in a
    # first crawl either (they dilute the sample: a body stamp is on no listing)
    assert 0 < sampled <= beilun_pages
    (capture,) = db.query("select record_id, report_id from captures where run_id = 3 and url = ?", [url])
    assert capture["record_id"] and STAMP in template_records(tmp_path / "data" / "warc")[capture["record_id"]][KEY]
    text = db["reports"].get(capture["report_id"])["text"]
    assert ADDED in text and STAMP not in text
