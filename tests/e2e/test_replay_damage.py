"""Replay over a damaged archive keeps every readable record, names what it lost, and never
replaces a catalogue with a smaller one unless forced; the old one is kept (issue 11)."""

from __future__ import annotations

import gzip
import hashlib
import shutil

import pytest
import sqlite_utils

from archive.reader import iter_records
from archive.verify import gzip_members
from tests.conftest import run_nianbao


def warc_of(data):
    (path,) = (data / "warc").glob("*.warc.gz")
    return path


def count_records(path):
    problems = []
    n = 0
    for _record, _offset, _length in iter_records(path, problems.append):
        n += 1
    return n, problems


def damage_report_member(data, where):
    """Flip bytes inside the gzip member of a report page from the middle of the WARC."""
    db = sqlite_utils.Database(data / "catalogue.db")
    rows = list(db.query("select url, warc_offset from reports order by warc_offset"))
    url, offset = rows[len(rows) // 2]["url"], rows[len(rows) // 2]["warc_offset"]
    path = warc_of(data)
    (member,) = [m for m in gzip_members(path, lambda p: None) if m.offset == offset]
    raw = bytearray(path.read_bytes())
    span = range(member.offset + 12, member.offset + 60) if where == "head" else \
        range(member.offset + member.length - 120, member.offset + member.length - 10)
    for i in span[::3]:
        raw[i] ^= 0x55
    path.write_bytes(bytes(raw))
    return url, offset


def digest(path):
    return hashlib.sha1(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("where", ["head", "tail"])
def test_replay_keeps_every_readable_record(crawled, tmp_path, where):
    data = tmp_path / "data"
    shutil.copytree(crawled.data, data)
    clean_records, _ = count_records(warc_of(data))
    clean = sqlite_utils.Database(data / "catalogue.db")
    clean_reports = {r["url"] for r in clean.query("select url from reports")}
    clean_captures = clean["captures"].count
    lost_url, lost_offset = damage_report_member(data, where)
    before = digest(data / "catalogue.db")

    records, problems = count_records(warc_of(data))
    assert records == clean_records - 1 and [p.offset for p in problems] == [lost_offset]

    refused = run_nianbao("replay", "--data", str(data), check=False)
    assert refused.returncode != 0
    assert f"{warc_of(data).name}@{lost_offset}" in refused.stdout  # the damage is named
    assert "1 fewer" in refused.stderr and "--force" in refused.stderr
    assert digest(data / "catalogue.db") == before  # the larger catalogue stays
    (kept,) = data.glob("catalogue.replayed-*.db")
    replayed = sqlite_utils.Database(kept)
    assert {r["url"] for r in replayed.query("select url from reports")} == clean_reports - {lost_url}
    assert replayed["captures"].count == clean_captures - 1

    forced = run_nianbao("replay", "--data", str(data), "--force")
    assert "1 fewer" in forced.stdout and lost_url in forced.stdout
    (backup,) = data.glob("catalogue.db.bak-*")
    assert digest(backup) == before
    assert sqlite_utils.Database(data / "catalogue.db")["reports"].count == len(clean_reports) - 1

    verify = run_nianbao("verify", "--data", str(data), check=False)
    assert verify.returncode == 1 and f"{warc_of(data).name}@{lost_offset}" in verify.stdout


def test_replay_reads_plain_warc_files(crawled, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(crawled.data, data)
    path = warc_of(data)
    path.with_name(path.name.removesuffix(".gz")).write_bytes(gzip.decompress(path.read_bytes()))
    path.unlink()
    path.with_name(path.name.removesuffix(".warc.gz") + ".cdxj").unlink()
    result = run_nianbao("replay", "--data", str(data), "--to", str(tmp_path / "plain.db"))
    assert "damaged" not in result.stdout
    assert sqlite_utils.Database(tmp_path / "plain.db")["reports"].count == len(crawled.testbed.reports)


def test_replay_without_a_registry_says_what_to_do(crawled, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(crawled.data, data)
    (data / "registry.toml").unlink()
    result = run_nianbao("replay", "--data", str(data), check=False)
    assert result.returncode != 0 and "--portals FILE" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
