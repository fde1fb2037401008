"""The evolve-between-runs hook: epoch 1 edits, deletes, adds and re-issues reports, changes
bytes without text, makes one host flaky (503 then OK) and adds a spider trap."""

from __future__ import annotations

import http.client
import re

from simportals import build_testbed, serve_testbed


def test_epoch_changes_truth_and_urls():
    a, b = build_testbed(epoch=0), build_testbed(epoch=1)
    ev = b.evolution()
    ra = {r.key: r for r in a.reports}
    rb = {r.key: r for r in b.reports}
    [edited], [deleted], [added], [reissued] = (ev[k] for k in ("edited", "deleted", "added",
                                                               "reissued"))
    assert deleted in ra and deleted not in rb
    assert added in rb and added not in ra
    assert ra[edited].locations == rb[edited].locations and ra[edited].cells != rb[edited].cells
    assert ra[reissued].locations != rb[reissued].locations
    assert a.page(*ra[deleted].locations[0])[0] == 200
    assert b.page(*ra[deleted].locations[0])[0] == 404
    assert b.page(*ra[reissued].locations[0])[0] == 404
    same = [k for k in ra if k in rb and k not in (edited, reissued)]
    assert all(ra[k].locations == rb[k].locations and ra[k].stats == rb[k].stats for k in same)
    loc = ra[same[0]].locations[0]
    old, new = a.page(*loc)[2], b.page(*loc)[2]
    assert old != new and re.sub(rb"<!--[^>]*-->\n", b"", new, count=1) == old


def test_epoch_flaky_host_and_trap():
    tb = build_testbed(epoch=1)
    with serve_testbed(tb, in_process=True) as running:
        p = tb.by_name["shucheng"]
        netloc = running.base_url("shucheng")[7:]
        statuses = []
        for _ in range(2):
            conn = http.client.HTTPConnection(netloc, timeout=10)
            conn.request("GET", p.column_path)
            r = conn.getresponse()
            r.read()
            statuses.append(r.status)
            conn.close()
        assert statuses == [503, 200]
        conn = http.client.HTTPConnection(running.base_url("xinqi")[7:], timeout=10)
        conn.request("GET", "/xxgk/rl/?date=2030-05-05")
        html = conn.getresponse().read().decode()
        assert "date=2030-05-06" in html
