"""Every bad registry value is refused by `nianbao crawl` before anything is fetched or written:
one line naming file, line, portal and key; exit 2; DATA/registry.toml untouched (issue 11)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cli.main import cli

GOOD = """\
[[portal]]
name = "beilun"
region = "浙江省宁波市北仑区"
start_urls = ["http://www.bl.gov.cn/col/col1229/index.html"]
allowed_domains = ["bl.gov.cn"]

[[portal]]
name = "xinqi"
region = "浙江省宁波市北仑区新碶街道"
start_urls = ["http://xq.bl.gov.cn/xxgk/ndbg/index.html"]
allowed_domains = ["xq.bl.gov.cn"]
"""
URL = "http://xq.bl.gov.cn/xxgk/ndbg/index.html"
XINQI = 'name = "xinqi"\n'


def second(extra: str) -> str:
    """GOOD with a line added to the second portal's table (line 8 onwards)."""
    return GOOD.replace(XINQI, XINQI + extra + "\n")


CASES = {
    "toml_syntax": (GOOD.replace('region = "浙江省宁波市北仑区"\n', 'region = "浙江省宁波市北仑区\n'),
                    ["bad.toml", "not valid TOML", "line 3"]),
    "missing_key": (GOOD.replace('region = "浙江省宁波市北仑区新碶街道"\n', ""),
                    ["bad.toml:7:", "'xinqi'", "region: missing required key"]),
    "misspelt_key": (second("max_page = 50"), ["bad.toml:7:", "'xinqi'", "max_page: unknown key",
                                                 "did you mean max_pages?"]),
    "bad_regex": (second('title_pattern = "(unclosed"'),
                  ["bad.toml:7:", "'xinqi'", "title_pattern: not a valid regular expression"]),
    "bad_xpath": (second('link_xpath = "//div[@class=\'list\'"'),
                  ["bad.toml:7:", "'xinqi'", "link_xpath: not a valid XPath"]),
    "not_a_url": (GOOD.replace(URL, "not a url"), ["'xinqi'", "start_urls:", "'not a url' is not an http(s) URL"]),
    "ftp_url": (GOOD.replace(URL, "ftp://xq.bl.gov.cn/ndbg/"), ["'xinqi'", "start_urls:", "not an http(s) URL"]),
    "port_out_of_range": (GOOD.replace(URL, "http://xq.bl.gov.cn:99999/ndbg/"),
                          ["'xinqi'", "start_urls:", "port out of range"]),
    "outside_domains": (GOOD.replace(URL, "http://www.example.com/ndbg/"),
                        ["'xinqi'", "start_urls:", "outside allowed_domains"]),
    "credentials": (GOOD.replace(URL, "http://user:pw@xq.bl.gov.cn/ndbg/"),
                    ["'xinqi'", "start_urls:", "credentials"]),
    "max_pages_negative": (second("max_pages = -1"), ["'xinqi'", "max_pages: must be at least 1, not -1"]),
    "max_pages_not_int": (second('max_pages = "lots"'), ["'xinqi'", "max_pages: must be an integer, not str 'lots'"]),
    "max_pages_float": (second("max_pages = 2.5"), ["'xinqi'", "max_pages: must be an integer"]),
    "delay_wrong_type": (second('download_delay = "slow"'), ["'xinqi'", "download_delay: must be a number"]),
    "delay_negative": (second("download_delay = -0.5"), ["'xinqi'", "download_delay: must be at least 0"]),
    "concurrency_zero": (second("concurrency = 0"), ["'xinqi'", "concurrency: must be at least 1, not 0"]),
    "concurrency_bool": (second("concurrency = true"), ["'xinqi'", "concurrency: must be an integer"]),
    "duplicate_name": (GOOD.replace(XINQI, 'name = "beilun"\n'),
                       ["bad.toml:7:", "'beilun'", "duplicate portal name", "line 1 and line 7"]),
    "bad_cron": (second('schedule = "every day"'), ["'xinqi'", "schedule: 'every day' is not a cron expression"]),
    "bad_cron_field": (second('schedule = ["0 3 * * *", "0 25 * * *"]'), ["'xinqi'", "schedule: '0 25 * * *'"]),
    "private_flag_not_bool": (second('allow_private_addresses = "yes"'),
                              ["'xinqi'", "allow_private_addresses: must be true or false"]),
    "bad_domain": (GOOD.replace('["xq.bl.gov.cn"]', '["http://xq.bl.gov.cn/"]'),
                   ["'xinqi'", "allowed_domains:", "not a host or host:port"]),
}


def crawl(tmp_path, content: bytes):
    registry = tmp_path / "bad.toml"
    registry.write_bytes(content)
    data = tmp_path / "data"
    return CliRunner().invoke(cli, ["crawl", "--portals", str(registry), "--data", str(data)]), data


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
@pytest.mark.parametrize("kept", [False, True], ids=["fresh", "kept"])
def test_bad_registry_refused_before_anything_is_written(tmp_path, case, kept):
    text, expected = CASES[case]
    if kept:  # a registry kept by an earlier crawl must not be overwritten
        (tmp_path / "data").mkdir()
        (tmp_path / "data" / "registry.toml").write_text(GOOD, encoding="utf-8")
    result, data = crawl(tmp_path, text.encode("utf-8"))
    assert result.exit_code == 2, result.output
    (line,) = result.output.strip().splitlines()  # one line
    for part in expected:
        assert part in line, (part, line)
    assert "Traceback" not in result.output
    if kept:
        assert (data / "registry.toml").read_text(encoding="utf-8") == GOOD
        assert sorted(p.name for p in data.iterdir()) == ["registry.toml"]
    else:
        assert not data.exists()


def test_gbk_registry_is_one_line(tmp_path):
    result, data = crawl(tmp_path, GOOD.encode("gbk"))
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert "bad.toml:3:" in line and "not UTF-8" in line and "save the registry as UTF-8" in line
    assert not data.exists()


def test_good_registry_passes_the_checks():
    from crawler.registry import parse_registry

    text = second('max_pages = 50\ndownload_delay = 1\nconcurrency = 2\nschedule = ["0 3 * 2-4 *"]\n'
                  'title_pattern = "年度报告"\nlink_xpath = "//ul[@class=\'list\']//a"\nencoding = "gbk"')
    beilun, xinqi = parse_registry(text)
    assert xinqi.max_pages == 50 and xinqi.extra == {"encoding": "gbk"} and not xinqi.allow_private_addresses


@pytest.mark.parametrize("command", [["schedule", "--list"], ["replay"]])
def test_other_commands_refuse_a_bad_registry_too(tmp_path, command):
    registry = tmp_path / "bad.toml"
    registry.write_text(second("max_page = 50"), encoding="utf-8")
    result = CliRunner().invoke(cli, [*command, "--portals", str(registry), "--data", str(tmp_path / "d")])
    assert result.exit_code == 2 and "did you mean max_pages?" in result.output
