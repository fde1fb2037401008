"""Benchmark 6: scale — a generated portal set of N report pages (default 100,000) crawled end
to end; RSS sampled along the way; catalogue size; full-text search latency.

    python benchmarks/bench_scale.py [--reports 100000] [--reps 50] [--quick]

The simulated portals are served at the scale giving ≈ N report pages (≈ 119 per scale unit).
While `nianbao crawl` runs, every 2 s the bench reads from /proc the RSS and PSS of the crawl
process and of every process under it (extraction workers, the fork server they are forked
from, LibreOffice converters, the resource tracker) and the number of catalogued captures (a read-only query on the WAL
catalogue). The crawl process's RSS is reported at 10 %, 50 % and 100 % of N pages
(10k/50k/100k for N = 100,000): target flat (≤ 1.2× from the 10 % point to the end). Each kind
of process's peak RSS is printed, and the whole crawl's memory: the sum of the processes' PSS
(shared pages counted once), its median over the run and its peak, target < 400 MB.
Search: `catalogue.catalogue.Catalogue(path).search(term)` for common terms, rare agency names
and a two-character term (no trigram: substring scan), `--reps` times each; target < 20 ms
median for the trigram terms.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import (  # noqa: E402
    SEARCH_COMMON,
    SEARCH_SHORT,
    Row,
    Served,
    cleanup,
    du,
    log,
    med,
    memory_sample,
    nianbao_crawl,
    pct,
    print_table,
    quote,
    rarest_agencies,
    save,
    scale_for,
)


def captures(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return con.execute("select count(*) from captures").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def memory_rows(samples: list[dict], growth: float | None) -> list[Row]:
    """Each kind of process's peak RSS, and the whole crawl's memory (summed PSS) over the run."""
    rows = []
    for kind in ("crawl", "worker", "forkserver", "converter", "tracker"):
        peaks = [p[2] for s in samples for p in s["procs"] if p[1] == kind]
        if not peaks:
            continue
        pids = {p[0] for s in samples for p in s["procs"] if p[1] == kind}
        note = f"{len(pids)} process{'es' if len(pids) > 1 else ''} over the run"
        if kind == "crawl" and growth:
            note += f"; growth 10 %→100 %: {growth:.2f}×"
        rows.append(Row("6 scale", f"peak RSS: {kind} process", [max(peaks)], "MB", "", [], None, "report",
                        None, note))
    whole = [s["whole_pss_mb"] for s in samples]
    if whole:
        over = sum(w >= 400 for w in whole) / len(whole)
        rows.append(Row("6 scale", "whole crawl (PSS summed): median", [med(whole)], "MB", "", [], None,
                        "< 400 MB", med(whole) < 400, f"{len(whole)} samples, 2 s apart"))
        rows.append(Row("6 scale", "whole crawl (PSS summed): peak", [max(whole)], "MB", "", [], None,
                        "< 400 MB", max(whole) < 400,
                        f"{over:.1%} of samples ≥ 400 MB; RSS summed peak {max(s['whole_rss_mb'] for s in samples):.0f} MB"))
    return rows


def search_latency(db: Path, reps: int) -> tuple[list[Row], dict]:
    from catalogue.catalogue import Catalogue

    cat = Catalogue(str(db))
    try:
        rare = rarest_agencies(cat.db, 2)
        n_reports = cat.db.execute("select count(*) from reports").fetchone()[0]
        rows, hits = [], {}
        for kind, terms in (("common", SEARCH_COMMON), ("rare", rare), ("2-char (scan)", SEARCH_SHORT)):
            for term in terms:
                times = []
                for _ in range(reps):
                    t = time.perf_counter()
                    res = cat.search(term)
                    times.append((time.perf_counter() - t) * 1000)
                hits[term] = len(res)
                m = med(times)
                trigram = len(term) >= 3
                rows.append(Row("6 FTS", f"{kind}: {term}", times, "ms", "", [], None,
                                "< 20 ms" if trigram else "report", (m < 20) if trigram else None,
                                f"p95 {pct(times, 95):.1f} ms; {len(res)} hits (limit 20) of {n_reports} reports"))
        return rows, hits
    finally:
        cat.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reports", type=int, default=None, help="report pages (default 100000; quick 2000)")
    ap.add_argument("--reps", type=int, default=None, help="repetitions per search term (default 50; quick 20)")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--timeout", type=float, default=None, help="crawl time limit, s (default N/5 + 600)")
    args = ap.parse_args(argv)
    n = args.reports or (2000 if args.quick else 100_000)
    reps = args.reps or (20 if args.quick else 50)
    scale = scale_for(n)
    work = Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    data = work / "data"
    db = data / "catalogue.db"
    marks = [n // 10, n // 2, n]

    def sampler(pid: int, t: float) -> dict:
        memory = memory_sample(pid)
        crawl = next((p for p in memory["procs"] if p[1] == "crawl"), [pid, "crawl", 0.0, 0.0])
        return {"t": round(t, 1), "pages": captures(db), "rss_mb": crawl[2],
                "workers_mb": sum(p[2] for p in memory["procs"] if p[1] == "worker"), **memory}

    log(f"scale: {n} report pages → simportals scale {scale}")
    with Served(scale, workdir=work) as served:
        log("serving; crawling end to end")
        run = nianbao_crawl(served.registry, data, timeout=args.timeout or n / 5 + 600, sampler=sampler,
                            sample_every=2.0)
        commands = [served.command, quote(run.command)]
    samples = run.samples
    final = captures(db)
    log(f"crawl: {run.responses} responses, {final} captures, {run.stats.get('catalogue/reports_new')} reports "
        f"in {run.elapsed:.0f}s ({run.pages_per_s:.1f} p/s); exit {run.returncode}")
    rows = []
    rss_at = {}
    for mark in marks:
        hit = next((s for s in samples if s["pages"] >= mark * 0.97), None)
        rss_at[mark] = hit
    valid = [s for s in samples if s["rss_mb"] > 0]
    first = rss_at[marks[0]]
    last = rss_at[marks[-1]] or (valid[-1] if valid else None)
    for mark in marks:
        s = rss_at[mark] or (valid[-1] if mark == marks[-1] and valid else None)
        if s is None:
            rows.append(Row("6 scale", f"RSS at {mark:,} pages", [], "MB", note="not reached"))
            continue
        flat = None
        if first and s is not first:
            flat = s["rss_mb"] <= 1.2 * first["rss_mb"]
        rows.append(Row("6 scale", f"crawl RSS at {mark:,} pages", [s["rss_mb"]], "MB", "", [], None,
                        "flat (≤ 1.2×)", flat,
                        f"t={s['t']}s, {s['pages']} captures; extraction workers {s['workers_mb']:.0f} MB"))
    growth = (last["rss_mb"] / first["rss_mb"]) if (first and last) else None
    rows += memory_rows(valid, growth)
    size = du(db) + sum(du(Path(str(db) + s)) for s in ("-wal", "-shm") if Path(str(db) + s).exists())
    rows.append(Row("6 scale", "catalogue size", [size / 1e6], "MB", "", [], None, "report", None,
                    f"{size / max(final, 1) / 1024:.1f} KB per capture; WARC {du(data / 'warc') / 1e6:.0f} MB"))
    rows.append(Row("6 scale", "end-to-end pages/s", [run.pages_per_s], "p/s", "", [], None, "report", None,
                    f"{run.responses} responses in {run.elapsed:.0f}s"))
    fts_rows, hits = search_latency(db, reps)
    rows += fts_rows
    print_table(rows)
    save("scale", rows, {"reports": n, "scale": scale, "samples": samples, "hits": hits,
                         "responses": run.responses, "captures": final, "elapsed": run.elapsed,
                         "returncode": run.returncode}, commands)
    cleanup(work)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
