"""verify: digests, damaged files, foreign WARCs, catalogue pointers, sealing a crash."""

import gzip
import re
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from archive.reader import iter_responses
from archive.records import WARC_VERSION
from archive.verify import verify
from archive.warcfile import WarcFile
from catalogue.catalogue import Catalogue
from cli.main import cli

DATA = Path(__file__).parent.parent / "data" / "warc"


def make_archive(data, write_exchange, n=4):
    warc_dir = data / "warc"
    warc = WarcFile(warc_dir, info={"software": "nianbao/test"})
    locations = [write_exchange(warc, f"http://e.gov.cn/{i}.html?a={i}", f"page {i}".encode() * 50)[0]
                 for i in range(n)]
    warc.close()
    return warc_dir, locations


def members(path):
    """Byte ranges of the gzip members of one of our files (from its CDXJ-free scan)."""
    from archive.verify import gzip_members

    return gzip_members(path, lambda p: None)


def rewrite_member(path, member, edit):
    raw = path.read_bytes()
    block = gzip.decompress(raw[member.offset:member.offset + member.length])
    new = gzip.compress(edit(block))
    path.write_bytes(raw[:member.offset] + new + raw[member.offset + member.length:])


def lines(result):
    return [str(p) for p in result.problems]


def test_clean_archive_with_catalogue(tmp_path, write_exchange):
    warc_dir, locations = make_archive(tmp_path, write_exchange)
    catalogue = Catalogue(tmp_path / "catalogue.db")
    for i, loc in enumerate(locations):
        digest = _digest_at(warc_dir, loc)
        catalogue.add_capture({"url": f"http://e.gov.cn/{i}.html?a={i}", "run_id": 1, **loc.as_dict(),
                               "payload_digest": digest})
    catalogue.close()
    result = verify(tmp_path)
    assert lines(result) == []
    assert (result.files, result.records, result.rows) == (1, 9, 4)


def _digest_at(warc_dir, loc):
    from archive.reader import read_response

    return read_response(warc_dir, loc).payload_digest


def test_catalogue_rows_that_do_not_match(tmp_path, write_exchange):
    warc_dir, locations = make_archive(tmp_path, write_exchange)
    catalogue = Catalogue(tmp_path / "catalogue.db")
    good = locations[0].as_dict()
    catalogue.add_capture({"url": "http://e.gov.cn/0.html?a=0", "run_id": 1, **good,
                           "payload_digest": "sha1:WRONGWRONGWRONGWRONGWRONGWRONG22"})
    catalogue.add_capture({"url": "http://e.gov.cn/1.html?a=1", "run_id": 1,
                           **{**locations[1].as_dict(), "warc_offset": locations[1].offset + 7}})
    catalogue.add_capture({"url": "http://e.gov.cn/2.html?a=2", "run_id": 1,
                           **{**locations[2].as_dict(), "warc_filename": "gone.warc.gz"}})
    catalogue.add_capture({"url": "http://e.gov.cn/other", "run_id": 1, **locations[3].as_dict()})
    catalogue.close()
    problems = lines(verify(tmp_path))
    assert len(problems) == 4, problems
    assert any("digest sha1:WRONG" in p for p in problems)
    assert any("no record starts at" in p for p in problems)
    assert any("gone.warc.gz does not exist" in p for p in problems)
    assert any("is for http://e.gov.cn/3.html?a=3" in p for p in problems)


def test_truncated_member_reported_and_rest_read(tmp_path, write_exchange):
    warc_dir, locations = make_archive(tmp_path, write_exchange)
    (path,) = warc_dir.glob("*.warc.gz")
    last = members(path)[-1]
    with open(path, "r+b") as fh:
        fh.truncate(last.offset + last.length // 2)
    result = verify(tmp_path)
    assert [p.severity for p in result.problems] == ["error"]
    assert "truncated gzip member" in lines(result)[0] and f"@{last.offset}" in lines(result)[0]
    assert result.records == 8
    seen = []
    replayed = list(iter_responses([path], on_problem=seen.append))
    assert len(replayed) == 4 and len(seen) == 1 and "truncated" in seen[0].message


def test_wrong_content_length_and_corrupt_member(tmp_path, write_exchange):
    warc_dir, locations = make_archive(tmp_path, write_exchange, n=6)
    (path,) = warc_dir.glob("*.warc.gz")
    by_offset = {m.offset: m for m in members(path)}
    rewrite_member(path, by_offset[locations[1].offset],
                   lambda b: re.sub(rb"Content-Length: (\d+)", lambda m: b"Content-Length: %d" % (int(m.group(1)) - 9), b, count=1))
    ms = members(path)  # offsets moved
    raw = bytearray(path.read_bytes())
    victim = ms[2 * 4 + 1]  # the response of exchange 4
    raw[victim.offset + victim.length // 2] ^= 0xFF
    path.write_bytes(bytes(raw))
    problems = lines(verify(tmp_path))
    assert any("does not match the record's" in p for p in problems), problems
    assert any("corrupt gzip member" in p or "digest failed" in p for p in problems), problems
    seen = []
    urls = [r.url for r in iter_responses([path], on_problem=seen.append)]
    assert "http://e.gov.cn/5.html?a=5" in urls  # the reader carries on past the damage
    assert seen


def test_wget_warc_is_foreign_but_fine(tmp_path, site_bodies):
    warc_dir = tmp_path / "warc"
    warc_dir.mkdir()
    shutil.copy(DATA / "wget-1.21.3.warc.gz", warc_dir)
    result = verify(tmp_path)
    assert result.errors == 0, lines(result)
    assert any("another tool (Wget/1.21.3" in p for p in lines(result))
    responses = {r.url.split("/", 3)[-1]: r for r in iter_responses(sorted(warc_dir.glob("*.gz")))}
    assert responses["chunked.html"].body == site_bodies["report"]  # de-chunked on read
    assert responses["report.html?x=1&y=2"].body == site_bodies["report"]  # gunzipped on read


def test_unknown_record_type_is_a_warning(tmp_path, write_exchange):
    warc_dir, locations = make_archive(tmp_path, write_exchange, n=2)
    (path,) = warc_dir.glob("*.warc.gz")
    by_offset = {m.offset: m for m in members(path)}
    rewrite_member(path, by_offset[locations[0].offset],
                   lambda b: b.replace(b"WARC-Type: response", b"WARC-Type: frobnicate"))
    result = verify(tmp_path)
    assert any("unknown record type 'frobnicate'" in p for p in lines(result))
    assert result.errors == 0, lines(result)
    assert [r.url for r in iter_responses([path])] == ["http://e.gov.cn/1.html?a=1"]


CRASH = """
import os, sys
from archive.records import request_record, response_record
from archive.warcfile import WarcFile
warc = WarcFile(sys.argv[1], info={"software": "nianbao/test"})
for i in range(3):
    resp = response_record(warc.builder, f"http://e.gov.cn/{i}", 200, [], b"x" * 500)
    warc.write([resp])
warc._fh.write(b"\\x1f\\x8b\\x08\\x00half a record")
warc._fh.flush()
os._exit(1)
"""


def test_crash_leaves_one_open_file_that_seal_closes(tmp_path):
    warc_dir = tmp_path / "warc"
    subprocess.run([sys.executable, "-c", CRASH, str(warc_dir)], check=False)
    (open_file,) = warc_dir.glob("*.open")
    runner = CliRunner()
    before = runner.invoke(cli, ["verify", "--data", str(tmp_path)])
    assert before.exit_code == 1 and "run `nianbao verify --seal`" in before.output
    sealed = runner.invoke(cli, ["verify", "--data", str(tmp_path), "--seal"])
    assert sealed.exit_code == 0, sealed.output
    assert not list(warc_dir.glob("*.open"))
    (corrupt,) = warc_dir.glob("*.corrupt")
    assert corrupt.read_bytes() == b"\x1f\x8b\x08\x00half a record"  # the tail is kept
    (final,) = warc_dir.glob("*.warc.gz")
    assert final.name == open_file.name.removesuffix(".open")
    assert len(list(iter_responses([final]))) == 3
    assert len(final.with_name(final.name.removesuffix(".warc.gz") + ".cdxj").read_text().splitlines()) == 3
    after = runner.invoke(cli, ["verify", "--data", str(tmp_path)])
    assert after.exit_code == 0 and "0 errors" in after.output


def test_cli_reports_every_problem(tmp_path, write_exchange):
    warc_dir, _ = make_archive(tmp_path, write_exchange, n=2)
    (path,) = warc_dir.glob("*.warc.gz")
    bad = warc_dir / ("copy-" + path.name)
    shutil.copy(path, bad)
    with open(bad, "r+b") as fh:
        fh.truncate(path.stat().st_size - 20)
    with open(path, "r+b") as fh:
        fh.truncate(path.stat().st_size - 20)
    result = CliRunner().invoke(cli, ["verify", "--data", str(tmp_path)])
    assert result.exit_code == 1
    assert sum("truncated gzip member" in line for line in result.output.splitlines()) == 2
    assert WARC_VERSION == "WARC/1.1"
