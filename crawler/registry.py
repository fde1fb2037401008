"""The portal registry: which portals to crawl and how, from a TOML file (docs/registry.md)."""

from __future__ import annotations

import ipaddress
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit


def is_loopback(url_or_netloc: str) -> bool:
    """Hosts on 127.0.0.0/8 or ::1: our own simulated portals, never a real government site."""
    netloc = urlsplit(url_or_netloc).netloc if "//" in url_or_netloc else url_or_netloc
    host = urlsplit("//" + netloc).hostname or ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def domain_keys(url: str) -> list[str]:
    """The `allowed_domains` entries that cover a URL, most specific first: its host with and
    without the port, then each parent domain the same way (`bl.gov.cn` covers `www.bl.gov.cn`;
    `127.0.0.1:8001` only that port). Portal.allows and the download slots both match on these."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = parts.port or (443 if parts.scheme == "https" else 80)
    labels = host.split(".")
    keys = []
    for i in range(len(labels)):
        domain = ".".join(labels[i:])
        keys += [f"{domain}:{port}", domain]
    return keys


class RegistryError(ValueError):
    """The registry file is missing, malformed or incomplete."""


@dataclass(frozen=True)
class Portal:
    name: str
    region: str
    start_urls: tuple[str, ...]
    allowed_domains: tuple[str, ...]
    title: str | None = None
    cms: str | None = None  # hint only: trs, hanweb, platform
    pagination: str | None = None  # as `nianbao discover` found it (spiders/cms.py); informative
    link_xpath: str | None = None  # where report links are on a listing page
    title_pattern: str | None = None  # overrides the default report-title regex
    max_pages: int = 2000  # budget: listing + detail + attachment requests per run
    max_listing_pages: int = 200
    download_delay: float | None = None
    concurrency: int | None = None
    schedule: str | list[str] | None = None  # cron expression(s) for `nianbao schedule`
    extra: dict = field(default_factory=dict)

    def allows(self, url: str) -> bool:
        """On one of the registry's domains? Entries may carry a port (`host:port`)."""
        return any(key in self.allowed_domains for key in domain_keys(url))


_KNOWN = {f for f in Portal.__dataclass_fields__} - {"extra"}


def _portal(table: dict, index: int) -> Portal:
    missing = [k for k in ("name", "region", "start_urls", "allowed_domains") if k not in table]
    if missing:
        raise RegistryError(f"portal #{index + 1} lacks {', '.join(missing)}")
    for key in ("start_urls", "allowed_domains"):
        if isinstance(table[key], str):
            table[key] = [table[key]]
        if not table[key]:
            raise RegistryError(f"portal {table['name']!r}: {key} is empty")
    known = {k: v for k, v in table.items() if k in _KNOWN}
    known["start_urls"] = tuple(known["start_urls"])
    known["allowed_domains"] = tuple(d.strip().lower() for d in known["allowed_domains"])
    extra = {k: v for k, v in table.items() if k not in _KNOWN}
    return Portal(**known, extra=extra)


def parse_registry(text: str) -> list[Portal]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise RegistryError(f"registry is not valid TOML: {e}") from e
    tables = data.get("portal")
    if not isinstance(tables, list) or not tables:
        raise RegistryError("registry has no [[portal]] tables")
    portals = [_portal(dict(t), i) for i, t in enumerate(tables)]
    names = [p.name for p in portals]
    if len(set(names)) != len(names):
        raise RegistryError("portal names must be unique")
    return portals


def load_registry(path: str | os.PathLike[str]) -> list[Portal]:
    try:
        return parse_registry(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise RegistryError(f"cannot read registry {path}: {e}") from e
