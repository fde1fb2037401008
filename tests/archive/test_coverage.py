"""Coverage of a catalogue (archive/coverage.py): report, withdrawn and missing years per body,
bodies that stopped, registry bodies never seen, counties without their government's report."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner

from archive.coverage import coverage
from catalogue.catalogue import Catalogue
from cli.main import cli

ROWS = [  # agency, year, status, region_code, level
    ("六安市金安区人民政府", 2021, "live", "341502", "county"),
    ("六安市金安区人民政府", 2022, "live", "341502", "county"),
    ("六安市金安区人民政府", 2023, "live", "341502", "county"),
    ("六安市金安区教育局", 2021, "live", "341502", "department"),
    ("六安市金安区教育局", 2023, "live", "341502", "department"),  # 2022 skipped, 2024 none: stopped
    ("六安市金安区财政局", 2022, "withdrawn", "341502", "department"),
    ("六安市金安区财政局", 2023, "live", "341502", "department"),
    ("六安市金安区财政局", 2023, "withdrawn", "341502", "department"),  # a withdrawn copy beside a live one
    ("六安市金安区财政局", 2024, "live", "341502", "department"),
    ("六安市裕安区人民政府", 2024, "live", "341503", "county"),
]


@pytest.fixture
def data_dir(tmp_path):
    catalogue = Catalogue(tmp_path / "catalogue.db")
    catalogue.db["reports"].insert_all(
        [{"id": f"r{i}", "agency": a, "year": y, "status": s, "region_code": c, "level": lv, "portal": "p",
          "title": f"{a}{y}年政府信息公开工作年度报告", "issuer_copy": 1} for i, (a, y, s, c, lv) in enumerate(ROWS)]
        + [{"id": "city", "agency": "六安市人民政府", "year": 2022, "status": "current", "region_code": "341500",
            "level": "prefecture", "portal": "p", "title": "六安市2022年政府信息公开工作年度报告", "issuer_copy": 0}]
        + [{"id": "anon", "agency": None, "year": 2023, "title": "无名报告"}])
    catalogue.close()
    (tmp_path / "registry.toml").write_text(
        '[[portal]]\nname = "wjw"\ntitle = "六安市金安区卫生健康委员会"\nregion = "安徽省六安市金安区"\n'
        'start_urls = ["http://127.0.0.1:1/"]\nallowed_domains = ["127.0.0.1:1"]\n'
        '[[portal]]\nname = "jinan"\ntitle = "金安区人民政府"\nregion = "安徽省六安市金安区"\n'
        'start_urls = ["http://127.0.0.1:2/"]\nallowed_domains = ["127.0.0.1:2"]\n', encoding="utf-8")
    return tmp_path


def test_body_years(data_dir):
    cov = coverage(Catalogue(data_dir / "catalogue.db"), {"六安市金安区卫生健康委员会": "wjw", "金安区人民政府": "jinan"})
    by = {b.name: b for b in cov.bodies}
    assert cov.year == 2024 and cov.first_year == 2021 and cov.unattributed == 1
    assert by["六安市金安区教育局"].missing == [2022, 2024] and by["六安市金安区教育局"].stopped(2024)
    assert by["六安市金安区财政局"].withdrawn == [2022] and by["六安市金安区财政局"].missing == []
    assert by["六安市金安区人民政府"].missing == [2024] and by["六安市金安区人民政府"].portal == "jinan"  # by containment
    assert by["六安市金安区卫生健康委员会"].missing == [2021, 2022, 2023, 2024]  # in the registry, never seen
    assert [b.name for b in cov.stopped] == ["六安市金安区人民政府", "六安市金安区教育局"]
    assert by["六安市人民政府"].reposts_only and not by["六安市金安区教育局"].reposts_only
    counties = {c.code: c for c in cov.counties}
    assert set(counties) == {"341502", "341503", "341504", "341522", "341523", "341524", "341525"}
    assert counties["341502"].missing == [2024] and counties["341503"].missing == [2021, 2022, 2023]
    assert counties["341504"].missing == [2021, 2022, 2023, 2024]


def test_year_and_region_options(data_dir):
    cov = coverage(Catalogue(data_dir / "catalogue.db"), year=2023, regions=["宿迁市"])
    assert cov.year == 2023 and not any(2024 in b.years for b in cov.bodies)
    assert {c.name for c in cov.counties} == {"宿城区", "宿豫区", "沭阳县", "泗阳县", "泗洪县"}
    with pytest.raises(ValueError):
        coverage(Catalogue(data_dir / "catalogue.db"), regions=["没有这个市"])


def test_cli_table_csv_and_chart(data_dir):
    runner = CliRunner()
    result = runner.invoke(cli, ["coverage", "--data", str(data_dir)])
    assert result.exit_code == 0, result.output
    assert "stopped in 2024" in result.output and "叶集区" in result.output
    assert "only re-posts seen" in result.output
    assert "1 reports have no issuing body" in result.output
    result = runner.invoke(cli, ["coverage", "--data", str(data_dir), "--format", "csv",
                                 "--chart", str(data_dir / "coverage.png")])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output.split("chart written")[0])))
    assert {"kind": "body", "name": "六安市金安区教育局", "code": "341502", "level": "department",
            "portal": "p", "year": "2022", "status": "missing"} in rows
    assert {(r["name"], r["year"]) for r in rows if r["status"] == "withdrawn"} == {("六安市金安区财政局", "2022")}
    assert (data_dir / "coverage.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_without_catalogue(tmp_path):
    result = CliRunner().invoke(cli, ["coverage", "--data", str(tmp_path)])
    assert result.exit_code == 1 and "no catalogue" in result.output


@pytest.mark.parametrize("year", [None, 2023])
def test_sql_gives_the_body_rows(data_dir, year):
    """COVERAGE_SQL (for a Datasette canned query) agrees with coverage() on catalogued bodies."""
    from catalogue.read import COVERAGE_SQL

    catalogue = Catalogue(data_dir / "catalogue.db")
    columns, rows = catalogue.query(COVERAGE_SQL, {"year": "" if year is None else str(year)})
    by_sql = sorted((r[columns.index("name")], r[columns.index("year")], r[columns.index("status")]) for r in rows)
    by_python = sorted((r["name"], r["year"], r["status"]) for r in coverage(catalogue, year=year).rows()
                       if r["kind"] == "body")
    assert by_sql == by_python
