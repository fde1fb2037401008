"""The one catalogue of a distributed crawl: every worker's WARCs collected into DATA, then
catalogued together as one run (what `nianbao merge` does).

Collecting copies each worker's closed WARC files and CDXJ indexes into DATA/warc (their
names carry crawl, worker and host, so they never collide); a `.open` file whose writer is
dead (a killed worker) is first sealed at its last complete record. Cataloguing runs the
spider and pipelines over DATA's archive, as `nianbao replay` does, but into DATA's existing
catalogue, as one more crawl run: versions, withdrawals and the run table continue exactly
as after a single-machine crawl, because the crawl and replay share one pipeline and
extraction reads the same archived records either way.
"""

from __future__ import annotations

import filecmp
import os
import shutil
from pathlib import Path
from typing import Any

from archive.lock import DataLock, holder
from crawler.registry import RegistryError, load_registry
from crawler.run import REPLAY_SETTINGS, crawl_settings, data_paths, run_portal_spider, seal_crashed


class MergeConflict(Exception):
    """Two different WARC files share a name: they cannot both go into one collection."""


def collect(data_dir: str | os.PathLike[str], sources: list[str | os.PathLike[str]]) -> list[str]:
    """Copy the sources' WARCs and indexes into DATA/warc; returns the names copied."""
    target = data_paths(data_dir)["warc"]
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for source in sources:
        warc_dir = data_paths(source)["warc"]
        if Path(warc_dir).resolve() == target.resolve() or not warc_dir.is_dir():
            continue
        if not _writing(source):
            seal_crashed(warc_dir)  # a killed worker's last file, cut at its last whole record
        for path in sorted(warc_dir.glob("*.warc.gz")) + sorted(warc_dir.glob("*.cdxj")):
            if path.with_name(path.name.removesuffix(".cdxj") + ".warc.gz.open").exists():
                continue  # its worker is still writing it
            dest = target / path.name
            if dest.exists():
                if not filecmp.cmp(path, dest, shallow=False):
                    raise MergeConflict(f"{dest} exists and differs from {path}; move one aside")
                continue
            shutil.copy2(path, dest.with_name(dest.name + ".part"))
            os.replace(dest.with_name(dest.name + ".part"), dest)
            copied.append(path.name)
    return copied


def _writing(data_dir: str | os.PathLike[str]) -> bool:
    """A worker still holds that DATA (on any host sharing the directory)."""
    return holder(data_dir) is not None


def merge(data_dir: str | os.PathLike[str], sources: list[str | os.PathLike[str]] = (),
          overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Collect the sources' WARCs into DATA and catalogue DATA's archive as one crawl run."""
    paths = data_paths(data_dir)
    if not paths["registry"].exists():
        raise RegistryError(f"no registry in {paths['data']}: run the crawl with --data {paths['data']} first")
    portals = load_registry(paths["registry"])
    with DataLock(data_dir, "nianbao merge").acquire():
        copied = collect(data_dir, list(sources))
        # WARC_ENABLED: replayed responses are not archived again (dont_archive), but the
        # metadata records (verdicts, template lines the workers could not compute) are.
        settings = crawl_settings(data_dir, portals, {**REPLAY_SETTINGS, "WARC_ENABLED": True,
                                                      "NIANBAO_COMMAND": "merge",
                                                      **(overrides or {})})
        settings.setdict({"LOG_FILE": str(paths["logs"] / "merge.log"), "LOG_INSTALL_ROOT_HANDLER": True},
                         priority="cmdline")
        stats = run_portal_spider(settings, portals)
    stats["merge/copied_files"] = len(copied)
    return stats
