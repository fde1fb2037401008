"""Results of the slow readers (OCR of a page, a LibreOffice conversion), kept on disk.

OCR takes tens of seconds a page on two cores and LibreOffice seconds a file, and a replay, a
resumed crawl or a re-crawl reads the same scans and Word files again. With NIANBAO_OCR_CACHE
set to a directory, each result is kept there under the digest of its input and of the reader's
version: the same input gives the same result, so the cache changes no result, only the time.
Unset, nothing is kept (extract stays a pure function of its input).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def cache_dir() -> Path | None:
    directory = os.environ.get("NIANBAO_OCR_CACHE")
    return Path(directory) if directory else None


def kept(name: str, make: Callable[[], T], dump: Callable[[T], bytes],
         load: Callable[[bytes], T], directory: Path | None = None) -> T:
    """`make()`, or the result kept under `name` (a digest and a suffix) by an earlier call,
    in `directory` (default: NIANBAO_OCR_CACHE's; neither: nothing is kept). An entry that
    `load` cannot read is made again, never an error."""
    directory = directory or cache_dir()
    if directory is None:
        return make()
    path = directory / name
    try:
        return load(path.read_bytes())
    except Exception:  # noqa: BLE001 - not kept yet, or an unreadable entry: make it again
        pass
    result = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.part")
    partial.write_bytes(dump(result))
    partial.replace(path)  # atomic: a parallel worker never reads half an entry
    return result
