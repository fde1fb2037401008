"""Shared fixtures for archive tests: write real WARCs with the real writer."""

import subprocess
import sys

import pytest

from archive.records import request_record, response_record
from archive.warcfile import WarcFile


def _write_exchange(warc: WarcFile, url: str, body: bytes, headers=None, status=200):
    resp = response_record(warc.builder, url, status, headers or [("Content-Type", "text/html")], body)
    req = request_record(warc.builder, url, "GET", [("User-Agent", "test")], b"",
                         concurrent_to=resp.rec_headers.get_header("WARC-Record-ID"))
    return warc.write([resp, req])


def _warcio_check(paths) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "warcio.cli", "check", "-v", *map(str, paths)],
                          capture_output=True, text=True)


@pytest.fixture
def write_exchange():
    """write_exchange(warc, url, body, headers=None, status=200) -> [resp_loc, req_loc]"""
    return _write_exchange


@pytest.fixture
def warcio_check():
    """warcio_check(paths) -> CompletedProcess of `warcio check -v`"""
    return _warcio_check


@pytest.fixture
def warc_dir(tmp_path):
    path = tmp_path / "warc"
    path.mkdir()
    return path
