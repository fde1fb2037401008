"""PortalGuardMiddleware: every request, and every redirect hop, stays on its registry portal.

Scrapy's OffsiteMiddleware checks `spider.allowed_domains` when a request is scheduled;
PortalSpider has one domain rule per portal (`Portal.allows`, registry `allowed_domains`),
so this middleware applies that rule, per portal, to each request the downloader is asked
for. A redirect (RedirectMiddleware, MetaRefreshMiddleware) comes back through every
`process_request` as a new request carrying its portal in `meta`, so each hop passes the
same rule as the first request. It also refuses non-http(s) schemes, URLs carrying
credentials, and, unless the registry entry says `allow_private_addresses = true`, hosts that
are or resolve to loopback, private, link-local or reserved addresses (issue 11; SSRF).
Ordered before RobotsTxtMiddleware (100): a refused host is not even asked for robots.txt.

Refusals are logged (URL, portal, reason), counted in stats `nianbao/refused` and
`nianbao/refused/<reason>`, and recorded in the run's `crawl_runs` row. In replay
(`REPLAY_ENABLED`) no name is resolved: the archive answers, and replay needs no network.
Known gap: a name is resolved here and again when connecting, so a DNS answer that changes in
between (rebinding) is not caught.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

from crawler.meta import PORTAL

logger = logging.getLogger(__name__)

_ADDRESS_KINDS = (("is_loopback", "loopback"), ("is_link_local", "link-local"), ("is_multicast", "multicast"),
                  ("is_unspecified", "unspecified"), ("is_reserved", "reserved"), ("is_private", "private"))


class RequestRefused(IgnoreRequest):
    """A request the guard refused; already logged and counted (the spider's errback skips it)."""

    def __init__(self, reason: str, kind: str) -> None:
        super().__init__(reason)
        self.reason, self.kind = reason, kind


def address_refusal(address: str) -> str | None:
    """Why an IP address is no portal's (loopback, private, link-local, reserved…), or None."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for attribute, label in _ADDRESS_KINDS:
        if getattr(ip, attribute):
            return f"{label} address {address}"
    if not ip.is_global:  # e.g. 100.64.0.0/10, shared address space
        return f"non-public address {address}"
    return None


def url_refusal(url: str) -> tuple[str, str] | None:
    """(kind, reason) when a URL is refused whatever its host: scheme, credentials, port."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return "scheme", f"scheme {parts.scheme or '(none)'!r} is not http(s)"
    if parts.username is not None or parts.password is not None:
        return "credentials", "URL carries credentials (user:password@)"
    try:
        parts.port  # noqa: B018 - raises when out of range
    except ValueError:
        return "port", "port out of range"
    if not parts.hostname:
        return "host", "no host"
    return None


class PortalGuardMiddleware:
    def __init__(self, crawler: Crawler, resolve: bool = True) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.resolve = resolve
        self._addresses: dict[str, list[str]] = {}  # host → resolved addresses, once per run

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PortalGuardMiddleware:
        return cls(crawler, resolve=not crawler.settings.getbool("REPLAY_ENABLED"))

    async def process_request(self, request: Request) -> None:
        refusal = url_refusal(request.url)
        portals = getattr(self.crawler.spider, "portals", None)
        if refusal is None and portals is not None:  # a registry crawl: hold it to its portal
            refusal = await self._portal_refusal(request, portals)
        if refusal is not None:
            self._refuse(request, *refusal)

    async def _portal_refusal(self, request: Request, portals: dict[str, Any]) -> tuple[str, str] | None:
        portal = portals.get(request.meta.get(PORTAL))
        if portal is None:  # robots.txt and other requests the spider did not make
            portal = next((p for p in portals.values() if p.allows(request.url)), None)
        if portal is None or not portal.allows(request.url):
            name = f"portal {portal.name!r}" if portal is not None else "any portal"
            return "offsite", f"host {urlsplit(request.url).netloc!r} is outside the allowed_domains of {name}"
        if portal.allow_private_addresses or not self.resolve:
            return None
        for address in await self._resolve(urlsplit(request.url).hostname or ""):
            why = address_refusal(address)
            if why:
                return "address", f"{why} (set allow_private_addresses = true for portal {portal.name!r} to allow it)"
        return None

    async def _resolve(self, host: str) -> list[str]:
        if host not in self._addresses:
            try:
                self._addresses[host] = [str(ipaddress.ip_address(host))]
            except ValueError:
                try:
                    infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
                    self._addresses[host] = sorted({info[4][0] for info in infos})
                except OSError:  # unresolvable: the download fails on its own, with its own error
                    self._addresses[host] = []
        return self._addresses[host]

    def _refuse(self, request: Request, kind: str, reason: str) -> None:
        hops = request.meta.get("redirect_urls") or []
        via = f" (redirected from {hops[-1]})" if hops else ""
        logger.warning("refused %s%s, portal %s: %s", request.url, via, request.meta.get(PORTAL, "-"), reason)
        self.stats.inc_value("nianbao/refused")
        self.stats.inc_value(f"nianbao/refused/{'redirect_' if hops else ''}{kind}")
        raise RequestRefused(f"refused {request.url}: {reason}", kind)
