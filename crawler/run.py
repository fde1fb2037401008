"""Run one crawl of a portal registry into a data directory (what `nianbao crawl` calls)."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from archive.lock import DataLock
from crawler.registry import Portal, RegistryError, is_loopback, load_registry


def data_paths(data_dir: str | os.PathLike[str]) -> dict[str, Path]:
    data = Path(data_dir)
    return {"data": data, "warc": data / "warc", "catalogue": data / "catalogue.db", "logs": data / "logs",
            "registry": data / "registry.toml"}


def crawl_settings(data_dir: str | os.PathLike[str], portals: list[Portal], overrides: dict[str, Any] | None = None) -> Settings:
    """Project settings, pointed at DATA, with one download slot per registry domain entry."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    if overrides:
        settings.setdict(overrides, priority="cmdline")  # PORTAL_DELAY etc. shape the slots below
    paths = data_paths(data_dir)
    paths["logs"].mkdir(parents=True, exist_ok=True)
    slots = {}
    for portal in portals:
        for domain in portal.allowed_domains:
            loopback = is_loopback(domain)  # the simulated portals: politeness would only slow tests
            delay = portal.download_delay if portal.download_delay is not None else (
                0.0 if loopback else settings.getfloat("PORTAL_DELAY"))
            concurrency = portal.concurrency or (8 if loopback else settings.getint("PORTAL_CONCURRENCY"))
            # crawler.downloader maps each request (robots.txt too) to its registry domain
            slots[domain] = {"concurrency": concurrency, "delay": delay}
    # Scrapy sizes its persistent-connection pool per host by CONCURRENT_REQUESTS_PER_DOMAIN;
    # below a slot's concurrency, every extra request opens and closes a connection.
    pool = max((slot["concurrency"] for slot in slots.values()), default=2)
    settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", max(pool, settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")),
                 priority="cmdline")
    settings.setdict({
        "WARC_DIR": str(paths["warc"]),
        "CATALOGUE_PATH": str(paths["catalogue"]),
        "DOWNLOAD_SLOTS": slots,
        "LOG_FILE": str(paths["logs"] / "crawl.log"),
        "LOG_FILE_APPEND": True,
    }, priority="cmdline")
    if overrides:
        settings.setdict(overrides, priority="cmdline")
    return settings


def seal_crashed(warc_dir: str | os.PathLike[str]) -> list[str]:
    """WARC files a killed crawl left `.open`: cut to the last complete record and closed."""
    from archive.verify import seal, writer_alive
    from archive.warcfile import OPEN_SUFFIX

    notes: list[str] = []
    for path in sorted(Path(warc_dir).glob("*" + OPEN_SUFFIX)):
        if not writer_alive(path):
            seal(path, lambda problem: notes.append(str(problem)))
    for note in notes:
        logging.getLogger(__name__).warning("recovering after a crash: %s", note)
    return notes


def run_portal_spider(settings: Settings, portals: list[Portal]) -> dict[str, Any]:
    """One PortalSpider run in this process (a Twisted reactor runs once per process).

    The spider is loaded by its name from SPIDER_MODULES (crawler/settings.py), as `scrapy crawl
    portal` would: crawler/ sits below spiders/ and never imports it (docs/design.md, "Layers")."""
    process = CrawlerProcess(settings)
    crawler = process.create_crawler("portal")
    process.crawl(crawler, portals=portals)
    process.start()
    return crawler.stats.get_stats()


def crawl(registry: str | os.PathLike[str], data_dir: str | os.PathLike[str],
          overrides: dict[str, Any] | None = None, only: tuple[str, ...] = ()) -> dict[str, Any]:
    """Crawl every portal of the registry (or only some); returns the crawl's Scrapy stats."""
    portals = load_registry(registry)
    if only:
        unknown = set(only) - {p.name for p in portals}
        if unknown:
            raise RegistryError(f"no portal named {', '.join(sorted(unknown))} in {registry}")
        portals = [p for p in portals if p.name in only]
    # One writer per DATA: a second crawl, replay or worker is refused before it writes anything.
    with DataLock(data_dir, lock_command(overrides, "crawl")).acquire():
        settings = crawl_settings(data_dir, portals, overrides)
        # Keep the registry beside the archive: replay re-runs the same spider over the WARCs.
        kept = data_paths(data_dir)["registry"]
        if Path(registry).resolve() != kept.resolve():
            shutil.copyfile(registry, kept)
        seal_crashed(data_paths(data_dir)["warc"])
        settings.set("LOG_INSTALL_ROOT_HANDLER", True)
        return run_portal_spider(settings, portals)


def lock_command(overrides: dict[str, Any] | None, default: str) -> str:
    """What the lock file says holds DATA: the nianbao command line, as far as it is known."""
    return "nianbao " + str((overrides or {}).get("NIANBAO_COMMAND") or default)


REPLAY_SETTINGS: dict[str, Any] = {
    "REPLAY_ENABLED": True,
    "WARC_ENABLED": False,  # replay reads the archive; it never writes to it
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 64,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 64,
    "RETRY_ENABLED": False,
    "NIANBAO_COMMAND": "replay",
}


def replay(data_dir: str | os.PathLike[str], to_db: str | os.PathLike[str] | None = None,
           registry: str | os.PathLike[str] | None = None,
           overrides: dict[str, Any] | None = None, force: bool = False) -> dict[str, Any]:
    """Rebuild a catalogue from DATA's WARCs alone, through the live spider and pipelines.

    The new catalogue is built in a new file and swapped in (`install_catalogue`): the old
    one is kept, and one with fewer reports replaces it only with `force`. Stats carry
    `replay/catalogue` (a `SwapResult`) and `replay/damaged` (each damaged file and offset).
    """
    from crawler.catalogue_swap import CatalogueShrinks, install_catalogue

    paths = data_paths(data_dir)
    registry = registry or paths["registry"]
    if not Path(registry).exists():
        raise RegistryError(f"no registry kept in {paths['data']} (no crawl has written "
                            f"{paths['registry'].name} there); name one with --portals FILE")
    portals = load_registry(registry)
    target = Path(to_db) if to_db else paths["catalogue"]
    with DataLock(data_dir, lock_command(overrides, "replay")).acquire():
        fd, building = tempfile.mkstemp(prefix=".replay-", suffix=".db", dir=target.parent)
        os.close(fd)
        os.unlink(building)
        settings = crawl_settings(data_dir, portals, {**REPLAY_SETTINGS, **(overrides or {})})
        settings.setdict({"CATALOGUE_PATH": building, "LOG_FILE": str(paths["logs"] / "replay.log"),
                          "LOG_INSTALL_ROOT_HANDLER": True}, priority="cmdline")
        stats = run_portal_spider(settings, portals)
        try:
            stats["replay/catalogue"] = install_catalogue(Path(building), target, force)
        except CatalogueShrinks as e:
            e.stats = stats  # type: ignore[attr-defined]
            raise
        return stats
