"""Trust in the catalogue across runs (brief: a dropped sentence is the worst failure). A
report read only in part is loud to the end: a statistics table pasted as a picture the portal
no longer serves; the report is catalogued with the text it has, the loss is in the log, in
crawl_runs.warnings and the summary, and `nianbao verify` exits non-zero naming the run, until
a run reads the page whole. A report read under a new identity at its own URL (the portal
corrected its title) replaces the old row instead of standing beside it."""

from __future__ import annotations

import json

import sqlite_utils

from tests.conftest import run_nianbao
from tests.e2e.one_site import BLANK_PNG, HTML, serve_site


def _report_page():
    """A 2021-format HTML report of the simulated beilun portal: (truth, page)."""
    from simportals import build_testbed

    testbed = build_testbed()
    truth = next(t for t in testbed.reports if t.published_as == "html" and t.locations[0][0] == "beilun"
                 and t.template_version == "2021")
    return truth, testbed.page(*truth.locations[0])[2].decode("utf-8")


def _listing(title: str) -> tuple[str, bytes]:
    return HTML, f'<html><body><ul><li><a href="/ndbg/r.html">{title}</a></li></ul></body></html>'.encode()


def test_a_report_missing_a_picture_fails_verify_until_read_whole(tmp_path):
    truth, page = _report_page()
    marker = "一、总体情况"
    assert marker in page
    pictured = page.replace(marker, '<img src="/pic/table3.png" width="600" height="400">' + marker, 1)
    pages = {"/ndbg/index.html": _listing(truth.title), "/ndbg/r.html": (HTML, pictured.encode())}
    data = tmp_path / "d"
    with serve_site(pages, tmp_path) as (host, registry):  # the picture: 404
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
    with serve_site(pages, tmp_path) as (_host, registry):
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
