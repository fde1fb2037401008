"""PortalAutoThrottle aims each host at its own concurrency and never below its own delay."""

from types import SimpleNamespace

from scrapy import Request
from scrapy.http import Response

from crawler.registry import parse_registry
from crawler.run import crawl_settings
from crawler.throttle import PortalAutoThrottle

REGISTRY = """
[[portal]]
name = "real"
region = "浙江省"
start_urls = ["http://www.bl.gov.cn/ndbg/"]
allowed_domains = ["bl.gov.cn"]

[[portal]]
name = "fast"
region = "江苏省"
start_urls = ["http://www.sy.gov.cn/ndbg/"]
allowed_domains = ["sy.gov.cn"]
concurrency = 4
download_delay = 0

[[portal]]
name = "sim"
region = "安徽省"
start_urls = ["http://127.0.0.1:8001/ndbg/"]
allowed_domains = ["127.0.0.1:8001"]
"""


def test_slots_from_registry(tmp_path):
    slots = crawl_settings(tmp_path, parse_registry(REGISTRY)).getdict("DOWNLOAD_SLOTS")
    assert slots["bl.gov.cn"] == {"concurrency": 2, "delay": 0.5}  # polite defaults
    assert slots["sy.gov.cn"] == {"concurrency": 4, "delay": 0}
    assert slots["127.0.0.1:8001"]["delay"] == 0.0  # the simulated portals
    # the connection pool per host must hold the largest slot's parallel requests
    assert crawl_settings(tmp_path, parse_registry(REGISTRY)).getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 8


def throttle(per_slot):
    ext = PortalAutoThrottle.__new__(PortalAutoThrottle)
    ext.mindelay, ext.maxdelay = 0.5, 30.0
    slots = {k: SimpleNamespace(delay=v["delay"], concurrency=v["concurrency"]) for k, v in per_slot.items()}
    ext.crawler = SimpleNamespace(engine=SimpleNamespace(downloader=SimpleNamespace(per_slot_settings=per_slot, slots=slots)))
    return ext, slots


def downloaded(ext, key, latency, status=200):
    request = Request(f"http://{key}/x", meta={"download_slot": key, "download_latency": latency})
    ext._response_downloaded(Response(request.url, status=status), request)


def test_target_is_the_hosts_own_concurrency_and_floor_its_own_delay():
    ext, slots = throttle({"fast": {"concurrency": 2, "delay": 0.0}, "real": {"concurrency": 2, "delay": 0.5}})
    for _ in range(20):
        downloaded(ext, "fast", 0.2)
        downloaded(ext, "real", 0.2)
    assert abs(slots["fast"].delay - 0.1) < 1e-6  # latency / 2: two requests in flight
    assert slots["real"].delay == 0.5  # never below the host's own minimum
    downloaded(ext, "fast", 4.0)  # the host slows down: so do we
    assert slots["fast"].delay == 2.0


def test_requests_find_their_portals_slot(tmp_path):
    """www.bl.gov.cn and robots.txt of 127.0.0.1:8001 take their registry entry's politeness."""
    from crawler.downloader import SlotBoundDownloader

    slots = crawl_settings(tmp_path, parse_registry(REGISTRY)).getdict("DOWNLOAD_SLOTS")
    downloader = SlotBoundDownloader.__new__(SlotBoundDownloader)  # no reactor needed for keys
    downloader.per_slot_settings, downloader.ip_concurrency = slots, 0
    key = lambda url, **meta: downloader.get_slot_key(Request(url, meta=meta))  # noqa: E731
    assert key("http://www.bl.gov.cn/ndbg/2023.html") == "bl.gov.cn"
    assert slots[key("http://www.bl.gov.cn/ndbg/")] == {"concurrency": 2, "delay": 0.5}
    assert key("https://xxgk.sy.gov.cn/a.pdf") == "sy.gov.cn"
    assert key("http://127.0.0.1:8001/robots.txt") == "127.0.0.1:8001"
    assert key("http://127.0.0.1:8002/x") == "127.0.0.1"  # not a portal: Scrapy's own key
    assert key("http://www.bl.gov.cn/x", download_slot="mine") == "mine"
