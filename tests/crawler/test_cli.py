"""The `nianbao` command's contracts: extract prints one JSON object with fixed keys; query
and search print tables; errors are clear."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli.main import cli
from extract.model import STATS_KEYS

KEYS = {"text", "title", "year", "published", "signed", "agency", "index_no", "stats",
        "sections", "tables", "removed", "template_version", "region", "cells"}


@pytest.fixture(scope="module")
def testbed():
    from simportals import build_testbed

    return build_testbed()


def report_pages(testbed, portal):
    return [t for t in testbed.reports if t.locations[0][0] == portal and t.published_as == "html"]


@pytest.mark.parametrize("portal", ["beilun", "shuyang", "shucheng", "xinqi"])
def test_extract_prints_one_json_object(testbed, portal, tmp_path):
    truth = report_pages(testbed, portal)[0]
    _, _, body = testbed.page(*truth.locations[0])
    page = tmp_path / "page.html"
    page.write_bytes(body)  # no headers: the charset comes from the bytes and the declaration
    result = CliRunner().invoke(cli, ["extract", str(page), "--url", f"http://x.gov.cn{truth.locations[0][1]}"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)  # exactly one JSON document
    assert KEYS <= set(data) and set(data["stats"]) == set(STATS_KEYS)
    assert isinstance(data["year"], int) and data["year"] == truth.year
    assert (data["title"], data["agency"], data["published"], data["signed"], data["index_no"]) == \
        (truth.title, truth.agency, truth.published, truth.signed, truth.index_no)
    assert data["stats"] == truth.stats and data["region"]["code"] == truth.region["code"]
    assert all(len(cell) == 4 for cell in data["cells"])


def test_extract_says_what_could_not_be_read(testbed, tmp_path):
    """A PDF cut short (a download that broke off): the JSON's warnings say so, not an empty
    report alone."""
    from simportals.attachments import pdf_bytes

    spec = next(s for s in testbed.specs if s.published_as == "pdf")
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(pdf_bytes(spec)[:5000])
    result = CliRunner().invoke(cli, ["extract", str(cut)])
    assert result.exit_code == 0, result.output
    (warning,) = json.loads(result.output)["warnings"]
    assert warning.startswith("pdf unreadable: ")


def test_extract_missing_file_is_a_clear_error():
    result = CliRunner().invoke(cli, ["extract", "/no/such/page.html"])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_query_and_search_need_a_catalogue(tmp_path):
    result = CliRunner().invoke(cli, ["query", "--data", str(tmp_path), "select 1"])
    assert result.exit_code == 1 and "no catalogue" in result.output


def test_query_search_on_a_catalogue(tmp_path):
    from catalogue.catalogue import Catalogue

    catalogue = Catalogue(tmp_path / "catalogue.db")
    catalogue.db["reports"].insert({"id": "a", "title": "某县2022年政府信息公开工作年度报告", "agency": "某县人民政府",
                                    "year": 2022, "province": "浙江省", "level": "county",
                                    "text": "因属于过程性信息不予公开2件。"})
    catalogue.close()
    runner = CliRunner()
    result = runner.invoke(cli, ["query", "--data", str(tmp_path), "select agency, year from reports"])
    assert result.exit_code == 0 and "某县人民政府" in result.output and "2022" in result.output
    result = runner.invoke(cli, ["query", "--data", str(tmp_path), "select nonsense from nowhere"])
    assert result.exit_code == 1 and "SQL error" in result.output
    for terms in (["过程性信息"], ["公开"], ["过程性", "--year", "2022", "--province", "浙江省"]):
        result = runner.invoke(cli, ["search", "--data", str(tmp_path), *terms])
        assert result.exit_code == 0 and "某县人民政府" in result.output, terms
    result = runner.invoke(cli, ["search", "--data", str(tmp_path), "过程性信息", "--year", "2019"])
    assert "no matching reports" in result.output


def test_search_finds_ocr_text_with_a_misread_character(tmp_path):
    """OCR read 门户 as 內户: a long phrase still finds the scanned report, after the exact
    matches and marked; a report with a text layer never matches approximately, nor does a
    short term, nor a phrase more than one edit in eight characters away."""
    from catalogue.catalogue import Catalogue

    catalogue = Catalogue(tmp_path / "catalogue.db")
    common = {"year": 2023, "province": "浙江省", "level": "county"}
    catalogue.db["reports"].insert_all([
        {"id": "scan", "title": "甲县2023年政府信息公开工作年度报告", "agency": "甲县人民政府", "ocr": 1,
         "text": "本机关深入推进政府网站內户建设，主动公开政府信息2428条。", **common},
        {"id": "text", "title": "乙县2023年政府信息公开工作年度报告", "agency": "乙县人民政府", "ocr": 0,
         "text": "本机关深人推进政府网站內户建设，主动公开政府信息2428条。", **common},
        {"id": "exact", "title": "丙县2023年政府信息公开工作年度报告", "agency": "丙县人民政府", "ocr": 1,
         "text": "本机关深入推进政府网站门户建设，主动公开政府信息2428条。", **common},
    ])
    phrase = "深入推进政府网站门户建设"
    found = [(r["id"], r["match"]) for r in catalogue.search(phrase)]
    assert found == [("exact", "exact"), ("scan", "approximate")]
    assert "[深入推进政府网站內户建设]" in catalogue.search(phrase)[1]["snippet"]
    assert [r["id"] for r in catalogue.search(phrase, approximate=False)] == ["exact"]
    assert [r["id"] for r in catalogue.search("门户建设")] == ["exact"]  # short: exact only
    assert [r["id"] for r in catalogue.search("深人推进政府网站內户建设")] == ["text", "scan"]  # exactly
    assert [(r["id"], r["match"]) for r in catalogue.search("深人推进政府网站门户建设")] == [("exact", "approximate")]
    assert [r["id"] for r in catalogue.search("推进门户网站建设")] == []  # too far from any text
    assert [r["id"] for r in catalogue.search(phrase + " 2428", year=2023)] == ["exact", "scan"]
    assert catalogue.search(phrase + " 9999") == []  # every other term still exactly
    catalogue.close()
    result = CliRunner().invoke(cli, ["search", "--data", str(tmp_path), phrase])
    assert result.exit_code == 0 and "≈" in result.output and "甲县人民政府" in result.output
    assert "乙县人民政府" not in result.output
