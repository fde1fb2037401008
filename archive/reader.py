"""Read archived responses back: by catalogue location, or every one in a set of files.

Revisit records are resolved to their original's payload (through the CDXJ indexes beside
the WARCs, or a scan). Damaged files are reported and skipped past, never fatal.
See docs/archive.md.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.limitreader import LimitReader
from warcio.timeutils import iso_date_to_timestamp

from archive.cdxj import CdxjEntry, index_path, read_index, url_key
from archive.location import RecordLocation
from archive.members import Problem, iter_members, next_member
from archive.payload import READ_MAXSIZE, TooLarge, read_payload
from archive.warcfile import OPEN_SUFFIX

logger = logging.getLogger(__name__)



class RecordNotFound(Exception):
    """No response record at that location."""


@dataclass(frozen=True)
class ArchivedResponse:
    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes  # payload with Content-Encoding decoded, as warcio's content_stream() gives
    warc_date: str
    record_id: str
    payload_digest: str | None
    location: RecordLocation | None = None
    rec_type: str = "response"  # or "revisit" (body, and for a 304 status and headers, from the original)
    refers_to: RecordLocation | None = None  # the original a revisit was resolved to

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


def resolve_path(warc_dir: str | os.PathLike[str], filename: str) -> Path:
    """The file as closed, or still `.open` while the crawl writes it."""
    path = Path(warc_dir) / filename
    if path.exists():
        return path
    open_path = path.with_name(path.name + OPEN_SUFFIX)
    if open_path.exists():
        return open_path
    raise RecordNotFound(f"{filename} is not in {warc_dir}")


def _to_response(record: Any, location: RecordLocation | None = None,
                 max_size: int | None = READ_MAXSIZE) -> ArchivedResponse:
    """The record as a response; raises `TooLarge` past `max_size` bytes of payload.

    `max_size=None` reads no payload at all (status and headers only).
    """
    http = record.http_headers
    status = int(http.get_statuscode() or 0) if http else 0
    return ArchivedResponse(
        url=record.rec_headers.get_header("WARC-Target-URI"),
        status=status,
        headers=list(http.headers) if http else [],
        body=read_payload(record, max_size) if record.rec_type != "revisit" and max_size is not None else b"",
        warc_date=record.rec_headers.get_header("WARC-Date"),
        record_id=record.rec_headers.get_header("WARC-Record-ID"),
        payload_digest=record.rec_headers.get_header("WARC-Payload-Digest"),
        location=location,
        rec_type=record.rec_type,
    )


def iter_records(path: str | os.PathLike[str], on_problem: Callable[[Problem], None] | None = None,
                 check_digests: bool = False) -> Iterator[tuple[Any, int, Callable[[], int]]]:
    """(record, offset, length()) for every readable record; damage is reported and skipped.

    In a gzipped WARC each member is read in isolation, so a damaged one can never swallow
    the members after it. Read the record's body before calling `length()` (which consumes
    the rest of it).
    """
    report = on_problem or (lambda p: logger.warning("%s", p))
    path = Path(path)
    if path.name.removesuffix(OPEN_SUFFIX).endswith(".gz"):
        yield from _gzip_records(path, report, check_digests)
    else:
        yield from _plain_records(path, report, check_digests)


def _gzip_records(path: Path, report: Callable[[Problem], None],
                  check_digests: bool) -> Iterator[tuple[Any, int, Callable[[], int]]]:
    with open(path, "rb") as fh:
        for member in iter_members(path, report):
            fh.seek(member.offset)
            records = ArchiveIterator(LimitReader(fh, member.length), check_digests=check_digests)
            offset = member.offset
            try:  # one record per member in our files; other tools may put several in one
                for record in records:
                    offset = member.offset + records.offset
                    yield record, offset, records.get_record_length
                    records.get_record_length()
            except Exception as e:  # a record that does not parse inside an intact member
                report(Problem(str(path), offset, f"unreadable record ({type(e).__name__}: {printable(e)}); "
                               "skipped to the next record"))


def _plain_records(path: Path, report: Callable[[Problem], None],
                   check_digests: bool) -> Iterator[tuple[Any, int, Callable[[], int]]]:
    size = path.stat().st_size
    with open(path, "rb") as fh:
        start: int | None = 0
        end, damaged = 0, False
        while start is not None and start < size:
            fh.seek(start)
            records = ArchiveIterator(fh, check_digests=check_digests)
            failed = start
            try:
                for record in records:
                    failed = offset = records.offset
                    yield record, offset, records.get_record_length
                    end = offset + records.get_record_length()
                    failed = end
                start = None
            except Exception as e:  # ArchiveLoadFailed, EOFError, bad headers …
                damaged = True
                report(Problem(str(path), failed, f"unreadable record ({type(e).__name__}: {printable(e)}); "
                               "skipped to the next record"))
                start = next_member(fh, failed + 1, raw=True)
                end = start if start is not None else size
        if not damaged and end < size and _tail(fh, end).strip(b"\r\n\0"):
            report(Problem(str(path), end, f"{size - end} trailing bytes are not a complete "
                           "record (truncated file?)"))


def printable(error: BaseException, limit: int = 100) -> str:
    """An error message fit for one log line: damaged bytes escaped, and cut short."""
    text = str(error).encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text if len(text) <= limit else text[:limit] + "…"


def _tail(fh: Any, offset: int) -> bytes:
    fh.seek(offset)
    return fh.read(1 << 16)


def read_record_at(path: str | os.PathLike[str], offset: int, func: Callable[[Any], Any]) -> Any:
    """Apply `func` to the record that starts at `offset` (None if nothing parses there)."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        for record in ArchiveIterator(fh):
            return func(record)
    return None


class RevisitResolver:
    """Finds the original of a revisit: by WARC-Refers-To-Target-URI, digest and date."""

    def __init__(self, warc_dirs: list[Path]) -> None:
        self.warc_dirs = list(dict.fromkeys(warc_dirs))
        self._by_key: dict[str, list[CdxjEntry]] | None = None

    def _load(self) -> dict[str, list[CdxjEntry]]:
        if self._by_key is None:
            self._by_key = {}
            for directory in self.warc_dirs:
                for entry in self._entries(directory):
                    if entry.mime != "warc/revisit":
                        self._by_key.setdefault(entry.urlkey, []).append(entry)
        return self._by_key

    @staticmethod
    def _entries(directory: Path) -> Iterator[CdxjEntry]:
        from archive.cdxj import cdxj_line

        for path in sorted(directory.iterdir()):
            if not path.name.endswith((".warc.gz", ".warc", ".warc.gz" + OPEN_SUFFIX)):
                continue
            index = index_path(path)
            if index.exists():
                yield from read_index(index)
                continue
            name = path.name.removesuffix(OPEN_SUFFIX)
            with open(path, "rb") as fh:  # no index (a foreign WARC): scan it
                records = ArchiveIterator(fh)
                try:
                    for record in records:
                        offset = records.get_record_offset()
                        records.read_to_end(record)
                        line = cdxj_line(record, name, offset, records.get_record_length())
                        if line:
                            yield CdxjEntry.parse(line)
                except Exception as e:
                    logger.warning("stopped scanning %s: %s", path, e)

    def find(self, record: Any) -> tuple[Path, CdxjEntry] | None:
        headers = record.rec_headers
        uri = headers.get_header("WARC-Refers-To-Target-URI") or headers.get_header("WARC-Target-URI")
        digest = headers.get_header("WARC-Payload-Digest")
        when = iso_date_to_timestamp(headers.get_header("WARC-Refers-To-Date") or headers.get_header("WARC-Date"))
        candidates = [e for e in self._load().get(url_key(uri), [])
                      if not digest or not e.digest or e.digest == digest]
        if not candidates:
            return None
        best = min(candidates, key=lambda e: abs(int(e.timestamp) - int(when)))
        for directory in self.warc_dirs:
            try:
                return resolve_path(directory, best.filename), best
            except RecordNotFound:
                continue
        return None

    def resolve(self, revisit: ArchivedResponse, record: Any,
                max_size: int | None = READ_MAXSIZE) -> ArchivedResponse:
        """The revisit with the original's body (and, for a 304, its status and headers)."""
        found = self.find(record)
        if found is None:
            raise RecordNotFound(f"original of revisit {revisit.url} ({revisit.record_id}) not found")
        path, entry = found
        original = read_record_at(path, entry.offset, lambda r: _to_response(r, max_size=max_size))
        if original is None or original.rec_type != "response":
            raise RecordNotFound(f"no response at {entry.filename}@{entry.offset} for revisit {revisit.url}")
        refers_to = RecordLocation(entry.filename, entry.offset, entry.length)
        if revisit.status == 304 or not revisit.headers:
            return replace(revisit, status=original.status, headers=original.headers,
                           body=original.body, refers_to=refers_to)
        return replace(revisit, body=original.body, refers_to=refers_to)


def read_response(warc_dir: str | os.PathLike[str], location: RecordLocation,
                  max_size: int | None = READ_MAXSIZE) -> ArchivedResponse:
    """The response (or resolved revisit) record at a catalogue location.

    Raises `TooLarge` when its payload (decoded) is over `max_size` bytes; with
    `max_size=None` the body is left unread (b"").
    """
    path = resolve_path(warc_dir, location.filename)
    with open(path, "rb") as fh:
        fh.seek(location.offset)
        for record in ArchiveIterator(fh):
            if record.rec_type == "response":
                return _to_response(record, location, max_size)
            if record.rec_type == "revisit":
                revisit = _to_response(record, location)
                return RevisitResolver([Path(warc_dir)]).resolve(revisit, record, max_size)
            break
    raise RecordNotFound(f"no response record at {location}")


def iter_responses(paths: list[str | os.PathLike[str]],
                   on_problem: Callable[[Problem], None] | None = None,
                   max_size: int = READ_MAXSIZE) -> Iterator[ArchivedResponse]:
    """Every response record in the given files, in file order; revisits resolved.

    Damaged records, unresolvable revisits and payloads over `max_size` are reported
    (logged, or passed to `on_problem`) and skipped.
    """
    report = on_problem or (lambda p: logger.warning("%s", p))
    resolver = RevisitResolver([Path(p).parent for p in paths])
    for path in paths:
        name = Path(path).name.removesuffix(OPEN_SUFFIX)
        records = iter_records(path, report)
        for record, offset, length in records:
            if record.rec_type not in ("response", "revisit"):
                continue
            try:
                response = _to_response(record, max_size=max_size)
                response = replace(response, location=RecordLocation(name, offset, length()))
                if record.rec_type == "revisit":
                    response = resolver.resolve(response, record, max_size)
            except (RecordNotFound, TooLarge) as e:
                report(Problem(str(path), offset, str(e), "warning"))
                continue
            except Exception as e:  # a damaged payload; iter_records resumes at the next record
                report(Problem(str(path), offset, f"unreadable payload ({type(e).__name__}: {printable(e)})"))
                continue
            yield response
