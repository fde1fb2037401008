"""Append records to gzipped WARC files, rotate them by size, rename .open → final on close.

A file being written is named `<name>.warc.gz.open`; only a closed file has its final name,
so a reader can tell a finished file from one a crash left behind (`nianbao verify --seal`).
Each record's CDXJ line goes to `<name>.cdxj` as soon as the record is flushed.
"""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warcio.warcwriter import WARCWriter

from archive.cdxj import CdxjWriter, index_path
from archive.location import RecordLocation
from archive.records import WARC_VERSION, warcinfo_record

OPEN_SUFFIX = ".open"


def host_label() -> str:
    """This host's short name, reduced to what WACZ resource names allow ([-a-z0-9.])."""
    return re.sub(r"[^a-z0-9-]+", "-", socket.gethostname().split(".")[0].lower()) or "host"


class WarcFile:
    """A rotating WARC writer; `write()` returns where each record landed."""

    def __init__(
        self,
        directory: str | os.PathLike[str],
        prefix: str = "nianbao",
        rotate_bytes: int = 1_000_000_000,
        info: dict[str, str] | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.prefix = re.sub(r"[^a-z0-9-]+", "-", prefix.lower())
        self.rotate_bytes = rotate_bytes
        self.info = dict(info or {})
        self.serial = 0
        self.bytes_written = 0
        self.files_closed: list[str] = []
        self._fh: Any = None
        self._name: str | None = None
        self._writer: WARCWriter | None = None
        self._index: CdxjWriter | None = None
        self._synced: tuple[int, int] = (0, 0)  # WARC and CDXJ sizes known to be on disk

    @property
    def current_name(self) -> str | None:
        return self._name

    def _next_name(self) -> str:
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")[:17]
        while True:
            self.serial += 1
            name = f"{self.prefix}-{stamp}-{self.serial:05d}-{os.getpid()}-{host_label()}.warc.gz"
            if not (self.directory / name).exists():
                return name

    def _open(self) -> None:
        self._name = self._next_name()
        self._fh = open(self.directory / (self._name + OPEN_SUFFIX), "xb")
        self._writer = WARCWriter(self._fh, gzip=True, warc_version=WARC_VERSION)
        self._index = CdxjWriter(index_path(self.directory / self._name), self._name)
        self._synced = (0, 0)
        fsync_dir(self.directory)  # the new names survive a power cut
        self._append(warcinfo_record(self._writer, self._name, self.info))

    def _append(self, record: Any) -> RecordLocation:
        assert self._fh is not None and self._writer is not None and self._index is not None
        offset = self._fh.tell()
        self._writer.write_record(record)
        self._fh.flush()
        end = self._fh.tell()
        self.bytes_written += end - offset
        self._index.add(record, offset, end - offset)
        return RecordLocation(self._name, offset, end - offset)

    @property
    def builder(self) -> WARCWriter:
        """The record builder of the current file (opening one if needed)."""
        if self._writer is None:
            self._open()
        assert self._writer is not None
        return self._writer

    def write(self, records: Iterable[Any]) -> list[RecordLocation]:
        """Append records to one file (so linked records stay together), then maybe rotate."""
        if self._fh is None:
            self._open()
        locations = [self._append(record) for record in records]
        if self._fh.tell() >= self.rotate_bytes:
            self.close()
        return locations

    def sync(self) -> None:
        """Force the current WARC and its CDXJ to disk: the catalogue commits rows pointing
        at these bytes only after this returns (a checkpoint, issue 11)."""
        if self._fh is None:
            return
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._synced = (self._fh.tell(), self._index.sync())

    def lose_unsynced(self) -> None:
        """What a power cut does: drop every byte written since the last `sync` (test hook)."""
        if self._fh is not None:
            os.truncate(self.directory / (self._name + OPEN_SUFFIX), self._synced[0])
            os.truncate(self._index.path, self._synced[1])

    def close(self) -> None:
        """Close the current file (on disk) and give it its final name."""
        if self._fh is None:
            return
        self.sync()
        self._fh.close()
        self._index.close()
        os.replace(self.directory / (self._name + OPEN_SUFFIX), self.directory / self._name)
        fsync_dir(self.directory)
        self.files_closed.append(self._name)
        self._fh = self._writer = self._name = self._index = None


def fsync_dir(directory: str | os.PathLike[str]) -> None:
    """Make a directory's entries (new, renamed files) durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
