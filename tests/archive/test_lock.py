"""One writer per data directory: DATA/.lock (issue 11)."""

import os
import signal
import subprocess
import sys
import time

import pytest

from archive.lock import DataDirLocked, DataLock, holder

HOLD = """
import sys, time
from archive.lock import DataLock
DataLock(sys.argv[1], "nianbao crawl --portals p.toml").acquire()
print("held", flush=True)
time.sleep(60)
"""


def hold_in_child(data):
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(data)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_no_holder_without_a_writer(tmp_path):
    assert holder(tmp_path) is None
    with DataLock(tmp_path, "nianbao crawl"):
        pass
    assert holder(tmp_path) is None  # released, and the file names nobody


def test_second_writer_is_refused_with_the_holder_named(tmp_path):
    with DataLock(tmp_path, "nianbao crawl --portals a.toml"):
        info = holder(tmp_path)
        assert info.pid == os.getpid() and info.command == "nianbao crawl --portals a.toml"
        with pytest.raises(DataDirLocked) as refused:
            DataLock(tmp_path, "nianbao replay").acquire()
        message = str(refused.value)
        assert f"pid {os.getpid()}" in message and "nianbao crawl --portals a.toml" in message
        assert "\n" not in message


def test_kill_9_leaves_no_stale_lock(tmp_path):
    proc = hold_in_child(tmp_path)
    assert holder(tmp_path).pid == proc.pid
    with pytest.raises(DataDirLocked, match=f"pid {proc.pid}"):
        DataLock(tmp_path, "nianbao crawl").acquire()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert holder(tmp_path) is None
    with DataLock(tmp_path, "nianbao crawl"):
        assert holder(tmp_path).pid == os.getpid()


def test_wait_serialises_writers(tmp_path):
    proc = hold_in_child(tmp_path)
    started = time.monotonic()
    with pytest.raises(DataDirLocked):
        DataLock(tmp_path, "nianbao crawl").acquire(wait=0.5)
    assert time.monotonic() - started >= 0.5
    proc.kill()
    proc.wait()
    with DataLock(tmp_path, "nianbao crawl").acquire(wait=5):
        pass
