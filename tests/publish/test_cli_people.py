"""The catalogue's read paths from the command line: read-only SQL, output formats, exports,
charts (the data behind each bar), and one clear line with a conventional exit code for
every mistake."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import subprocess

import pytest
from click.testing import CliRunner

from cli.main import cli
from tests.conftest import NIANBAO, ROOT, run_nianbao


@pytest.fixture(scope="module")
def data(crawled, tmp_path_factory):
    """A private copy of the crawled DATA (some tests try to damage it)."""
    copy = tmp_path_factory.mktemp("people") / "data"
    shutil.copytree(crawled.data, copy, ignore=shutil.ignore_patterns("pywb"))
    return copy


def count(data, sql, params=()):
    conn = sqlite3.connect(f"file:{data / 'catalogue.db'}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


def invoke(*args):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("sql", ["delete from reports", "drop table report_checks",
                                 "insert into reports (id) values ('x')", "update reports set year = 1",
                                 "attach 'evil.db' as evil", "pragma query_only = 0",
                                 "pragma journal_mode = delete", "create table t (x)"])
def test_query_cannot_change_the_catalogue(data, sql, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = count(data, "select count(*) from reports"), count(data, "select count(*) from report_checks")
    result = invoke("query", "--data", str(data), sql)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: the catalogue is read-only"), result.output
    assert (count(data, "select count(*) from reports"), count(data, "select count(*) from report_checks")) == before
    assert not (tmp_path / "evil.db").exists()


def test_verify_finds_orphaned_rows(data, tmp_path):
    damaged = tmp_path / "data"
    shutil.copytree(data, damaged)
    assert run_nianbao("verify", "--data", str(damaged), check=False).returncode == 0
    conn = sqlite3.connect(damaged / "catalogue.db")
    rid = conn.execute("select report_id from report_sections limit 1").fetchone()[0]
    conn.execute("delete from reports where id = ?", [rid])  # what `query` used to allow
    other, url = conn.execute("select report_id, url from report_captures where report_id != ? limit 1", [rid]).fetchone()
    conn.execute("delete from captures where url = ?", [url])
    conn.commit()
    conn.close()
    result = run_nianbao("verify", "--data", str(damaged), check=False)
    assert result.returncode == 1
    orphan_lines = [line for line in result.stdout.splitlines() if rid in line and "not in the catalogue" in line]
    tables = {line.split("report_")[1].split(":")[0] for line in orphan_lines if ": report_" in line}
    assert tables == {"stats", "checks", "versions", "sections", "captures"}, result.stdout
    assert any(f"report_captures: 1 row(s) for {other} {url} whose capture is not in the catalogue" in line
               for line in result.stdout.splitlines()), result.stdout
    assert "nianbao replay" in orphan_lines[0]


def test_query_formats_and_cjk_alignment(data):
    sql = "select agency, year from reports order by agency limit 5"
    table = invoke("query", "--data", str(data), sql).output.splitlines()
    from publish.textout import display_width

    year_columns = {display_width(line[:line.rindex(" ") + 1]) for line in table[2:]}
    assert len(year_columns) == 1, table  # the year column starts at one display column
    rows = list(csv.reader(invoke("query", "--data", str(data), "--format", "csv", sql).output.splitlines()))
    assert rows[0] == ["agency", "year"] and len(rows) == 6
    lines = invoke("query", "--data", str(data), "--format", "jsonl", sql).output.splitlines()
    assert [json.loads(line)["agency"] for line in lines] == [r[0] for r in rows[1:]]
    found = invoke("search", "--data", str(data), "--format", "jsonl", "过程性信息", "--limit", "100").output
    expected = count(data, "select count(*) from reports_fts where reports_fts match '\"过程性信息\"'")
    assert len(found.splitlines()) == min(expected, 100) > 0


@pytest.mark.parametrize("command", [["changes", "--since", "2000-01-01"], ["query", "select text from reports"],
                                     ["search", "政府信息公开", "--format", "jsonl"]])
def test_output_into_a_closed_pipe_exits_0(data, command):
    import os

    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first write: every write gets EPIPE
    try:
        result = subprocess.run([*NIANBAO, command[0], "--data", str(data), *command[1:]], stdout=write_end,
                                stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=60,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
    finally:
        os.close(write_end)
    assert result.returncode == 0 and result.stderr == "", result.stderr


def test_changes_into_head_exits_0(data):
    shell = subprocess.run(["bash", "-o", "pipefail", "-c",
                            " ".join([*NIANBAO, "changes", "--data", str(data), "--since", "2000-01-01"]) + " | head -1"],
                           capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert shell.returncode == 0 and shell.stdout.startswith("new: "), shell.stderr
    assert "Traceback" not in shell.stderr and "BrokenPipe" not in shell.stderr


@pytest.mark.parametrize("command", [["verify"], ["query", "select 1"], ["search", "年报"],
                                     ["changes", "--since", "2026-01-01"], ["serve"], ["export", "--format", "csv"],
                                     ["plot"], ["serve-archive"]])
def test_a_missing_data_directory_is_a_usage_error(command, tmp_path):
    missing = tmp_path / "no-such-dir"
    result = invoke(*command[:1], "--data", str(missing), *command[1:])
    assert result.exit_code == 2, result.output
    assert f"Error: Invalid value for '--data': directory {missing} does not exist" in result.output
    assert not missing.exists()


def test_unparseable_date_and_empty_search(data):
    result = invoke("changes", "--data", str(data), "--since", "yesterday")
    assert result.exit_code == 2
    assert "'yesterday' is not a date; use YYYY-MM-DD" in result.output
    for terms in ([""], ["  "]):
        result = invoke("search", "--data", str(data), *terms)
        assert result.exit_code == 2 and "search needs a word or phrase" in result.output
        assert "Traceback" not in result.output


def test_export_tables(data, tmp_path):
    import pyarrow.parquet as pq

    reports = count(data, "select count(*) from reports")
    cells = count(data, "select count(*) from report_stats")
    for fmt in ("csv", "jsonl", "parquet"):
        result = invoke("export", "--data", str(data), "--format", fmt, "--to", str(tmp_path / fmt))
        assert result.exit_code == 0, result.output
    with open(tmp_path / "csv" / "statistics_wide.csv", encoding="utf-8-sig") as fh:
        wide = list(csv.DictReader(fh))
    assert len(wide) == reports
    # one column per codebook key, with the value of that report's cell
    rid, value = next(iter(sqlite3.connect(data / "catalogue.db").execute(
        "select report_id, value from report_stats where row_key = 't3_v2021.new' and col_key = 'total' limit 1")))
    row = next(r for r in wide if r["report_id"] == rid)
    assert float(row["t3_v2021.new.total"]) == value
    assert float(row["applications_received"]) == value
    long = pq.read_table(tmp_path / "parquet" / "statistics.parquet")
    assert long.num_rows == cells and long.schema.field("value").type.id == 12  # double
    checks = (tmp_path / "jsonl" / "checks.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(checks) == count(data, "select count(*) from report_checks")
    assert {"report_id", "agency", "year", "name", "passed"} <= set(json.loads(checks[0]))


def test_export_needs_one_of_wacz_or_format(data):
    result = invoke("export", "--data", str(data))
    assert result.exit_code == 2 and "give either --wacz FILE" in result.output


def test_plot_draws_the_catalogue(data, tmp_path):
    from catalogue.read import connect
    from publish.charts import CHARTS, cjk_font

    assert cjk_font()
    result = invoke("plot", "--data", str(data), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    for name in CHARTS:
        assert (tmp_path / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    conn = connect(data / "catalogue.db")
    charts = {name: build(conn) for name, build in CHARTS.items()}
    # each stacked bar segment is the number of reports of that level that year
    for level, year, height in charts["reports_per_year"].bars:
        assert height == count(data, "select count(*) from reports where level = ? and year = ? "
                                     "and status != 'withdrawn'", [level, int(year)])
    assert sum(h for *_, h in charts["reports_per_year"].bars) == count(
        data, "select count(*) from reports where year is not null and status != 'withdrawn'")
    for province, year, height in charts["applications_by_province"].bars:
        assert height == count(data, "select coalesce(sum(applications_received), 0) from reports where "
                                     "province = ? and year = ? and status != 'withdrawn'", [province, int(year)])
    reasons = {label.split("：", 1)[1]: h for _, label, h in charts["refusal_reasons"].bars}
    assert reasons["6.属于四类过程性信息"] == count(
        data, "select sum(value) from report_stats where row_key like 't3_v%.deny_process' and col_key = 'total'")
    bodies = count(data, "select count(distinct agency) from reports")
    for _, year, share in charts["coverage"].bars:
        reported = count(data, "select count(distinct agency) from reports where year = ? and status != 'withdrawn'",
                         [int(year)])
        assert share == pytest.approx(100 * reported / bodies)


def test_serve_on_a_busy_port_is_a_usage_error(data):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = invoke("serve", "--data", str(data), "--port", str(port), "--no-replay")
    assert result.exit_code == 2
    assert f"Invalid value for --port: port {port} on 127.0.0.1 is in use" in result.output


def test_serve_without_a_catalogue(tmp_path):
    result = invoke("serve", "--data", str(tmp_path), "--no-replay")
    assert result.exit_code == 1 and "no catalogue at" in result.output and "nianbao demo" in result.output


def test_plot_and_export_an_empty_catalogue(tmp_path):
    from catalogue.catalogue import Catalogue

    Catalogue(tmp_path / "catalogue.db").close()
    result = invoke("plot", "--data", str(tmp_path))
    assert result.exit_code == 0 and result.output.count("(0 bars)") == 4, result.output
    result = invoke("export", "--data", str(tmp_path), "--format", "parquet")
    assert result.exit_code == 0 and result.output.count(" 0 rows") == 4, result.output
