"""Template lines (extract/template.py): lines a portal's sibling pages share, passed to
extract_page as hints, take chrome out and never a body line."""

from __future__ import annotations

from extract import extract_page
from extract.template import page_lines, template_lines
from simportals import build_testbed, layouts
from simportals.render_report import report_text

TESTBED = build_testbed()


def _pages(portal: str) -> list[tuple[str, bytes, list]]:
    out = []
    for path in [it.path for it in TESTBED.columns[portal]] + TESTBED.listing_paths(portal)[:1]:
        status, headers, body = TESTBED.page(portal, path)
        if status == 200:
            out.append((path, body, headers))
    return out


def test_shared_lines_are_template_unique_lines_are_not():
    pages = [body for _, body, _ in _pages("beilun")][:12]
    lines = template_lines(pages)
    assert "网站标识码：3302060004" in {x[:15] for x in lines} or any("网站标识码" in x for x in lines)
    assert any("网站地图" in x for x in lines)
    assert not any("统计期限" in x for x in lines)  # report preambles differ by year and body
    assert template_lines(pages[:2]) == frozenset()  # too few pages say nothing


def test_hints_keep_every_body_line(monkeypatch, quality):
    """With the portal's template lines as hints, in every layout family, each report keeps
    every gold line (headings every report shares included) and shows no chrome."""
    specs = {s.key: s for s in TESTBED.specs}
    for family, _ in layouts.FAMILIES:
        monkeypatch.setattr(layouts, "family", lambda *a, f=family, **k: f)
        for portal in ("beilun", "shuyang"):
            pages = _pages(portal)
            hints = {"template_lines": template_lines(body for _, body, _ in pages[:10])}
            own = [t for t in TESTBED.reports
                   if t.published_as == "html" and t.locations[0][0] == portal]
            for truth in own[::3]:
                path = truth.locations[0][1]
                status, headers, body = TESTBED.page(portal, path)
                page = extract_page(body, url=TESTBED.url(portal, path), headers=headers,
                                    hints=hints)
                gold = report_text(specs[truth.key])
                out = "".join(page.text.split())
                lost = [c for line in gold.splitlines() for c in line.split("\t")
                        if "".join(c.split()) not in out]
                assert lost == [], (family, path)
                assert quality.chrome_lines(page.text, gold) == [], (family, path)


def test_page_lines_reads_any_charset():
    status, headers, body = TESTBED.page("shucheng", TESTBED.listing_paths("shucheng")[0])
    assert any("舒城县" in line for line in page_lines(body))


def test_real_portal_template_lines_take_no_body_line(quality):
    """The seven real Pingtan pages (../shared/realworld) share 80-odd lines, report headings
    such as 二、主动公开政府信息情况 among them; with them as hints every gold still holds."""
    from pathlib import Path

    import pytest

    real = Path(__file__).resolve().parents[3] / "shared" / "realworld" / "pages"
    if not real.is_dir():
        pytest.skip("../shared/realworld not present")
    pages = sorted(real.glob("0*pingtan*.html"))
    lines = template_lines(p.read_bytes() for p in pages)
    assert "二、主动公开政府信息情况" in lines  # shared by every report: content all the same
    golds = Path(__file__).resolve().parents[2] / "benchmarks" / "golds"
    for page in pages:
        gold = golds / f"{page.stem}.txt"
        if gold.exists():
            text = extract_page(page.read_bytes(), hints={"template_lines": lines}).text
            assert quality.bigram_f1(text, gold.read_text("utf-8")) == 1.0, page.name
            assert quality.chrome_lines(text, gold.read_text("utf-8")) == []


def test_a_signature_the_portal_shares_is_not_template():
    """The portal's own reports sign with its name (落款), a line many of its pages share; the
    name the page states as its 发布机构 is data, so the signature stays with any sample."""
    truth = next(t for t in TESTBED.reports if t.published_as == "html"
                 and t.locations[0][0] == "beilun" and t.agency == "宁波市北仑区人民政府")
    status, headers, body = TESTBED.page(*truth.locations[0])
    lines = {"宁波市北仑区人民政府", "网站地图"}
    page = extract_page(body, url=TESTBED.url(*truth.locations[0]), headers=headers,
                        hints={"template_lines": lines})
    assert "宁波市北仑区人民政府" in page.text.splitlines()
