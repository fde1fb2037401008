"""Put a rebuilt catalogue in place: atomically, keeping the old one, never a smaller one silently.

`nianbao replay` builds its catalogue in a new file; `install_catalogue` swaps it in with
`os.replace` after hard-linking the old one to `<name>.bak-<UTC stamp>`, and refuses (unless
forced) when the new one holds fewer reports than the old (issue 11).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from archive.warcfile import fsync_dir
from catalogue.catalogue import checkpoint
from catalogue.read import report_urls

_SIDE_FILES = ("-wal", "-shm")


class CatalogueShrinks(Exception):
    """The rebuilt catalogue holds fewer reports than the one it would replace."""


@dataclass
class SwapResult:
    target: Path
    reports: int
    old_reports: int | None = None  # None: there was no catalogue before
    backup: Path | None = None
    missing: list[str] = field(default_factory=list)  # report URLs of the old one not in the new

    @property
    def fewer(self) -> int:
        return max(0, (self.old_reports or 0) - self.reports)


def stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def _free(path: Path) -> Path:
    candidate, n = path, 1
    while candidate.exists():
        candidate, n = path.with_name(f"{path.name}.{n}"), n + 1
    return candidate


def install_catalogue(built: Path, target: Path, force: bool = False) -> SwapResult:
    """Replace `target` by `built` atomically; the old file stays as `<target>.bak-<stamp>`.

    Raises `CatalogueShrinks` (the new file is kept beside the target, named in the message)
    when `built` has fewer reports than `target` and `force` is off.
    """
    built, target = Path(built), Path(target)
    checkpoint(built)
    new_urls = report_urls(built)
    result = SwapResult(target, len(new_urls))
    if target.exists():
        checkpoint(target)
        old_urls = report_urls(target)
        result.old_reports = len(old_urls)
        result.missing = sorted(old_urls - new_urls)
        if result.fewer and not force:
            kept = _free(target.with_name(f"{target.stem}.replayed-{stamp()}{target.suffix}"))
            os.replace(built, kept)
            raise CatalogueShrinks(
                f"the replayed catalogue has {result.reports} reports, {result.fewer} fewer than "
                f"{target} ({result.old_reports}); {target.name} is unchanged, the replayed one is "
                f"{kept}; run again with --force to replace it anyway")
        result.backup = _free(target.with_name(f"{target.name}.bak-{stamp()}"))
        try:
            os.link(target, result.backup)
        except OSError:  # a file system without hard links
            shutil.copy2(target, result.backup)
    for suffix in _SIDE_FILES:  # empty after the checkpoint; never let them meet the new file
        Path(str(target) + suffix).unlink(missing_ok=True)
    os.replace(built, target)
    fsync_dir(target.parent)
    return result
