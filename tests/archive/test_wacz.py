"""`nianbao export --wacz`: a WACZ that `wacz validate` accepts, with the reports as pages."""

import json
import zipfile

from click.testing import CliRunner

from archive.wacz import validate_wacz
from catalogue.catalogue import Catalogue
from cli.main import cli


def test_export_validates_and_lists_report_pages(crawled, site, tmp_path):
    data = tmp_path / "data"
    (data / "warc").mkdir(parents=True)
    for path in (crawled / "warc").glob("*.warc.gz"):
        # an older or foreign name (~, _ and capitals are not allowed in WACZ resource names)
        (data / "warc" / ("Old_" + path.name.replace("-", "~", 1))).symlink_to(path)
    catalogue = Catalogue(data / "catalogue.db")
    catalogue.db["reports"].insert({"id": "r1", "url": f"{site}/report.html?x=1&y=2",
                                    "title": "2023年度政府信息公开工作年度报告"})
    catalogue.close()
    out = tmp_path / "out" / "reports.wacz"
    result = CliRunner().invoke(cli, ["export", "--data", str(data), "--wacz", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 pages" in result.output
    ok, output = validate_wacz(out)
    assert ok, output
    with zipfile.ZipFile(out) as wacz:
        names = set(wacz.namelist())
        assert {"datapackage.json", "indexes/index.cdx.gz", "pages/pages.jsonl"} <= names
        assert any(name.startswith("archive/") and name.endswith(".warc.gz") for name in names)
        pages = [json.loads(line) for line in wacz.read("pages/pages.jsonl").splitlines()]
    assert pages[1]["url"] == f"{site}/report.html?x=1&y=2"
    assert pages[1]["title"] == "2023年度政府信息公开工作年度报告"


def test_export_without_warcs_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["export", "--data", str(tmp_path), "--wacz", str(tmp_path / "x.wacz")])
    assert result.exit_code == 1 and "no closed WARC files" in result.output
