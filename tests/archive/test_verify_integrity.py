"""verify fails on what issue 11 found: digests inside valid gzip members, rows without archive
bytes, runs left running by a dead crawl, runs that lost reports with no withdrawals."""

import gzip
import json

import sqlite_utils
from click.testing import CliRunner

from archive.lock import DataLock
from archive.verify import gzip_members, verify
from archive.warcfile import WarcFile
from catalogue.catalogue import Catalogue
from cli.main import cli


def archive(data, write_exchange, n=3):
    warc = WarcFile(data / "warc", info={"software": "nianbao/test"})
    locations = [write_exchange(warc, f"http://e.gov.cn/{i}.html", f"report {i} ".encode() * 40)[0]
                 for i in range(n)]
    warc.close()
    (path,) = (data / "warc").glob("*.warc.gz")
    return path, locations


def errors(data):
    return [str(p) for p in verify(data).problems if p.severity == "error"]


def test_payload_digest_mismatch_inside_a_valid_gzip_member(tmp_path, write_exchange):
    path, locations = archive(tmp_path, write_exchange)
    member = next(m for m in gzip_members(path, print) if m.offset == locations[1].offset)
    raw = path.read_bytes()
    block = gzip.decompress(raw[member.offset:member.offset + member.length])
    assert b"report 1 " in block
    tampered = gzip.compress(block.replace(b"report 1 ", b"rep0rt 1 ", 1))  # same length, valid gzip
    path.write_bytes(raw[:member.offset] + tampered + raw[member.offset + member.length:])
    found = errors(tmp_path)
    assert any("payload digest failed" in line for line in found), found
    assert all(f"{path}@{member.offset}: " in line and "digest failed" in line for line in found)
    assert CliRunner().invoke(cli, ["verify", "--data", str(tmp_path)]).exit_code == 1


def test_row_pointing_past_the_end_of_the_warc(tmp_path, write_exchange):
    path, locations = archive(tmp_path, write_exchange)
    catalogue = Catalogue(tmp_path / "catalogue.db")
    catalogue.add_capture({"url": "http://e.gov.cn/9.html", "run_id": 4, "warc_filename": path.name,
                           "warc_offset": path.stat().st_size + 100, "warc_length": 500})
    catalogue.close()
    (found,) = errors(tmp_path)
    assert "past the end of the file" in found and "(run 4)" in found and path.name in found


def add_runs(data, *runs):
    db = sqlite_utils.Database(data / "catalogue.db")
    Catalogue(data / "catalogue.db").close()  # the schema
    for n, (status, seen, withdrawn) in enumerate(runs, 1):
        db["crawl_runs"].insert({"id": n, "command": "crawl portals.toml", "started": f"2026-0{n}-01",
                                 "status": status, "portals": json.dumps(["a", "b"]), "reports_seen": seen,
                                 "reports_withdrawn": withdrawn, "errors": "{}"})


def test_run_left_running_without_a_live_holder(tmp_path):
    add_runs(tmp_path, ("finished", 10, 0), ("running", None, None))
    (found,) = errors(tmp_path)
    assert "crawl run 2" in found and "left running" in found and "resume" in found
    with DataLock(tmp_path, "nianbao crawl --portals portals.toml"):  # a live crawl: only a warning
        assert errors(tmp_path) == []
        assert any("is running" in str(p) for p in verify(tmp_path).problems)


def test_run_that_lost_reports_for_no_reason(tmp_path):
    add_runs(tmp_path, ("finished", 380, 0), ("finished", 379, 1), ("finished", 12, 0))
    (found,) = errors(tmp_path)
    assert "crawl run 3 " in found and "saw 12 reports" in found and "367 fewer than run 2" in found


def test_withdrawals_explain_fewer_reports(tmp_path):
    add_runs(tmp_path, ("finished", 380, 0), ("finished", 370, 10), ("killed", 3, 0), ("finished", 370, 0))
    assert errors(tmp_path) == []
