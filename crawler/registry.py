"""The portal registry: which portals to crawl and how, from a TOML file (docs/registry.md)."""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from crawler.registry_check import check_table, start_url_problem


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
    allow_private_addresses: bool = False  # loopback/private hosts allowed (the simulated portals)
    extra: dict = field(default_factory=dict)

    def allows(self, url: str) -> bool:
        """On one of the registry's domains? Entries may carry a port (`host:port`)."""
        return any(key in self.allowed_domains for key in domain_keys(url))


_KNOWN = {f for f in Portal.__dataclass_fields__} - {"extra"}


def _fail(source: str, line: int | None, name: str | None, problems: list[tuple[str, str]]) -> RegistryError:
    """One line: file(:line): portal 'name': key: what is wrong (and how many more problems)."""
    key, message = problems[0]
    where = f"{source}:{line}" if line else source
    portal = f" portal {name!r}:" if name else ""
    more = f" (and {len(problems) - 1} more problem{'s' * (len(problems) > 2)})" if len(problems) > 1 else ""
    return RegistryError(f"{where}:{portal} {key}: {message}{more}")


def _portal(table: dict, line: int | None, source: str, index: int) -> Portal:
    name = table.get("name") if isinstance(table.get("name"), str) else None
    problems = check_table(table, _KNOWN)
    if problems:
        raise _fail(source, line, name or f"#{index + 1}", problems)
    known = {k: v for k, v in table.items() if k in _KNOWN}
    known["start_urls"] = tuple(u.strip() for u in known["start_urls"])
    known["allowed_domains"] = tuple(d.strip().lower() for d in known["allowed_domains"])
    extra = {k: v for k, v in table.items() if k not in _KNOWN}
    portal = Portal(**known, extra=extra)
    bad = [why for why in (start_url_problem(u, portal.allows) for u in portal.start_urls) if why]
    if bad:
        raise _fail(source, line, portal.name, [("start_urls", why) for why in bad])
    return portal


def _table_lines(text: str) -> list[int]:
    """Line numbers of the `[[portal]]` headers, for messages that say where to look."""
    return [n for n, line in enumerate(text.splitlines(), 1) if _HEADER.match(line)]


_HEADER = re.compile(r"^\s*\[\[\s*portal\s*\]\]")


def parse_registry(text: str, source: str = "registry") -> list[Portal]:
    """Portals of a registry's text, every key checked; RegistryError names the first problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise RegistryError(f"{source}: not valid TOML: {e}") from e
    tables = data.get("portal")
    if not isinstance(tables, list) or not tables or not all(isinstance(t, dict) for t in tables):
        raise RegistryError(f"{source}: no [[portal]] tables (each portal is a [[portal]] table)")
    stray = sorted(set(data) - {"portal"})
    if stray:
        raise _fail(source, None, None, [(stray[0], "unknown top-level key; portal keys go under [[portal]]")])
    lines = _table_lines(text)
    lines = lines if len(lines) == len(tables) else [None] * len(tables)
    portals = [_portal(dict(t), line, source, i) for i, (t, line) in enumerate(zip(tables, lines, strict=True))]
    first: dict[str, int] = {}
    for i, portal in enumerate(portals):
        if portal.name in first:
            j = first[portal.name]
            where = (lambda k: f"line {lines[k]}" if lines[k] else f"#{k + 1}")  # noqa: E731
            raise _fail(source, lines[i], portal.name, [(
                "name", f"duplicate portal name: tables at {where(j)} and {where(i)} both use it")])
        first[portal.name] = i
    return portals


def load_registry(path: str | os.PathLike[str]) -> list[Portal]:
    """The registry file's portals; RegistryError (one line) if anything in it is wrong."""
    try:
        raw = Path(path).read_bytes()
    except OSError as e:
        raise RegistryError(f"cannot read registry {path}: {e.strerror or e}") from e
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        raise RegistryError(f"{path}:{line}: not UTF-8 text (byte 0x{raw[e.start]:02x} at offset {e.start}); "
                            "save the registry as UTF-8") from e
    return parse_registry(text.removeprefix("\ufeff"), str(path))
