"""The guard's rules: which addresses and URLs no portal request may reach (issue 11)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from crawler.guard import PortalGuardMiddleware, RequestRefused, address_refusal, url_refusal
from crawler.registry import parse_registry


@pytest.mark.parametrize("address, kind", [
    ("127.0.0.1", "loopback"), ("127.0.0.2", "loopback"), ("::1", "loopback"),
    ("::ffff:127.0.0.1", "loopback"), ("10.1.2.3", "private"), ("172.16.0.1", "private"),
    ("192.168.1.1", "private"), ("fc00::1", "private"), ("169.254.169.254", "link-local"),
    ("fe80::1", "link-local"), ("0.0.0.0", "unspecified"), ("240.0.0.1", "reserved"),
    ("224.0.0.1", "multicast"), ("100.64.0.1", "non-public"), ("192.0.2.10", "private"),
])
def test_non_public_addresses_are_refused(address, kind):
    assert address_refusal(address).startswith(kind)


@pytest.mark.parametrize("address", ["202.96.128.86", "8.8.8.8", "2400:3200::1"])
def test_public_addresses_pass(address):
    assert address_refusal(address) is None


@pytest.mark.parametrize("url, kind", [
    ("ftp://www.bl.gov.cn/a.pdf", "scheme"), ("file:///etc/passwd", "scheme"), ("gopher://x/", "scheme"),
    ("http://user:pw@www.bl.gov.cn/", "credentials"), ("http://user@www.bl.gov.cn/", "credentials"),
    ("http://www.bl.gov.cn:99999/", "port"),
])
def test_urls_refused_whatever_the_host(url, kind):
    assert url_refusal(url)[0] == kind


REGISTRY = """
[[portal]]
name = "pub"
region = "浙江省"
start_urls = ["http://www.bl.gov.cn/ndbg/"]
allowed_domains = ["bl.gov.cn"]

[[portal]]
name = "sim"
region = "浙江省"
start_urls = ["http://127.0.0.1:8001/ndbg/"]
allowed_domains = ["127.0.0.1:8001"]
allow_private_addresses = true

[[portal]]
name = "loop"
region = "浙江省"
start_urls = ["http://127.0.0.1:8002/ndbg/"]
allowed_domains = ["127.0.0.1:8002", "localhost:8002"]
"""


def guard(resolve: bool = True) -> PortalGuardMiddleware:
    portals = {p.name: p for p in parse_registry(REGISTRY)}
    crawler = SimpleNamespace(spider=SimpleNamespace(portals=portals), settings=Settings())
    crawler.stats = MemoryStatsCollector(crawler)
    middleware = PortalGuardMiddleware(crawler, resolve=resolve)
    middleware._addresses["www.bl.gov.cn"] = ["202.96.128.86"]  # no DNS in tests
    return middleware


def check(middleware, url, portal=None, **meta):
    request = Request(url, meta={"portal": portal, **meta} if portal else meta)
    return asyncio.run(middleware.process_request(request))


@pytest.mark.parametrize("url, portal", [
    ("http://www.bl.gov.cn/ndbg/1.html", "pub"), ("http://127.0.0.1:8001/x.html", "sim"),
    ("http://127.0.0.1:8001/robots.txt", None),
])
def test_requests_on_their_portal_pass(url, portal):
    assert check(guard(), url, portal) is None


@pytest.mark.parametrize("url, portal, kind, reason", [
    ("http://127.0.0.2:8001/x.html", "sim", "redirect_offsite", "outside the allowed_domains of portal 'sim'"),
    ("http://127.0.0.1:8003/x.html", "sim", "redirect_offsite", "outside"),
    ("http://localhost:8001/x.html", "sim", "redirect_offsite", "outside"),
    ("http://127.0.0.1:8002/x.html", "loop", "redirect_address", "loopback address 127.0.0.1"),
    ("http://localhost:8002/x.html", "loop", "redirect_address", "loopback address"),
    ("http://a:b@127.0.0.1:8001/x.html", "sim", "redirect_credentials", "credentials"),
    ("ftp://127.0.0.1:8001/x.pdf", "sim", "redirect_scheme", "not http(s)"),
    ("http://10.0.0.1/x.html", None, "redirect_offsite", "of any portal"),
])
def test_redirect_hops_are_held_to_the_portal(url, portal, kind, reason, caplog):
    middleware = guard()
    with pytest.raises(RequestRefused, match="refused"):
        check(middleware, url, portal, redirect_urls=["http://127.0.0.1:8001/ndbg/1.html"])
    assert middleware.stats.get_value(f"nianbao/refused/{kind}") == 1
    assert middleware.stats.get_value("nianbao/refused") == 1
    (record,) = [r for r in caplog.records if r.name == "crawler.guard"]
    assert url in record.getMessage() and reason in record.getMessage() and "redirected from" in record.getMessage()


def test_replay_resolves_no_name():
    assert check(guard(resolve=False), "http://127.0.0.1:8002/x.html", "loop") is None
