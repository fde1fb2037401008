"""One writer per data directory: an OS lock on DATA/.lock naming its holder (issue 11).

`fcntl.flock` is released by the kernel when the holder dies, so a `kill -9` never leaves a
stale lock; the holder's pid, host, command and start time are written into the file so a
refused writer (and `nianbao verify`) can say who holds it. See docs/archive.md ("Lock").
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

LOCK_NAME = ".lock"


class DataDirLocked(Exception):
    """Another process is writing to this data directory."""

    def __init__(self, data_dir: str | os.PathLike[str], info: LockInfo | None) -> None:
        self.info = info
        who = str(info) if info else "another process"
        super().__init__(f"{data_dir} is in use by {who}; wait for it to finish, or stop it")


@dataclass(frozen=True)
class LockInfo:
    """Who holds a data directory's lock."""

    pid: int
    host: str
    command: str
    started: str

    def __str__(self) -> str:
        return f"`{self.command}` (pid {self.pid} on {self.host}, since {self.started})"


def lock_path(data_dir: str | os.PathLike[str]) -> Path:
    return Path(data_dir) / LOCK_NAME


def _read_info(fd: int) -> LockInfo | None:
    os.lseek(fd, 0, os.SEEK_SET)
    raw = os.read(fd, 65536)
    try:
        data = json.loads(raw.decode("utf-8"))
        return LockInfo(int(data["pid"]), str(data["host"]), str(data["command"]), str(data["started"]))
    except (ValueError, KeyError, TypeError):
        return None  # the holder had not written its name yet


def holder(data_dir: str | os.PathLike[str]) -> LockInfo | None:
    """The live process holding DATA's lock, or None when no process holds it."""
    path = lock_path(data_dir)
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read_info(fd) or LockInfo(0, "?", "unknown", "?")
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


class DataLock:
    """The exclusive lock of one data directory, held for the life of one writer.

    `acquire(wait=None)` refuses at once with `DataDirLocked` naming the holder; with
    `wait=seconds` it waits that long first (a scheduler serialising its runs).
    """

    def __init__(self, data_dir: str | os.PathLike[str], command: str) -> None:
        self.data_dir = Path(data_dir)
        self.command = command
        self.fd: int | None = None

    def acquire(self, wait: float | None = None) -> DataLock:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path(self.data_dir), os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + (wait or 0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    info = _read_info(fd)
                    os.close(fd)
                    raise DataDirLocked(self.data_dir, info) from None
                time.sleep(0.2)
        info = LockInfo(os.getpid(), socket.gethostname(), self.command,
                        datetime.now(UTC).isoformat(timespec="seconds"))
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(asdict(info), ensure_ascii=False).encode("utf-8") + b"\n", 0)
        os.fsync(fd)
        self.fd = fd
        return self

    def release(self) -> None:
        """Unlock; the file stays (removing it would race with a writer opening it)."""
        if self.fd is not None:
            os.ftruncate(self.fd, 0)
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> DataLock:
        return self if self.fd is not None else self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
