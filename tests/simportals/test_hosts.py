"""`build_testbed(hosts=N)`: N distinct host:port portals, each a full portal of one CMS
family, the reports spread across them; latency applies to every host."""

from __future__ import annotations

import http.client
import time
import tomllib
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from simportals import build_testbed, serve_testbed


def get(netloc: str, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(netloc, timeout=30)
    conn.request("GET", path)
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return r.status, body


def test_default_is_the_four_portals():
    tb = build_testbed()
    assert [p.name for p in tb.portals] == ["beilun", "shuyang", "shucheng", "xinqi"]
    assert build_testbed(hosts=4).truth_json() == tb.truth_json()
    with pytest.raises(ValueError):
        build_testbed(hosts=3)


def test_twenty_hosts_spread_reports():
    base, tb = build_testbed(), build_testbed(hosts=20)
    assert len(tb.portals) == 20 and len({p.name for p in tb.portals}) == 20
    assert len({p.domain for p in tb.portals}) == 20
    # hosts go to the families by the pages they serve (platform: shucheng and xinqi)
    assert Counter(p.cms for p in tb.portals) == Counter({"platform": 8, "trs": 7, "hanweb": 5})
    # the same reports with the same statistics, spread over the hosts of their family
    assert {r.key: r.cells for r in tb.reports} == {r.key: r.cells for r in base.reports}
    used = Counter(loc[0] for r in tb.reports for loc in r.locations)
    assert len(used) == 20 and max(used.values()) - min(used.values()) <= 2, used  # evenly
    families = {r.key: [p for p, _ in r.locations] for r in base.reports}
    for r in tb.reports:
        assert [tb.by_name[p].base for p, _ in r.locations] == families[r.key]
        for portal, path in r.locations:
            status, _h, body = tb.page(portal, path)
            assert status == 200 and r.title.encode(tb.by_name[portal].encoding) in body
        if r.issuer_portal:
            assert r.locations[0][0] == r.issuer_portal


def test_n_hosts_serve_distinct_portals_with_latency():
    tb = build_testbed(hosts=12)
    latency = 0.2
    with serve_testbed(tb, latency=latency) as running:
        netlocs = {p.name: running.hosts[p.name] for p in tb.portals}
        assert len(set(netlocs.values())) == 12
        registry = tomllib.loads(running.registry_toml())["portal"]
        assert {r["name"] for r in registry} == set(netlocs)

        def first_listing(name: str) -> tuple[str, int, bytes, float]:
            start = time.monotonic()
            status, body = get(netlocs[name], tb.by_name[name].column_path)
            return name, status, body, time.monotonic() - start

        with ThreadPoolExecutor(12) as pool:
            results = list(pool.map(first_listing, netlocs))
        bodies = {}
        for name, status, body, took in results:
            assert status == 200 and took >= latency * 0.9, (name, took)
            bodies[name] = body
        assert len(set(bodies.values())) == 12  # every host serves its own column
        for p in tb.portals:  # each listing links that host's own reports
            items = [i for i in tb.columns[p.name] if i.spec is not None]
            if items:
                href = items[0].path.rsplit("/", 1)[1].encode()
                assert href in bodies[p.name], p.name


def test_hosts_with_epochs():
    a, b = build_testbed(hosts=8), build_testbed(hosts=8, epoch=2)
    ev = b.evolution()
    for portal, path in ev["urls"]["gone_404"] + ev["urls"]["gone_410"]:
        assert a.page(portal, path)[0] == 200
    for portal, path in ev["urls"]["gone_410"]:
        assert b.page(portal, path)[0] == 410
    # a report keeps its host in every epoch (incremental crawls find it where it was)
    hosts_then = {r.key: [p for p, _ in r.locations] for r in a.reports}
    kept = [r for r in b.reports if r.key in hosts_then]
    assert kept and all([p for p, _ in r.locations] == hosts_then[r.key] for r in kept)
