"""Retry-After parsing and slot back-off."""

from types import SimpleNamespace

from scrapy import Request
from scrapy.http import Response

from crawler.backoff import BackoffMiddleware, retry_after_seconds


def test_retry_after_forms():
    assert retry_after_seconds(b"120") == 120.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def make(delay=0.0):
    slot = SimpleNamespace(delay=delay)
    downloader = SimpleNamespace(get_slot_key=lambda request: "host:1", slots={"host:1": slot})
    stats = SimpleNamespace(values={}, inc_value=lambda k, n=1: stats.values.__setitem__(k, stats.values.get(k, 0) + n))
    crawler = SimpleNamespace(engine=SimpleNamespace(downloader=downloader), stats=stats)
    return BackoffMiddleware(crawler, max_delay=60.0), slot, stats


def test_slot_slows_down_then_recovers():
    mw, slot, stats = make(delay=0.5)
    request = Request("http://host:1/a")
    mw.process_response(request, Response(request.url, status=503, headers={"Retry-After": "5"}))
    assert slot.delay == 5.0 and stats.values["nianbao/backoff/503"] == 1
    mw.process_response(request, Response(request.url, status=429))
    assert slot.delay == 5.0  # an answer to a request already in flight: same episode
    mw.since["host:1"] -= 10  # later, the host is still overloaded
    mw.process_exception(request, ConnectionRefusedError())
    assert slot.delay == 10.0 and stats.values["nianbao/backoff/ConnectionRefusedError"] == 1
    mw.process_response(request, Response(request.url, status=200))
    assert slot.delay == 0.5


def test_capped():
    mw, slot, _ = make()
    request = Request("http://host:1/a")
    mw.process_response(request, Response(request.url, status=503, headers={"Retry-After": "86400"}))
    assert slot.delay == 60.0
    mw.since["host:1"] -= 100
    mw.process_response(request, Response(request.url, status=503))
    assert slot.delay == 60.0


def test_requests_we_drop_are_not_the_hosts_fault():
    from scrapy.exceptions import IgnoreRequest

    mw, slot, stats = make(delay=0.0)
    mw.process_exception(Request("http://host:1/search/"), IgnoreRequest("Forbidden by robots.txt"))
    assert slot.delay == 0.0 and not stats.values
