"""Run one crawl of a portal registry into a data directory (what `nianbao crawl` calls)."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.registry import Portal, is_loopback, load_registry


def data_paths(data_dir: str | os.PathLike[str]) -> dict[str, Path]:
    data = Path(data_dir)
    return {"data": data, "warc": data / "warc", "catalogue": data / "catalogue.db", "logs": data / "logs"}


def crawl_settings(data_dir: str | os.PathLike[str], portals: list[Portal], overrides: dict[str, Any] | None = None) -> Settings:
    """Project settings, pointed at DATA, with one download slot per portal host:port."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    paths = data_paths(data_dir)
    paths["logs"].mkdir(parents=True, exist_ok=True)
    slots = {}
    for portal in portals:
        for domain in portal.allowed_domains:
            slot: dict[str, Any] = {}
            if portal.concurrency:
                slot["concurrency"] = portal.concurrency
            if portal.download_delay is not None:
                slot["delay"] = portal.download_delay
            elif is_loopback(domain):
                # The simulated portals: politeness delays would only slow the demo and tests.
                slot = {"delay": 0.0, "concurrency": portal.concurrency or 8}
            if slot:
                slots[domain] = slot
                slots.setdefault(domain.split(":")[0], slot)  # robots.txt requests use the bare host
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


def crawl(registry: str | os.PathLike[str], data_dir: str | os.PathLike[str],
          overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Crawl every portal of the registry; returns the crawl's Scrapy stats."""
    from spiders.portal import PortalSpider

    portals = load_registry(registry)
    settings = crawl_settings(data_dir, portals, overrides)
    settings.set("LOG_INSTALL_ROOT_HANDLER", True)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(PortalSpider)
    process.crawl(crawler, portals=portals)
    process.start()
    logging.getLogger(__name__).info("crawl finished")
    return crawler.stats.get_stats()
