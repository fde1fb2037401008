"""CDXJ index lines (pywb / cdxj-indexer format), written per record as the WARC grows.

Each WARC `X.warc.gz` has its index `X.cdxj` beside it: one line per indexable record,
`<surt> <14-digit timestamp> {"url", "mime", "status", "digest", "length", "offset",
"filename"}`, appended and flushed right after the record, sorted when the WARC is closed.
See docs/archive.md.
"""

from __future__ import annotations

import json
import os
import re
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import surt
from warcio.timeutils import iso_date_to_timestamp

# What cdxj-indexer indexes by default (DEFAULT_RECORDS), minus warc-fields metadata.
INDEXED_TYPES = ("response", "revisit", "resource", "metadata")
_MIME_SPLIT = re.compile(r"[;\s]")
WARC_SUFFIXES = (".warc.gz", ".warc")


def index_path(warc_path: str | os.PathLike[str]) -> Path:
    """`X.warc.gz` (or `X.warc.gz.open`) → `X.cdxj` in the same directory."""
    path = Path(warc_path)
    name = path.name.removesuffix(".open")
    for suffix in WARC_SUFFIXES:
        if name.endswith(suffix):
            return path.with_name(name[: -len(suffix)] + ".cdxj")
    return path.with_name(name + ".cdxj")


def url_key(url: str) -> str:
    try:
        return surt.surt(url)
    except Exception:  # cdxj-indexer falls back to the URL itself
        return url


def cdxj_line(record: Any, filename: str, offset: int, length: int) -> str | None:
    """The index line of one record, or None when pywb would not index it."""
    rec_type = record.rec_type
    if rec_type not in INDEXED_TYPES:
        return None
    rec_headers = record.rec_headers
    content_type = rec_headers.get_header("Content-Type")
    if rec_type in ("resource", "metadata") and content_type == "application/warc-fields":
        return None
    url = rec_headers.get_header("WARC-Target-URI")
    http = record.http_headers
    if rec_type == "revisit":
        mime = "warc/revisit"
    elif rec_type == "response":
        mime = http.get_header("Content-Type") if http else None
    else:
        mime = content_type
    if mime:
        mime = _MIME_SPLIT.split(mime, 1)[0].strip()
    index: dict[str, str] = OrderedDict(url=url)
    if mime is not None:
        index["mime"] = mime
    if rec_type in ("response", "revisit") and http:
        index["status"] = http.get_statuscode()
    digest = rec_headers.get_header("WARC-Payload-Digest")
    if digest:
        index["digest"] = digest
    index.update(length=str(length), offset=str(offset), filename=filename)
    timestamp = iso_date_to_timestamp(rec_headers.get_header("WARC-Date"))
    return f"{url_key(url)} {timestamp} {json.dumps(index)}\n"


@dataclass(frozen=True)
class CdxjEntry:
    urlkey: str
    timestamp: str
    url: str
    mime: str | None
    status: str | None
    digest: str | None
    filename: str
    offset: int
    length: int

    @classmethod
    def parse(cls, line: str) -> CdxjEntry:
        urlkey, timestamp, rest = line.rstrip("\n").split(" ", 2)
        data = json.loads(rest)
        return cls(urlkey, timestamp, data["url"], data.get("mime"), data.get("status"),
                   data.get("digest"), data["filename"], int(data["offset"]), int(data["length"]))


class CdxjWriter:
    """Appends one line per record (flushed, so a crash keeps every finished line)."""

    def __init__(self, path: str | os.PathLike[str], filename: str) -> None:
        self.path = Path(path)
        self.filename = filename
        self._fh = open(self.path, "a", encoding="utf-8")

    def add(self, record: Any, offset: int, length: int) -> None:
        line = cdxj_line(record, self.filename, offset, length)
        if line:
            self._fh.write(line)
            self._fh.flush()

    def sync(self) -> int:
        """Force the lines written so far to disk; returns the size that is now durable."""
        self._fh.flush()
        os.fsync(self._fh.fileno())
        return self._fh.tell()

    def close(self) -> None:
        """Close and sort the file in place (durably), as pywb's binary search needs."""
        self._fh.close()
        sort_index(self.path)


def sort_index(path: str | os.PathLike[str], keep: Any = None) -> None:
    """Sort an index file in place (atomically), keeping only lines `keep(entry)` accepts."""
    path = Path(path)
    with open(path, encoding="utf-8") as fh:
        lines = [line for line in fh if line.strip() and (keep is None or keep(CdxjEntry.parse(line)))]
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as out:
        out.writelines(sorted(lines))
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)


def read_index(path: str | os.PathLike[str]) -> Iterator[CdxjEntry]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield CdxjEntry.parse(line)


def index_records(records: Iterable[tuple[Any, int, int]], filename: str) -> list[str]:
    """Index lines for (record, offset, length) triples, e.g. from a scan of a sealed file."""
    lines = (cdxj_line(record, filename, offset, length) for record, offset, length in records)
    return sorted(line for line in lines if line)


def merge_indexes(paths: Iterable[str | os.PathLike[str]], out: str | os.PathLike[str]) -> int:
    """Write one sorted index from several (pywb reads a collection's index by bisection)."""
    import heapq

    files = [open(p, encoding="utf-8") for p in paths]
    try:
        count = 0
        with open(out, "w", encoding="utf-8") as fh:
            for line in heapq.merge(*(sorted(f) for f in files)):
                fh.write(line)
                count += 1
        return count
    finally:
        for f in files:
            f.close()
