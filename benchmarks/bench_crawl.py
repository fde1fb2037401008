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
e2e ≥ 0.6× baseline, and e2e ≥ 0.9× the CPU bound.

The CPU bound (common.CpuBudget): each process's own CPU per page — bare Scrapy's, nianbao's
crawl + archive, what the end-to-end crawl process adds (catalogue), the extraction workers,
the portal server — and the best rate the machine's cores allow for that work: every core busy
(cores ÷ total CPU per page), no process beyond its share (the crawl process one core, the
workers EXTRACT_WORKERS cores). Printed beside the measured rate, per round.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    Row,
    Served,
    baseline_crawl,
    cleanup,
    cpu_budget,
    du,
    log,
    med,
    nianbao_crawl,
    print_table,
    quote,
    save,
    server_cpu,
)

ARCHIVE_ONLY = {"EXTRACT_WORKERS": "0", "ITEM_PIPELINES": "{}"}
WORKERS = 2  # EXTRACT_WORKERS as shipped (crawler/settings.py)


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
    budgets: list = []
    cores = os.cpu_count() or 1
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
            with server_cpu(served) as spent:
                e = nianbao_crawl(served.registry, data)
            runs["e2e"].append(e)
            budgets.append(cpu_budget(b, a, e, spent["s"]))
            log(f"round {k + 1}: e2e      {e.responses} responses in {e.elapsed:.1f}s = {e.pages_per_s:.1f}/s, "
                f"{e.stats.get('catalogue/captures')} captures catalogued, wall {e.wall:.1f}s; "
                f"{budgets[-1].describe(cores, WORKERS)}")
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
    bounds = [bd.bound(cores, WORKERS) for bd in budgets]
    r_bound = med(e2e) / med(bounds)
    mid = sorted(budgets, key=lambda bd: bd.total)[len(budgets) // 2]
    rows.append(Row("2 end to end", "pages/s vs CPU bound", e2e, "p/s", "CPU bound", bounds, r_bound, "≥ 0.9×",
                    r_bound >= 0.9, f"median round: {mid.describe(cores, WORKERS)}"))
    print_table(rows)
    extra = {"scale": args.scale, "rounds": n, "responses": counts, "cpu_ms_per_page": [bd.as_dict() for bd in budgets],
             "warc_bytes_e2e": du(data / "warc") if (data / "warc").exists() else None,
             "elapsed": {k: [round(r.elapsed, 2) for r in rs] for k, rs in runs.items()},
             "wall": {k: [round(r.wall, 2) for r in rs] for k, rs in runs.items()}}
    save("crawl", rows, extra, commands)
    cleanup(work)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
