"""Benchmark 4: extraction ms/page — `extract_page` against `trafilatura.extract` alone on
the same pages.

    python benchmarks/bench_extract_speed.py [--scale 2] [--rounds 5] [--quick]

Pages: every HTML report page of the simulated portals (`Testbed.page(...)`, the bytes the
server would send), every report in each new layout family (simportals/layouts.py), and the
real pages in `../shared/realworld/pages/` when present.
Each round extracts every page with both extractors, alternating page by page (so both see
the same cache and CPU state); ms/page = round time ÷ pages. trafilatura is called as in
benchmarks/extract_quality.py (`include_tables=True, deduplicate=False`, bytes in).
`extract_page` does more than trafilatura (charset, fields, tables, statistics, region), and
its time includes all of it. Target: ≤ 1.2× trafilatura.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import ROOT, Row, log, med, print_table, save  # noqa: E402

REAL = ROOT.parent / "shared" / "realworld" / "pages"


def sim_pages(scale: int) -> list[tuple[bytes, str, list[tuple[str, str]]]]:
    from simportals import build_testbed

    tb = build_testbed(scale=scale)
    out = []
    for portal, path, kind in tb.iter_pages():
        if kind == "report":
            status, headers, body = tb.page(portal, path)
            if status == 200 and any(k == "Content-Type" and "html" in v for k, v in headers):
                out.append((body, tb.url(portal, path), headers))
    return out


def family_pages() -> list[tuple[bytes, str, list[tuple[str, str]]]]:
    """Every HTML report of the scale-1 testbed in each layout family of issue 12 (forced)."""
    from simportals import build_testbed, layouts

    tb, chosen, out = build_testbed(), layouts.family, []
    try:
        for family, _ in layouts.FAMILIES[1:]:
            layouts.family = lambda *a, f=family, **k: f
            for t in tb.reports:
                if t.published_as == "html":
                    portal, path = t.locations[0]
                    _status, headers, body = tb.page(portal, path)
                    out.append((body, tb.url(portal, path), headers))
    finally:
        layouts.family = chosen
    return out


def real_pages() -> list[tuple[bytes, str, list[tuple[str, str]]]]:
    if not REAL.is_dir():
        return []
    return [(p.read_bytes(), f"http://example.gov.cn/{p.name}", [("Content-Type", "text/html")])
            for p in sorted(REAL.glob("*.htm*"))]


def measure(pages, rounds: int) -> tuple[list[float], list[float]]:
    import trafilatura

    from extract import extract_page

    def ours(body, url, headers):
        return extract_page(body, url=url, headers=headers)

    def traf(body, url, headers):
        return trafilatura.extract(body, url=url, include_tables=True, deduplicate=False)

    for body, url, headers in pages[:5]:  # warm-up: imports, caches
        ours(body, url, headers)
        traf(body, url, headers)
    a, b = [], []
    for _ in range(rounds):
        ta = tb = 0.0
        for body, url, headers in pages:
            t0 = time.perf_counter()
            ours(body, url, headers)
            t1 = time.perf_counter()
            traf(body, url, headers)
            t2 = time.perf_counter()
            ta += t1 - t0
            tb += t2 - t1
        a.append(ta / len(pages) * 1000)
        b.append(tb / len(pages) * 1000)
    return a, b


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=2, help="simportals scale (2 ≈ 210 report pages)")
    ap.add_argument("--rounds", type=int, default=None)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    n = args.rounds or (3 if args.quick else 5)
    rows = []
    sets = [("simulated portals", sim_pages(args.scale)), ("layout families", family_pages()),
            ("real pages", real_pages())]
    for name, pages in sets:
        if not pages:
            log(f"{name}: none found ({REAL} absent) — skipped")
            continue
        kb = sum(len(p[0]) for p in pages) / len(pages) / 1024
        log(f"{name}: {len(pages)} pages, mean {kb:.1f} KB; {n} rounds")
        ours, traf = measure(pages, n)
        r = med(ours) / med(traf)
        rows.append(Row("4 extraction", f"ms/page, {name} ({len(pages)})", ours, "ms", "trafilatura.extract",
                        traf, r, "≤ 1.2×", r <= 1.2, f"mean page {kb:.1f} KB"))
    print_table(rows)
    save("extract_speed", rows, {"scale": args.scale, "rounds": n},
         [f".venv/bin/python benchmarks/bench_extract_speed.py --scale {args.scale} --rounds {n}"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
