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
import sqlite3
from pathlib import Path
from typing import Any

from scrapy import Request

from archive.lock import DataLock, holder
from archive.reader import read_record_at, resolve_path
from archive.records import PROFILE_SERVER_NOT_MODIFIED
from crawler.meta import (
    REBUILT_FROM_ARCHIVE,
    REPLAY_LOCATION,
    WARC_DATE,
    WARC_LOCATION,
    WARC_PAYLOAD_DIGEST,
    WARC_RECORD_ID,
    WARC_RECORD_TYPE,
)
from crawler.registry import RegistryError, load_registry
from crawler.replay import ReplayMiddleware, request_key
from crawler.run import REPLAY_SETTINGS, crawl_settings, data_paths, run_portal_spider, seal_crashed
from crawler.state import LocalCrawlState

_MIDDLEWARES = {"crawler.replay.ReplayMiddleware": None, "distributed.merge.MergeReplayMiddleware": 950}


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


class MergeReplayMiddleware(ReplayMiddleware):
    """ReplayMiddleware for `nianbao merge`: a URL the workers found unchanged reaches the
    spider as it reached the worker, a revisit, not as the capture it refers to. A 304 (the
    server-not-modified profile) comes as the archived copy, as RevalidateMiddleware and
    ReplayMiddleware hand it on in a live crawl; the same bytes again (identical-payload) as
    that 200. Either way the capture is recorded as the revisit record, so the merged
    catalogue says `revisit` where one machine's does (plain `nianbao replay` rebuilds a
    catalogue from scratch and keeps replaying the originals). Only a revisit of a capture
    the catalogue already holds: one that refers to a capture of this same crawl (a worker
    died after archiving a page, and the page was fetched again) is replayed as the original,
    which is new to the catalogue."""

    catalogued: set[str] = set()  # record ids of the responses DATA's catalogue holds

    @classmethod
    def from_crawler(cls, crawler: Any) -> MergeReplayMiddleware:
        middleware = super().from_crawler(crawler)
        path = crawler.settings.get("CATALOGUE_PATH")
        if path and Path(path).exists():
            with sqlite3.connect(path) as db:
                middleware.catalogued = {row[0] for row in db.execute(
                    "select record_id from captures where record_type = 'response' and record_id is not null")}
        return middleware

    def process_request(self, request: Request) -> object:
        response = super().process_request(request)
        capture = None if self.index is None or request.meta.get(REPLAY_LOCATION) else \
            self.index.by_request.get(request_key(request.method, request.url, request.body or b""))
        # a 304's revisit has no request record, so a POST's (a pager's) is indexed under GET
        unpaired = None if capture is None else self.index.by_request.get(request_key("GET", request.url))
        if unpaired is not None and unpaired.rec_type == "revisit" and unpaired.date > capture.date:
            capture = unpaired
        if capture is None or capture.rec_type != "revisit":
            return response
        revisit = read_record_at(resolve_path(self.warc_dir, capture.location.filename), capture.location.offset,
                                 lambda r: r.rec_headers)
        if revisit.get_header("WARC-Refers-To") not in self.catalogued:
            return response
        request.meta.update({WARC_LOCATION: capture.location, WARC_DATE: revisit.get_header("WARC-Date"),
                             WARC_RECORD_ID: revisit.get_header("WARC-Record-ID"),
                             WARC_PAYLOAD_DIGEST: revisit.get_header("WARC-Payload-Digest"),
                             WARC_RECORD_TYPE: "revisit"})
        if revisit.get_header("WARC-Profile") == PROFILE_SERVER_NOT_MODIFIED:
            request.meta[REBUILT_FROM_ARCHIVE] = True
        self.stats.inc_value("merge/revisits")
        return response


class MergeCrawlState(LocalCrawlState):
    """CRAWL_STATE for `nianbao merge`: every start request (start URLs, then each known page
    to revalidate) is scheduled before any is answered. A live crawl schedules them all in the
    time its first response takes; replay answers at once, so a listing parsed early queued a
    known page first, with its link title, and the duplicate filter kept that one: the merged
    captures then differed from one machine's. The engine is paused from the first start
    request until the spider says it has yielded the last (`seeded`)."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> MergeCrawlState:
        state = super().from_crawler(crawler)  # on the spider's first look, inside start()
        state.engine = crawler.engine
        state.engine.pause()
        return state

    def seeded(self) -> None:
        self.engine.unpause()
        slot = getattr(self.engine, "_slot", None)
        if slot is not None:
            slot.nextcall.schedule()  # now, not at the engine's 5 s heartbeat


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
                                                      "CRAWL_STATE": "distributed.merge.MergeCrawlState",
                                                      **(overrides or {})})
        settings.set("DOWNLOADER_MIDDLEWARES", {**settings.getdict("DOWNLOADER_MIDDLEWARES"), **_MIDDLEWARES},
                     priority="cmdline")
        settings.setdict({"LOG_FILE": str(paths["logs"] / "merge.log"), "LOG_INSTALL_ROOT_HANDLER": True},
                         priority="cmdline")
        stats = run_portal_spider(settings, portals)
    stats["merge/copied_files"] = len(copied)
    return stats
