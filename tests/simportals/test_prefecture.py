"""The simulated prefecture's ground truth holds: every column serves exactly its items across
its pages, every page linked from navigation answers, and what is left out is what the plan
skips (simportals/prefecture.py)."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from simportals.prefecture import FIRST_YEAR, LAST_YEAR, SITES, build_prefecture, unit_name
from spiders import links, pagination

WORLD = build_prefecture()


def _listed(column) -> list[str]:
    """Paths of items reachable from the column's listing pages, as the spider reads them."""
    site = column.site.spec.name
    out = []
    paths = [WORLD._listing_path(column, k) for k in range(WORLD._pages(column))]
    for path in paths:
        status, _h, body = WORLD.page(site, path)
        assert status == 200, path
        text = body.decode("utf-8")
        anchors = links.anchors(text, "http://h" + path)
        for fragment in pagination.record_fragments(text):
            anchors += links.anchors(f"<div>{fragment}</div>", "http://h" + path)
        out += [u[len("http://h"):] for u, t in anchors if t in {i.title for i in column.items}]
    if column.spec.cms == "hanweb":  # later records come from the data proxy
        _s, _h, xml = WORLD.page(site, f"/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=999"
                                       f"&columnid={column.spec.col_id}")
        out += [u[len("http://h"):] for u, _t in links.anchors("<div>" + "".join(
            pagination.record_fragments(xml.decode())) + "</div>", "http://h/")]
    return out


@pytest.mark.parametrize("column", WORLD.columns, ids=lambda c: f"{c.spec.cms}{c.spec.column_path}")
def test_column_serves_its_items(column):
    assert set(_listed(column)) == {i.path for i in column.items}
    for item in column.items:
        assert WORLD.page(column.site.spec.name, item.path)[0] == 200


def test_left_out_is_what_the_plan_skips():
    published = {(i.spec.body.name, i.spec.year) for c in WORLD.columns for i in c.items if i.spec}
    for body, year in WORLD.left_out():
        assert (body, year) not in published
    assert ("六安市金安区财政局", 2024) in WORLD.left_out()  # stopped publishing
    assert ("六安市金安区教育局", 2022) in WORLD.left_out()  # skipped a year
    names = {unit_name(s, u) for s in SITES for u in s.units if not u.empty}
    assert {b for b, _y in published} == names
    assert len(published) == sum(len(u.years()) for s in SITES for u in s.units)


def test_every_family_and_an_unknown_one():
    assert [s.spec.cms for s in SITES] == ["trs", "hanweb", "platform", "jsp"]
    kinds = {c["kind"] for c in WORLD.report_columns()}
    assert kinds == {"report", "empty", "other"}


def test_served_by_the_simportals_command(tmp_path):
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen([sys.executable, "-m", "simportals", "serve", "--world", "prefecture", "--quiet",
                             "--truth-out", str(tmp_path / "truth.json")], cwd=root, stdout=subprocess.PIPE, text=True)
    try:
        ready = json.loads(proc.stdout.readline())
        with urllib.request.urlopen(f"http://{ready['hosts']['jinan']}/", timeout=10) as r:
            assert "政务公开" in r.read().decode("utf-8")
        truth = json.loads((tmp_path / "truth.json").read_text(encoding="utf-8"))
        assert len(truth["counties_without_report"]) == LAST_YEAR - FIRST_YEAR + 1
        assert [tuple(x) for x in truth["left_out"]] == WORLD.left_out()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()
