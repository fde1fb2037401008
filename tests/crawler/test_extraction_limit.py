"""Extraction never reads a payload over EXTRACT_MAXSIZE: it is reported as too large (issue 11)."""

import gzip

from archive.records import response_record
from archive.warcfile import WarcFile
from crawler.extraction import extract_archived
from simportals.hostile import gzip_bomb

PAGE = "<html><head><title>2023年政府信息公开工作年度报告</title></head><body><p>一、总体情况</p></body></html>"


def archived(tmp_path, body, encoding=None):
    warc = WarcFile(tmp_path, info={"software": "nianbao/test"})
    headers = [("Content-Type", "text/html; charset=utf-8")] + ([("Content-Encoding", encoding)] if encoding else [])
    (location,) = warc.write([response_record(warc.builder, "http://e.gov.cn/r.html", 200, headers, body)])
    warc.close()
    return location


def test_payload_over_the_limit_is_not_read(tmp_path):
    location = archived(tmp_path, gzip_bomb(8), "gzip")  # 8 MiB once inflated, 8 KiB stored
    result = extract_archived(str(tmp_path), location, {}, max_size=1 << 20)
    assert result == {"ok": False, "too_large": True, "error": result["error"]}
    assert "more than 1,048,576 bytes" in result["error"]


def test_payload_under_the_limit_is_extracted(tmp_path):
    location = archived(tmp_path, gzip.compress(PAGE.encode()), "gzip")
    result = extract_archived(str(tmp_path), location, {}, max_size=1 << 20)
    assert result["ok"] and result["page"]["title"].startswith("2023年")
