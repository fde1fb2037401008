"""Read archived responses back: by catalogue location, or every one in a set of files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from archive.location import RecordLocation
from archive.warcfile import OPEN_SUFFIX


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


def _to_response(record, location: RecordLocation | None = None) -> ArchivedResponse:
    http = record.http_headers
    status = int(http.get_statuscode() or 0) if http else 0
    return ArchivedResponse(
        url=record.rec_headers.get_header("WARC-Target-URI"),
        status=status,
        headers=list(http.headers) if http else [],
        body=record.content_stream().read(),
        warc_date=record.rec_headers.get_header("WARC-Date"),
        record_id=record.rec_headers.get_header("WARC-Record-ID"),
        payload_digest=record.rec_headers.get_header("WARC-Payload-Digest"),
        location=location,
    )


def read_response(warc_dir: str | os.PathLike[str], location: RecordLocation) -> ArchivedResponse:
    """The response record at a catalogue location."""
    with open(resolve_path(warc_dir, location.filename), "rb") as fh:
        fh.seek(location.offset)
        for record in ArchiveIterator(fh):
            if record.rec_type != "response":
                break
            return _to_response(record, location)
    raise RecordNotFound(f"no response record at {location}")


def iter_responses(paths: list[str | os.PathLike[str]]) -> Iterator[ArchivedResponse]:
    """Every response record in the given files, in file order."""
    for path in paths:
        name = Path(path).name.removesuffix(OPEN_SUFFIX)
        with open(path, "rb") as fh:
            records = ArchiveIterator(fh)
            for record in records:
                if record.rec_type != "response":
                    continue
                offset = records.get_record_offset()
                response = _to_response(record)
                records.read_to_end(record)
                location = RecordLocation(name, offset, records.get_record_length())
                yield ArchivedResponse(**{**response.__dict__, "location": location})
