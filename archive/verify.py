"""Verify an archive: gzip members, warcio digests, structure, and catalogue pointers.

Every problem is one `Problem` line; nothing stops at the first one. `seal()` turns a
`.open` file a crash left behind into a closed one. See docs/archive.md ("Verify").
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from archive.cdxj import index_path, index_records
from archive.members import gzip_members
from archive.reader import Problem, iter_records
from archive.runcheck import check_runs
from archive.warcfile import OPEN_SUFFIX, host_label
from catalogue import checks

KNOWN_TYPES = {"warcinfo", "response", "resource", "request", "metadata", "revisit",
               "conversion", "continuation"}
NEEDS_URI = {"response", "resource", "request", "revisit", "conversion", "continuation"}
CORRUPT_SUFFIX = ".corrupt"
_CHUNK = 1 << 20
_WRITER_RE = re.compile(r"-\d{17}-\d{5}-(\d+)-(.+)\.warc(\.gz)?\.open$")

Report = Callable[[Problem], None]


@dataclass
class RecordInfo:
    rec_type: str
    url: str | None
    record_id: str | None
    payload_digest: str | None
    offset: int
    length: int
    concurrent_to: list[str] = field(default_factory=list)


@dataclass
class FileResult:
    path: Path
    records: dict[int, RecordInfo] = field(default_factory=dict)
    foreign: bool = False
    good_end: int = 0  # end of the longest run of intact records from the start


@dataclass
class VerifyResult:
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    records: int = 0
    rows: int = 0
    sealed: list[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity != "error" for p in self.problems)


# -- one WARC file ----------------------------------------------------------------------------


def _info(record: Any, offset: int, length: int) -> RecordInfo:
    h = record.rec_headers
    return RecordInfo(record.rec_type, h.get_header("WARC-Target-URI"), h.get_header("WARC-Record-ID"),
                      h.get_header("WARC-Payload-Digest"), offset, length,
                      [v for k, v in h.headers if k.lower() == "warc-concurrent-to"])


def _drain(record: Any) -> None:
    while record.raw_stream.read(_CHUNK):
        pass


def _software(record: Any) -> str:
    match = re.search(rb"^software:\s*(.*?)\r?$", record.raw_stream.read(65536), re.M | re.I)
    return match.group(1).decode("utf-8", "replace") if match else ""


def _lint(path: str, record: Any, offset: int, first: bool, result: FileResult, report: Report) -> None:
    """Structure of one record; the rules are errors in our files, warnings in foreign ones."""
    h = record.rec_headers
    rec_type = record.rec_type
    if first:
        software = _software(record) if rec_type == "warcinfo" else ""
        result.foreign = bool(software) and not software.startswith("nianbao")
        if result.foreign:
            report(Problem(path, None, f"WARC written by another tool ({software}); checked leniently",
                           "warning"))
    level = "warning" if result.foreign else "error"
    if first and rec_type != "warcinfo":
        report(Problem(path, offset, f"first record is {rec_type}, not warcinfo", level))
    if h.protocol != "WARC/1.1":
        if first or not result.foreign:
            report(Problem(path, offset, f"record is {h.protocol}, not WARC/1.1", level))
    if rec_type not in KNOWN_TYPES:
        report(Problem(path, offset, f"unknown record type {rec_type!r}; readers skip it", "warning"))
    for name in ("WARC-Record-ID", "WARC-Date"):
        if not h.get_header(name):
            report(Problem(path, offset, f"{rec_type} record has no {name}"))
    if rec_type in NEEDS_URI and not h.get_header("WARC-Target-URI"):
        report(Problem(path, offset, f"{rec_type} record has no WARC-Target-URI"))
    if rec_type == "response" and not h.get_header("WARC-Payload-Digest"):
        report(Problem(path, offset, "response record has no WARC-Payload-Digest", level))
    http = record.http_headers
    if rec_type == "response" and http and not result.foreign:
        if http.get_header("Transfer-Encoding"):
            report(Problem(path, offset, "Transfer-Encoding kept on a de-chunked body (rename it X-Orig-)"))
        stated = http.get_header("Content-Length")
        payload = int(h.get_header("Content-Length") or 0) - http.total_len
        if stated and stated.strip().isdigit() and int(stated) != payload and http.get_statuscode() not in ("304", "204"):
            report(Problem(path, offset, f"HTTP Content-Length {stated} does not match the stored "
                           f"payload ({payload} bytes)"))


def _check_record(path: str, record: Any, offset: int, first: bool, result: FileResult,
                  report: Report) -> None:
    _lint(path, record, offset, first, result, report)
    _drain(record)
    checker = record.digest_checker
    if checker.passed is False:
        for problem in checker.problems:
            if record.rec_type not in KNOWN_TYPES and problem.startswith("payload digest"):
                continue  # warcio cannot tell where an unknown type's payload starts
            report(Problem(path, offset, f"{problem} ({record.rec_headers.get_header('WARC-Record-ID')})"))


def check_warc(path: str | os.PathLike[str], report: Report) -> FileResult:
    """Check one WARC file; returns the records found, keyed by offset."""
    found: list[Problem] = []
    result = _check_warc(Path(path), found.append)
    for problem in sorted(found, key=lambda p: -1 if p.offset is None else p.offset):
        report(problem)
    return result


def _check_warc(path: Path, report: Report) -> FileResult:
    result = FileResult(path)
    with open(path, "rb") as fh:
        gzipped = fh.read(2) == b"\x1f\x8b"
    if not gzipped:
        for n, (record, offset, length) in enumerate(iter_records(path, report, check_digests=True)):
            _check_record(str(path), record, offset, n == 0, result, report)
            result.records[offset] = _info(record, offset, length())
            result.good_end = offset + result.records[offset].length
        return result
    intact = True
    with open(path, "rb") as fh:
        for n, member in enumerate(gzip_members(path, report)):
            intact = intact and member.offset == result.good_end and not member.framing_error
            if member.framing_error:
                report(Problem(str(path), member.offset, member.framing_error))
            fh.seek(member.offset)
            try:
                record = next(iter(ArchiveIterator(fh, check_digests=True)))
                _check_record(str(path), record, member.offset, n == 0, result, report)
            except Exception as e:
                report(Problem(str(path), member.offset, f"unreadable record ({type(e).__name__}: {e})"))
                intact = False
                continue
            result.records[member.offset] = _info(record, member.offset, member.length)
            if intact:
                result.good_end = member.offset + member.length
    return result


# -- sealing a crashed file -------------------------------------------------------------------


def writer_alive(path: Path) -> bool:
    """Is the `.open` file still being written by a live process on this host?"""
    match = _WRITER_RE.search(path.name)
    if not match or match.group(2) != host_label():
        return False
    try:
        os.kill(int(match.group(1)), 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _free_name(path: Path) -> Path:
    candidate, n = path, 1
    while candidate.exists():
        candidate, n = path.with_name(f"{path.name}.{n}"), n + 1
    return candidate


def seal(path: str | os.PathLike[str], report: Report) -> Path | None:
    """Truncate a crashed `.open` WARC to its last complete record and give it its final name.

    The cut-off tail is kept as `<name>.corrupt`; nothing is deleted. Returns the sealed path
    (None when not one record was complete: then the whole file becomes `.corrupt`).
    """
    path = Path(path)
    final = path.with_name(path.name.removesuffix(OPEN_SUFFIX))
    problems: list[Problem] = []
    cut = check_warc(path, problems.append).good_end
    size = path.stat().st_size
    if cut < size:
        tail = _free_name(final.with_name(final.name + CORRUPT_SUFFIX))
        with open(path, "rb") as src, open(tail, "xb") as dst:
            src.seek(cut)
            shutil.copyfileobj(src, dst)
        if cut == 0:
            path.unlink()
            report(Problem(str(path), 0, f"no complete record; whole file kept as {tail.name}", "warning"))
            return None
        os.truncate(path, cut)
        report(Problem(str(path), cut, f"cut {size - cut} bytes after the last complete record; "
                       f"tail kept as {tail.name}", "warning"))
    os.replace(path, final)
    # Re-index from the sealed bytes: a crash can fall between a record and its index line.
    index = index_path(final)
    tmp = index.with_name(index.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.writelines(index_records(_scan(final), final.name))
    os.replace(tmp, index)
    report(Problem(str(final), None, f"sealed {path.name} as {final.name}", "warning"))
    return final


def _scan(path: Path) -> Iterator[tuple[Any, int, int]]:
    for record, offset, length in iter_records(path):
        _drain(record)
        yield record, offset, length()


# -- catalogue --------------------------------------------------------------------------------


def check_catalogue(db_path: Path, files: dict[str, FileResult], report: Report) -> int:
    """Every catalogue pointer must land on a response for its URL with its digest."""
    count = 0
    for table, (url, filename, offset, length, digest, run) in checks.warc_pointers(db_path):
        count += 1
        where = f"{table} row {url}" + (f" (run {run})" if run is not None else "")
        result = files.get(filename)
        if result is None:
            report(Problem(str(db_path), None, f"{where}: WARC {filename} does not exist"))
            continue
        record = result.records.get(int(offset))
        if record is None and int(offset) >= result.path.stat().st_size:
            report(Problem(str(db_path), None, f"{where}: {filename}@{offset} is past the end of the file "
                           f"({result.path.stat().st_size} bytes): the archived bytes are missing"))
        elif record is None:
            report(Problem(str(db_path), None, f"{where}: no record starts at {filename}@{offset} (damaged, or not a record boundary)"))
        elif record.rec_type not in ("response", "revisit"):
            report(Problem(str(db_path), None, f"{where}: {filename}@{offset} is a {record.rec_type} record"))
        elif record.url != url:
            report(Problem(str(db_path), None, f"{where}: {filename}@{offset} is for {record.url}"))
        elif length is not None and int(length) != record.length:
            report(Problem(str(db_path), None, f"{where}: length {length} but the record at "
                           f"{filename}@{offset} is {record.length} bytes"))
        elif digest and digest != record.payload_digest:
            report(Problem(str(db_path), None, f"{where}: digest {digest} but the record has "
                           f"{record.payload_digest}"))
    return count


def check_orphans(db_path: Path, report: Report) -> int:
    """Rows that lost the report or capture they belong to (e.g. a report deleted by hand)."""
    found = 0
    for table, parent, key, count in checks.orphans(db_path):
        found += 1
        report(Problem(str(db_path), None, f"{table}: {count} row(s) for {key} whose {parent} "
                       f"is not in the catalogue ({'reports' if parent == 'report' else 'captures'}); "
                       "`nianbao replay` rebuilds the catalogue from the WARCs"))
    return found


# -- the whole data directory -----------------------------------------------------------------


def warc_files(warc_dir: Path) -> list[Path]:
    names = (".warc.gz", ".warc", ".warc.gz" + OPEN_SUFFIX, ".warc" + OPEN_SUFFIX)
    return sorted(p for p in warc_dir.iterdir() if p.name.endswith(names)) if warc_dir.is_dir() else []


def verify(data_dir: str | os.PathLike[str], *, do_seal: bool = False,
           report: Report | None = None,
           progress: Callable[[list[Path]], Iterator[Path]] | None = None) -> VerifyResult:
    """Check every WARC under DATA/warc and every catalogue row of DATA/catalogue.db.

    `progress` wraps the list of WARC files (the CLI passes a progress bar)."""
    result = VerifyResult()

    def add(problem: Problem) -> None:
        result.problems.append(problem)
        if report:
            report(problem)

    data = Path(data_dir)
    warc_dir = data / "warc"
    files: dict[str, FileResult] = {}
    for path in (progress or iter)(warc_files(warc_dir)):
        if path.name.endswith(OPEN_SUFFIX):
            if writer_alive(path):
                add(Problem(str(path), None, "still being written by a running crawl; skipped", "warning"))
                continue
            if not do_seal:
                add(Problem(str(path), None, "left open by a crash; run `nianbao verify --seal` to close it"))
            else:
                sealed = seal(path, add)
                if sealed is None:
                    continue
                result.sealed.append(sealed.name)
                path = sealed
        checked = check_warc(path, add)
        files[path.name.removesuffix(OPEN_SUFFIX)] = checked
        result.files += 1
        result.records += len(checked.records)
    ids = {r.record_id for f in files.values() for r in f.records.values()}
    for checked in files.values():
        for record in checked.records.values():
            for target in record.concurrent_to:
                if target not in ids:
                    add(Problem(str(checked.path), record.offset, f"WARC-Concurrent-To {target} "
                                "is not in the archive", "warning" if checked.foreign else "error"))
    catalogue = data / "catalogue.db"
    if catalogue.exists():
        result.rows = check_catalogue(catalogue, files, add)
        check_orphans(catalogue, add)
        check_runs(catalogue, data, add)
    return result
