"""The whole path on the simulated portals: crawl → WARC → clean text → catalogue.

Every ground-truth report must be catalogued once with the right fields, no non-report may
be, and every WARC must pass `warcio check`. Any broken stage fails one of these.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import sqlite_utils

from archive.location import RecordLocation
from archive.reader import read_response

FIELDS = ("title", "agency", "year", "published", "signed", "index_no")


@pytest.fixture(scope="module")
def db(crawled):
    return sqlite_utils.Database(crawled.data / "catalogue.db")


def report_for(db, crawled, truth) -> list[dict]:
    urls = [crawled.urls[tuple(loc)] for loc in truth.locations]
    marks = ",".join("?" * len(urls))
    ids = {r["report_id"] for r in db.query(f"select report_id from report_captures where url in ({marks})", urls)}
    return [db["reports"].get(i) for i in ids]


def truth_ids(crawled):
    return [r.key for r in crawled.testbed.reports]


def test_every_report_catalogued_once_with_its_fields(crawled, db):
    failures = []
    for truth in crawled.testbed.reports:
        rows = report_for(db, crawled, truth)
        if len(rows) != 1:
            failures.append(f"{truth.key} {truth.title}: {len(rows)} catalogue rows")
            continue
        row = rows[0]
        wrong = {f: (row[f], getattr(truth, f)) for f in FIELDS if row[f] != getattr(truth, f)}
        if wrong:
            failures.append(f"{truth.key} {truth.title}: {wrong}")
    assert not failures, "\n".join(failures)


def test_reposted_report_catalogued_under_its_issuer(crawled, db):
    reposted = [t for t in crawled.testbed.reports if len(t.locations) > 1]
    assert reposted, "the testbed must re-post at least one report on another body's portal"
    for truth in reposted:
        (row,) = report_for(db, crawled, truth)
        assert row["agency"] == truth.agency
        assert row["url"] == crawled.urls[tuple(truth.locations[0])]  # the issuer's own copy


def test_no_non_report_catalogued(crawled, db):
    assert db["reports"].count == len(crawled.testbed.reports)
    non_report_urls = [crawled.urls[tuple(loc)] for loc in crawled.testbed.non_reports]
    marks = ",".join("?" * len(non_report_urls))
    leaked = list(db.query(f"select url from report_captures where url in ({marks})", non_report_urls))
    assert leaked == []


def test_robots_txt_disallowed_pages_never_fetched(crawled, db):
    """Every listing links a report draft under /internal/, which robots.txt disallows: with
    ROBOTSTXT_OBEY off it is fetched and catalogued as one more report (issue 11)."""
    from simportals.pages import DRAFT, DRAFT_MARK, ROBOTS

    assert "Disallow: /internal/" in ROBOTS
    for portal, log in crawled.requests.items():
        assert ("GET", "/robots.txt", 200) in log
        listing = crawled.testbed.page(portal, crawled.testbed.by_name[portal].column_path)[2]
        assert DRAFT.encode() in listing  # linked, with a report title: the spider would follow it
        assert not [path for _, path, _ in log if path.startswith(("/internal/", "/search/"))], portal
    assert not list(db.query("select id from reports where title like ?", [f"%{DRAFT_MARK}%"]))
    (run,) = list(db["crawl_runs"].rows)  # forbidden is the portal's wish, not a failure
    assert json.loads(run["stats"])["robotstxt/forbidden"] >= len(crawled.requests) and run["failed"] == 0


def test_pdf_only_report_catalogued_from_its_attachment(crawled, db):
    pdf = [t for t in crawled.testbed.reports if t.published_as == "pdf"]
    assert pdf
    for truth in pdf:
        (row,) = report_for(db, crawled, truth)
        assert row["published_as"] == "pdf" and row["year"] == truth.year and row["text"]


def test_every_warc_passes_warcio_check(crawled):
    warcs = sorted((crawled.data / "warc").glob("*.warc.gz"))
    assert warcs and not list((crawled.data / "warc").glob("*.open"))
    result = subprocess.run([sys.executable, "-m", "warcio.cli", "check", *map(str, warcs)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_catalogue_rows_lead_back_to_archived_bytes(crawled, db):
    for row in db["reports"].rows:
        location = RecordLocation(row["warc_filename"], row["warc_offset"], row["warc_length"])
        archived = read_response(crawled.data / "warc", location)
        assert archived.url == row["url"] and archived.status == 200


def test_stays_on_registry_domains(crawled, db):
    fetched = {r["url"] for r in db.query("select url from captures")}
    assert crawled.mirror_netloc and not any(crawled.mirror_netloc in u for u in fetched)


def test_crawl_run_recorded(crawled, db):
    (run,) = list(db["crawl_runs"].rows)
    assert run["status"] == "finished" and run["reports_new"] == len(crawled.testbed.reports)
    assert run["warc_bytes"] > 0 and run["pages_fetched"] > 0
    assert "reports" in crawled.stdout and "WARC bytes" in crawled.stdout


def test_metadata_record_beside_every_catalogued_capture(crawled, db):
    from warcio.archiveiterator import ArchiveIterator

    verdicts = {}
    for path in (crawled.data / "warc").glob("*.warc.gz"):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "metadata" and \
                        record.rec_headers.get_header("Content-Type") == "application/warc-fields":
                    fields = dict(line.split(": ", 1) for line in
                                  record.content_stream().read().decode().splitlines() if ": " in line)
                    verdicts[record.rec_headers.get_header("WARC-Concurrent-To")] = fields
    captures = list(db.query("select record_id, page_kind, report_id from captures where kind not in ('listing', 'image')"))
    assert captures and all(c["record_id"] in verdicts for c in captures)
    for c in captures:
        fields = verdicts[c["record_id"]]
        assert fields["page-kind"] == c["page_kind"] and fields.get("report-id") == c["report_id"]
