"""Benchmarks 1 and 2: nianbao crawl+archive, and end to end, against bare Scrapy.

    python benchmarks/bench_crawl.py [--scale 18] [--rounds 3] [--quick]

One simulated-portal server (`python -m simportals serve --scale N`, ≥ 2,000 report pages at
the default scale 18) serves every round. Each round runs, in this order and as separate
processes:
  baseline   scrapy runspider benchmarks/baseline_spider.py (same pages, nothing else)
  archive    nianbao crawl -s EXTRACT_WORKERS=0 -s ITEM_PIPELINES={}   (crawl + WARC only)
  e2e        nianbao crawl                                           (crawl, WARC, extract, catalogue)
pages/s = responses ÷ Scrapy's elapsed_time_seconds (spider open → close: excludes interpreter
start-up, includes the extraction pool's start and drain). Targets: archive ≥ 0.85× baseline,
e2e ≥ 0.6× baseline.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    Row,
    Served,
    baseline_crawl,
    cleanup,
    du,
    log,
    med,
    nianbao_crawl,
    print_table,
    quote,
    save,
)

ARCHIVE_ONLY = {"EXTRACT_WORKERS": "0", "ITEM_PIPELINES": "{}"}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=18, help="simportals scale (18 ≈ 2,140 report pages)")
    ap.add_argument("--rounds", type=int, default=None)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--keep", help="keep the last end-to-end DATA dir here")
    args = ap.parse_args(argv)
    n = args.rounds or (2 if args.quick else 3)
    work = Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    runs: dict[str, list] = {"baseline": [], "archive": [], "e2e": []}
    with Served(args.scale, workdir=work) as served:
        log(f"serving scale {args.scale} on {len(served.hosts)} hosts; {n} rounds")
        for k in range(n):
            b = baseline_crawl(served.registry, work / "baseline")
            runs["baseline"].append(b)
            log(f"round {k + 1}: baseline {b.responses} responses in {b.elapsed:.1f}s = {b.pages_per_s:.1f}/s")
            a = nianbao_crawl(served.registry, work / "archive", ARCHIVE_ONLY)
            runs["archive"].append(a)
            log(f"round {k + 1}: archive  {a.responses} responses in {a.elapsed:.1f}s = {a.pages_per_s:.1f}/s")
            data = Path(args.keep) if args.keep and k == n - 1 else work / "e2e"
            e = nianbao_crawl(served.registry, data)
            runs["e2e"].append(e)
            log(f"round {k + 1}: e2e      {e.responses} responses in {e.elapsed:.1f}s = {e.pages_per_s:.1f}/s, "
                f"{e.stats.get('catalogue/captures')} captures catalogued, wall {e.wall:.1f}s")
        commands = [served.command, quote(runs["baseline"][-1].command), quote(runs["archive"][-1].command),
                    quote(runs["e2e"][-1].command)]
    base = [r.pages_per_s for r in runs["baseline"]]
    arch = [r.pages_per_s for r in runs["archive"]]
    e2e = [r.pages_per_s for r in runs["e2e"]]
    counts = {name: sorted({r.responses for r in rs}) for name, rs in runs.items()}
    same = len({c for cs in counts.values() for c in cs}) == 1
    r_arch, r_e2e = med(arch) / med(base), med(e2e) / med(base)
    note = f"responses per run {counts}" + ("" if same else " — NOT the same page set")
    last = runs["e2e"][-1]
    rows = [
        Row("1 crawl+archive", "pages/s", arch, "p/s", "bare Scrapy", base, r_arch, "≥ 0.85×", r_arch >= 0.85, note),
        Row("2 end to end", "pages/s", e2e, "p/s", "bare Scrapy", base, r_e2e, "≥ 0.6×", r_e2e >= 0.6,
            f"{last.stats.get('catalogue/reports_new')} reports catalogued; wall-clock incl. start-up "
            f"{med([r.wall_pages_per_s for r in runs['e2e']]):.1f} p/s vs baseline "
            f"{med([r.wall_pages_per_s for r in runs['baseline']]):.1f} p/s"),
    ]
    print_table(rows)
    extra = {"scale": args.scale, "rounds": n, "responses": counts,
             "warc_bytes_e2e": du(data / "warc") if (data / "warc").exists() else None,
             "elapsed": {k: [round(r.elapsed, 2) for r in rs] for k, rs in runs.items()},
             "wall": {k: [round(r.wall, 2) for r in rs] for k, rs in runs.items()}}
    save("crawl", rows, extra, commands)
    cleanup(work)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
