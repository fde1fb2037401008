"""`nianbao serve-archive`: the URL it prints opens the archived report itself, and SIGTERM
stops its pywb child (the port is free afterwards)."""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request

import pytest

from archive.pywb import PywbError, ensure_pywb, free_port
from tests.conftest import ROOT


def port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_printed_url_opens_the_report_and_sigterm_frees_the_port(crawled):
    try:
        ensure_pywb()
    except PywbError as e:
        pytest.fail(f"cannot create the pywb virtualenv: {e}")
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "crawler", "serve-archive", "--data", str(crawled.data),
                                "--port", str(port)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        lines = []
        while not any(x.startswith("Ctrl-C") for x in lines) and process.poll() is None:
            lines.append(process.stdout.readline())
        printed = next(x for x in lines if x.startswith("an archived report: ")).split(": ", 1)[1].strip()
        match = re.match(rf"http://127\.0\.0\.1:{port}/nianbao/(\d{{14}})id_/(http://.+)$", printed)
        assert match, printed
        title = sqlite3.connect(f"file:{crawled.data / 'catalogue.db'}?mode=ro", uri=True).execute(
            "select title from reports where url = ?", [match.group(2)]).fetchone()[0]
        with urllib.request.urlopen(urllib.request.Request(printed, headers={"Accept-Encoding": "identity"}),
                                    timeout=20) as response:
            page = response.read()
        charset = re.search(rb"charset=[\"']?([\w-]+)", page)
        text = page.decode(charset.group(1).decode() if charset else "utf-8", "replace")
        assert title in text
        assert "replay_iframe" not in text and "wb_frame" not in text  # not pywb's frame page
        assert port_open(port)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(20)
    deadline = time.monotonic() + 10
    while port_open(port) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not port_open(port), "pywb still holds the port after SIGTERM"
    assert "stopped" in process.stdout.read()
