"""The gzip members of a WARC file, and where a record starts again after damage.

Each member is inflated with a bounded output per call (zlib checks its CRC), so a damaged
member is found, named and stepped over, and never read into memory whole. Used by the
reader (one record per member, in isolation) and by `nianbao verify`. See docs/archive.md.
"""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

GZIP_MAGIC = b"\x1f\x8b\x08"
RAW_MAGIC = b"WARC/1."  # a record of an uncompressed WARC starts a line with its version
_CHUNK = 1 << 20
NOT_WARC = "gzip member does not start with a WARC record"


@dataclass(frozen=True)
class Problem:
    """Something wrong in an archive file, at a byte offset when known."""

    path: str
    offset: int | None
    message: str
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        where = self.path if self.offset is None else f"{self.path}@{self.offset}"
        return f"{self.severity.upper()} {where}: {self.message}"


Report = Callable[[Problem], None]


@dataclass
class Member:
    """One gzip member: where it lies and whether its record's framing adds up."""

    offset: int
    length: int
    framing_error: str | None = None


class _MemberState:
    def __init__(self, offset: int) -> None:
        self.offset = offset
        self.inflate = zlib.decompressobj(31)
        self.head = b""
        self.size = 0
        self.tail = b""

    def feed(self, out: bytes) -> None:
        if len(self.head) < 65536 and b"\r\n\r\n" not in self.head:
            self.head += out[:65536]
        self.size += len(out)
        self.tail = (self.tail + out[-4:])[-4:]

    def framing_error(self) -> str | None:
        if not self.head.startswith(b"WARC/"):
            return NOT_WARC
        end = self.head.find(b"\r\n\r\n")
        match = re.search(rb"\r\ncontent-length:\s*(\d+)", self.head[:end + 2], re.I)
        if end < 0 or not match:
            return "WARC header has no Content-Length"
        expected = end + 4 + int(match.group(1)) + 4
        if self.size != expected or self.tail != b"\r\n\r\n":
            return (f"WARC Content-Length {int(match.group(1))} does not match the record's "
                    f"{self.size - end - 8} bytes in its gzip member")
        return None


def gzip_members(path: str | os.PathLike[str], report: Report) -> list[Member]:
    """Every intact gzip member of a file; corrupt or truncated ones are reported and skipped."""
    return list(iter_members(path, report))


def iter_members(path: str | os.PathLike[str], report: Report) -> Iterator[Member]:
    """Walk the gzip members of a file; corrupt or truncated ones are reported and skipped.

    After damage the walk resumes at the next member that inflates to a WARC header. A member
    that does not hold a WARC header is yielded (verify names it) but not trusted to end where
    zlib says: a damaged gzip header can make one "member" of many records.
    """
    size = os.path.getsize(path)
    with open(path, "rb") as fh:
        pos: int | None = 0
        while pos is not None and pos < size:
            offset, pos = pos, None
            try:
                for member in _members_from(fh, offset, size):
                    yield member
                    if member.framing_error == NOT_WARC:
                        pos = next_member(fh, member.offset + 1)
                        break
            except zlib.error as e:
                report(Problem(str(path), e.args[1], f"corrupt gzip member ({e.args[0]}); skipped"))
                pos = next_member(fh, e.args[1] + 1)
            except EOFError as e:
                report(Problem(str(path), e.args[0], "truncated gzip member: the file ends "
                               f"{size - e.args[0]} bytes into it"))
                pos = next_member(fh, e.args[0] + 1)


def _members_from(fh: Any, pos: int, size: int) -> Iterator[Member]:
    """Members from `pos` on; raises zlib.error(msg, offset) or EOFError(offset) at damage."""
    fh.seek(pos)
    state, buf, start = _MemberState(pos), b"", pos  # start: file offset of buf
    while True:
        if not buf:
            buf = fh.read(_CHUNK)
            if not buf:
                raise EOFError(state.offset)
        data = buf
        try:
            while data and not state.inflate.eof:
                state.feed(state.inflate.decompress(data, 1 << 22))
                data = state.inflate.unconsumed_tail
        except zlib.error as e:
            raise zlib.error(str(e), state.offset) from e
        if not state.inflate.eof:
            start, buf = start + len(buf), b""
            continue
        unused = state.inflate.unused_data
        end = start + len(buf) - len(unused)
        yield Member(state.offset, end - state.offset, state.framing_error())
        if end >= size:
            return
        state, buf, start = _MemberState(end), unused, end


def next_member(fh: Any, start: int, raw: bool = False) -> int | None:
    """Offset of the next record start at or after `start`: a gzip member that inflates to a
    WARC header, or with `raw` (an uncompressed WARC) a `WARC/1.` line."""
    fh.seek(start)
    data, base = fh.read(1 << 20), start
    while data:
        for pos in sorted(_candidates(data, raw)):
            fh.seek(base + pos)
            head = fh.read(4096)
            if head.startswith(GZIP_MAGIC):
                try:
                    head = zlib.decompressobj(31).decompress(head, 16)
                except zlib.error:
                    head = b""
            elif pos == 0 and base > 0:
                fh.seek(base - 1)
                if fh.read(1) != b"\n":
                    continue
            if head.startswith(b"WARC/"):
                return base + pos
        base += max(len(data) - 8, 1)
        fh.seek(base)
        data = fh.read(1 << 20)
        if len(data) <= 8:
            break
    return None


def _candidates(data: bytes, raw: bool) -> Iterator[int]:
    for magic, line_start in ((RAW_MAGIC, True),) if raw else ((GZIP_MAGIC, False),):
        pos = data.find(magic)
        while pos >= 0:
            if not line_start or pos == 0 or data[pos - 1:pos] == b"\n":
                yield pos
            pos = data.find(magic, pos + 1)


