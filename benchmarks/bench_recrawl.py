"""Benchmark: the unchanged recrawl, the run a schedule repeats most — N report pages crawled
once (not measured), then crawled again with nothing changed on the portals, `--rounds` times.

    python benchmarks/bench_recrawl.py [--reports 2140] [--rounds 3]

A recrawl asks each known page conditionally (304 Not Modified), archives a revisit and marks
its report seen in the catalogue. Printed per recrawl: responses, reports unchanged (a report
counts once per capture, page and attachment; none may be new or changed, or it was not an
unchanged recrawl and the bench exits 1), wall seconds, pages/s, and the CPU
of the crawl process (wait4 rusage) and of its extraction workers (their own record in the
crawl's stats, `nianbao/resources`) per page. Compare code versions
by running this file from each one's tree (a `git worktree` of the baseline), in the same
session: the figures are only comparable within one machine state.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import (  # noqa: E402
    Row,
    Served,
    cleanup,
    log,
    med,
    nianbao_crawl,
    print_table,
    quote,
    save,
    scale_for,
)


def recrawl(registry: Path, data: Path, timeout: float) -> dict:
    """`nianbao crawl` again into DATA, as the schedule runs it."""
    run = nianbao_crawl(registry, data, timeout=timeout, fresh=False)
    # Workers forked from the fork server are not the crawl process's children: their CPU
    # comes from the crawl's own record (nianbao/resources), the crawl process's from wait4.
    workers = float((run.stats.get("nianbao/resources") or {}).get("workers_cpu_s", 0.0))
    return {"command": quote(run.command), "wall": run.wall, "returncode": run.returncode,
            "cpu_s": run.rusage.get("cpu_s", float("nan")) + workers, "workers_cpu_s": workers,
            "responses": run.responses, **{k: int(run.stats.get(f"catalogue/reports_{k}", 0))
                                           for k in ("unchanged", "new", "changed")}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reports", type=int, default=2140, help="report pages (default 2140: simportals scale 18)")
    ap.add_argument("--rounds", type=int, default=3, help="recrawls measured (default 3)")
    args = ap.parse_args(argv)
    scale = scale_for(args.reports)
    work = Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    data = work / "data"
    timeout = args.reports / 5 + 600
    with Served(scale, workdir=work) as served:
        log(f"first crawl of simportals scale {scale} (not measured)")
        first = nianbao_crawl(served.registry, data, timeout=timeout)
        reports = int(first.stats.get("catalogue/reports_new", 0))
        log(f"first crawl: {first.responses} responses, {reports} reports in {first.wall:.0f}s; exit {first.returncode}")
        runs = []
        for k in range(args.rounds):
            run = recrawl(served.registry, data, timeout)
            log(f"recrawl {k + 1}: {run['responses']} responses, {run['unchanged']} unchanged, "
                f"{run['new']} new, {run['changed']} changed in {run['wall']:.1f}s, CPU {run['cpu_s']:.1f}s "
                f"(workers {run['workers_cpu_s']:.1f}s)")
            runs.append(run)
        commands = [served.command, quote(first.command), runs[0]["command"] if runs else ""]
    whole = all(r["returncode"] == 0 and r["unchanged"] and not r["new"] and not r["changed"] for r in runs)
    note = f"{reports} reports; every recrawl unchanged (no report new or changed): {whole}"
    rows = [
        Row("recrawl", "wall seconds", [r["wall"] for r in runs], "s", "", [], None, "report", None, note),
        Row("recrawl", "pages/s (wall)", [r["responses"] / r["wall"] for r in runs], "p/s", "", [], None, "report", None,
            f"{med([r['responses'] for r in runs]):.0f} responses"),
        Row("recrawl", "CPU per page (crawl process + workers)",
            [1000 * r["cpu_s"] / max(r["responses"], 1) for r in runs], "ms", "", [], None, "report", None, ""),
    ]
    print_table(rows)
    save("recrawl", rows, {"reports": reports, "runs": runs}, commands)
    cleanup(work)
    return 0 if whole else 1


if __name__ == "__main__":
    raise SystemExit(main())
