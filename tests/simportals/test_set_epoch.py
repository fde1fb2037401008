"""Epoch control on a running testbed: the same portals on the same ports evolve between runs
(`RunningTestbed.set_epoch`), in both serving modes, consistent with `evolution()` truth."""

from __future__ import annotations

import http.client
import socket

import pytest

from simportals import build_testbed, serve_testbed
from simportals.server import EPOCH_PATH


def get(netloc: str, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(netloc, timeout=30)
    conn.request("GET", path)
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return r.status, body


def get_ok(netloc: str, path: str) -> tuple[int, bytes]:
    """GET, retrying once through the flaky host's first 503."""
    status, body = get(netloc, path)
    return get(netloc, path) if status == 503 else (status, body)


@pytest.mark.parametrize("in_process", [True, False], ids=["in_process", "child"])
def test_set_epoch_same_port_new_bytes_and_statuses(in_process):
    tb = build_testbed()
    ev1, ev2 = build_testbed(epoch=1).evolution(), build_testbed(epoch=2).evolution()
    with serve_testbed(tb, in_process=in_process) as running:
        hosts0 = running.hosts
        [(portal, path)] = ev1["urls"]["edited"]
        deleted = ev1["urls"]["gone_404"]
        netloc = hosts0[portal]
        s0, b0 = get(netloc, path)
        assert s0 == 200 and all(get_ok(hosts0[p], q)[0] == 200 for p, q in deleted)
        assert running.epoch == 0

        served = running.set_epoch(1)
        assert served.epoch == running.epoch == 1 and tb.epoch == 0
        assert running.hosts == hosts0  # same portals, same ports
        s1, b1 = get(netloc, path)
        assert s1 == 200 and b1 != b0
        for p, q in deleted:
            assert get_ok(hosts0[p], q)[0] == 404
        for p, q in ev1["urls"]["added"] + ev1["urls"]["reissued"]:
            assert get_ok(hosts0[p], q)[0] == 200

        running.set_epoch(2)
        [(p410, q410)] = ev2["urls"]["gone_410"]
        assert get_ok(hosts0[p410], q410)[0] == 410
        assert all(get_ok(hosts0[p], q)[0] == 404 for p, q in deleted)  # stays deleted
        s2, b2 = get(netloc, path)
        assert s2 == 200 and b2 != b1  # generation comment only: the epoch-1 edit stays

        running.set_epoch(0)
        assert get_ok(hosts0[p410], q410)[0] == 200 and get(netloc, path) == (200, b0)


def test_flaky_counter_resets_per_epoch_and_control_is_hidden():
    tb = build_testbed()
    with serve_testbed(tb, in_process=True) as running:
        netloc = running.hosts["shucheng"]
        path = tb.by_name["shucheng"].column_path
        assert get(netloc, path)[0] == 200  # epoch 0: no failures
        running.set_epoch(1)
        assert [get(netloc, path)[0] for _ in range(2)] == [503, 200]
        running.set_epoch(2)
        assert [get(netloc, path)[0] for _ in range(2)] == [503, 200]
        running.set_epoch(2)  # re-setting the same epoch also restarts the counters
        assert get(netloc, path)[0] == 503
        assert EPOCH_PATH not in running.registry_toml()
        for portal in running.hosts:
            if portal != "mirror":
                assert b"__simportals__" not in get_ok(running.hosts[portal], "/robots.txt")[1]
        # the control path reads the epoch without setting it
        status, body = get(netloc, EPOCH_PATH)
        assert status == 200 and b'"epoch": 2' in body


def test_served_pages_match_epoch_truth():
    """Each epoch's truth (locations, evolution URLs) is what the servers answer."""
    tb = build_testbed()
    with serve_testbed(tb, in_process=True) as running:
        for epoch in (1, 2):
            served = running.set_epoch(epoch)
            truth = {r.key: r for r in served.reports}
            ev = served.evolution()
            for key in ev["edited"] + ev["added"] + ev["reissued"]:
                for portal, path in truth[key].locations:
                    status, body = get_ok(running.hosts[portal], path)
                    assert status == 200 and served.page(portal, path)[2] == body
            for key in ev["deleted"]:
                assert key not in truth
            for status, urls in ((404, ev["urls"]["gone_404"]), (410, ev["urls"]["gone_410"])):
                for portal, path in urls:
                    assert get_ok(running.hosts[portal], path)[0] == status
                    listing = b"".join(get_ok(running.hosts[portal], lp)[1]
                                       for lp in served.listing_paths(portal))
                    assert path.rsplit("/", 1)[1].encode() not in listing


def test_evolution_truth_three_epochs():
    e0, e1, e2 = (build_testbed(epoch=e) for e in (0, 1, 2))
    assert e0.evolution()["edited"] == [] and e0.evolution()["trap"] is None
    k0, k1, k2 = ({r.key: r for r in t.reports} for t in (e0, e1, e2))
    ev1, ev2 = e1.evolution(), e2.evolution()
    assert ev1["deleted_status"] == dict.fromkeys(ev1["deleted"], 404)
    assert ev2["deleted_status"] == dict.fromkeys(ev2["deleted"], 410)
    assert ev2["added"] == ev2["reissued"] == []
    for prev, now, ev in ((k0, k1, ev1), (k1, k2, ev2)):
        assert set(prev) - set(now) == set(ev["deleted"])
        assert set(now) - set(prev) == set(ev["added"])
        moved = {k for k in now if k in prev and now[k].locations != prev[k].locations}
        assert moved == set(ev["reissued"])
        edited = {k for k in now if k in prev and now[k].cells != prev[k].cells}
        assert edited == set(ev["edited"])
    assert set(ev2["cumulative"]["deleted"]) == set(ev1["deleted"]) | set(ev2["deleted"])
    changes = e2.page_changes()
    assert changes["gone"] == ev2["urls"]["gone_410"] and changes["new"] == []
    assert ev2["urls"]["edited"][0] in changes["changed"]
    assert len(changes["bytes_only"]) > 50
    trap = ev2["trap"]
    assert trap["pattern"].startswith(trap["path"])
    assert e2.page("xinqi", trap["first"])[0] == 200


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("in_process", [True, False], ids=["in_process", "child"])
def test_fixed_ports_restart(in_process):
    want = {"beilun": _free_port(), "xinqi": _free_port()}
    for _ in range(2):  # start, stop, start again on the same ports
        tb = build_testbed()
        with serve_testbed(tb, in_process=in_process, ports=want) as running:
            assert {k: running.ports[k] for k in want} == want
            assert get(f"127.0.0.1:{want['beilun']}", "/robots.txt")[0] == 200
            assert f"127.0.0.1:{want['xinqi']}" in running.registry_toml()


def test_unknown_port_name_rejected():
    with pytest.raises(ValueError):
        with serve_testbed(build_testbed(), in_process=True, ports={"nowhere": 1}):
            pass
