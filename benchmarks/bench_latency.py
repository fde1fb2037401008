"""Benchmark 3: the latency testbed — where politeness and latency, not CPU, set the pace.

    python benchmarks/bench_latency.py [--scale 20] [--hosts 20] [--latency 0.2] [--rounds 3] [--quick]

`python -m simportals serve --hosts 20 --latency 0.2`: every response takes 200 ms, over 20
host:port portals; the registry gives each portal `concurrency = 2` (and no delay). The
ceiling is hosts × per-host concurrency ÷ latency (20 × 2 ÷ 0.2 = 200 pages/s). Because the
testbed's hosts are not equally large, a second bound is printed: the largest host alone needs
max_host_pages × latency ÷ concurrency seconds, so no crawler can beat
Σ pages ÷ that time on this testbed ("testbed bound").

nianbao runs three ways: end to end (crawl, WARC, extraction, catalogue) with its shipped
settings (AutoThrottle on, DOWNLOAD_DELAY 0.5 as AutoThrottle's floor); end to end with
`-s AUTOTHROTTLE_ENABLED=False` (the registry's per-host concurrency and zero delay then
hold); and crawl+archive only with AutoThrottle off.
Baselines: bare Scrapy (benchmarks/baseline_spider.py, the same pages, CONCURRENT_REQUESTS_PER_DOMAIN
= 2, one slot per host:port, nothing else), and `wget --recursive --level=inf --warc-file` with one
wget per host, all in parallel (each wget uses one connection; `-e robots=on`); wget cannot follow the Hanweb
POST pagination or the TRS JavaScript pager, so it finds fewer report pages — both the page
count and pages/s are printed. Install wget with `apt-get install -y wget`.
After every run the servers report the most requests any host had in flight at once: the
registry allows 2, and Scrapy's own downloader, at zero delay, exceeds its per-host limit
(crawler/downloader.py), so the bare-Scrapy figure is not a polite crawl's.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import (  # noqa: E402
    Row,
    Served,
    baseline_crawl,
    cleanup,
    cpu_budget,
    log,
    med,
    nianbao_crawl,
    print_table,
    quote,
    save,
    server_cpu,
)

from simportals.server import peak_concurrency  # noqa: E402

ARCHIVE = "crawl+archive, AutoThrottle off"
E2E = ("e2e, shipped settings", "e2e, AutoThrottle off")
WORKERS = 2  # EXTRACT_WORKERS as shipped (crawler/settings.py)


def pages_per_host(scale: int, hosts: int) -> Counter:
    """Pages a complete crawl fetches per host (listings, reports, others, attachments,
    robots.txt; not the unlinked assets), from the testbed itself."""
    from simportals import build_testbed

    c = build_testbed(scale=scale, hosts=hosts).pages_per_portal()
    for portal in list(c):
        c[portal] += 1  # robots.txt
    return c


def run_wget(served: Served, out: Path, timeout: float) -> tuple[float, int, int, list[str]]:
    """One wget per host, in parallel; returns (seconds, responses, report pages, command)."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    procs = []
    started = time.monotonic()
    cmd: list[str] = []
    for k, url in enumerate(served.start_urls()):
        d = out / f"h{k}"
        d.mkdir()
        cmd = ["wget", "--recursive", "--level=inf", "--no-verbose", "-e", "robots=on", "--tries=1",
               "--timeout=10", f"--warc-file={d / 'wget'}", "--warc-cdx=off", "--no-host-directories",
               f"--directory-prefix={d}", "--reject-regex", r"\.(css|js|png|jpg|gif|ico)$", url]
        procs.append(subprocess.Popen(cmd, cwd=d, stdout=subprocess.DEVNULL, stderr=open(d / "log", "w")))
    deadline = started + timeout
    for p in procs:
        try:
            p.wait(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    elapsed = time.monotonic() - started
    responses = reports = 0
    for log_file in out.glob("h*/log"):
        for line in log_file.read_text(errors="replace").splitlines():
            if " URL:" in line and ("->" in line):
                responses += 1
                if "/art/" in line or "/t20" in line or "/show/" in line or "/post_" in line:
                    reports += 1
    return elapsed, responses, reports, cmd


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=None, help="simportals scale (default 20; quick 8)")
    ap.add_argument("--hosts", type=int, default=20)
    ap.add_argument("--latency", type=float, default=0.2)
    ap.add_argument("--per-host", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=None)
    ap.add_argument("--wget-rounds", type=int, default=None)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                    help="extra nianbao setting (e.g. CONCURRENT_REQUESTS=64)")
    args = ap.parse_args(argv)
    scale = args.scale or (8 if args.quick else 20)
    n = args.rounds or (1 if args.quick else 3)
    n_wget = args.wget_rounds or (1 if args.quick else 2)
    ceiling = args.hosts * args.per_host / args.latency
    per_host = pages_per_host(scale, args.hosts)
    total = sum(per_host.values())
    bound = total / (max(per_host.values()) * args.latency / args.per_host)
    log(f"latency testbed: scale {scale}, {args.hosts} hosts, {args.latency * 1000:.0f} ms, "
        f"{args.per_host}/host; ceiling {ceiling:.0f} p/s; {total} pages, largest host "
        f"{max(per_host.values())}, smallest {min(per_host.values())} → testbed bound {bound:.0f} p/s")
    have_wget = shutil.which("wget") is not None
    work = Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    settings = dict(s.split("=", 1) for s in args.set)
    variants = {
        "e2e, shipped settings": {},
        "e2e, AutoThrottle off": {"AUTOTHROTTLE_ENABLED": "False"},
        "crawl+archive, AutoThrottle off": {"AUTOTHROTTLE_ENABLED": "False", "EXTRACT_WORKERS": "0",
                                            "ITEM_PIPELINES": "{}"},
    }
    runs: dict[str, list] = {v: [] for v in variants}
    budgets: dict[str, list] = {v: [] for v in E2E}
    cores = os.cpu_count() or 1
    base: list = []
    peaks: dict[str, int] = {}  # most requests one host had in flight during a run, per variant
    wg: list[tuple[float, int, int]] = []
    commands = []
    with Served(scale, latency=args.latency, hosts=args.hosts, workdir=work, concurrency=args.per_host,
                download_delay=0) as served:
        commands.append(served.command + f"  # registry: concurrency = {args.per_host}, download_delay = 0")

        def peak() -> int:
            return max(peak_concurrency(h, reset=True) for h in served.hosts)

        for k in range(n):
            peak()
            b = baseline_crawl(served.registry, work / "baseline",
                               {"CONCURRENT_REQUESTS": "64", "CONCURRENT_REQUESTS_PER_DOMAIN": str(args.per_host)})
            base.append(b)
            peaks["bare Scrapy"] = max(peaks.get("bare Scrapy", 0), peak())
            log(f"round {k + 1}: bare Scrapy: {b.responses} responses in {b.elapsed:.1f}s = {b.pages_per_s:.1f}/s")
            if k == 0:
                commands.append(quote(b.command))
            spent_by: dict[str, float] = {}
            for label, extra in variants.items():
                with server_cpu(served) as spent:
                    r = nianbao_crawl(served.registry, work / "nianbao", {**extra, **settings}, timeout=1800)
                spent_by[label] = spent["s"]
                runs[label].append(r)
                peaks[label] = max(peaks.get(label, 0), peak())
                log(f"round {k + 1}: nianbao {label}: {r.responses} responses in {r.elapsed:.1f}s = "
                    f"{r.pages_per_s:.1f}/s ({r.stats.get('catalogue/reports_new')} reports)")
                if k == 0:
                    commands.append(quote(r.command))
            for label in E2E:
                budgets[label].append(cpu_budget(b, runs[ARCHIVE][-1], runs[label][-1], spent_by[label]))
                log(f"round {k + 1}: {label}: {budgets[label][-1].describe(cores, WORKERS)}")
        if have_wget:
            for k in range(n_wget):
                secs, resp, reps, cmd = run_wget(served, work / "wget", timeout=1800)
                wg.append((secs, resp, reps))
                log(f"round {k + 1}: wget ×{len(served.hosts)} {resp} responses ({reps} report-like) in "
                    f"{secs:.1f}s = {resp / secs:.1f}/s")
            commands.append(quote(cmd[:-1]) + " URL   # one per host, in parallel")
        else:
            log("wget not found: apt-get install -y wget")
    wrates = [w[1] / w[0] for w in wg]
    brates = [b.pages_per_s for b in base]
    rows = [Row("3 latency", "bare Scrapy vs ceiling", brates, "p/s",
                f"ceiling {args.hosts}×{args.per_host}÷{args.latency}s", [ceiling], med(brates) / ceiling, "report",
                None, f"{med(brates) / bound:.2f}× the testbed bound {bound:.0f} p/s; {base[-1].responses} responses; "
                f"peak {peaks['bare Scrapy']} requests in flight on one host (allowed {args.per_host})")]
    for label, rs in runs.items():
        rates = [r.pages_per_s for r in rs]
        rc = med(rates) / ceiling
        rows.append(Row("3 latency", f"{label} vs ceiling", rates, "p/s",
                        f"ceiling {args.hosts}×{args.per_host}÷{args.latency}s", [ceiling], rc, "≥ 0.9×", rc >= 0.9,
                        f"{med(rates) / bound:.2f}× the testbed bound {bound:.0f} p/s; "
                        f"{med(rates) / med(brates):.2f}× bare Scrapy; "
                        f"{rs[-1].responses} responses in {med([r.elapsed for r in rs]):.1f}s"
                        + (f"; {med(rates) / med(wrates):.2f}× wget" if wrates else "")
                        + f"; peak {peaks[label]} in flight on one host"))
    for label in E2E:
        rates = [r.pages_per_s for r in runs[label]]
        limits = [min(bd.bound(cores, WORKERS), bound) for bd in budgets[label]]
        rb = med(rates) / med(limits)
        mid = sorted(budgets[label], key=lambda bd: bd.total)[len(budgets[label]) // 2]
        rows.append(Row("3 latency", f"{label} vs CPU and testbed bound", rates, "p/s",
                        "min(CPU bound, testbed bound)", limits, rb, "≥ 0.9×", rb >= 0.9,
                        f"testbed bound {bound:.0f} p/s; median round: {mid.describe(cores, WORKERS)}"))
    if wg:
        rows.append(Row("3 latency", "wget -r --warc-file, 1 per host", wrates, "p/s", "", [], None, "report", None,
                        f"wget fetched {med([w[1] for w in wg]):.0f} responses "
                        f"({med([w[2] for w in wg]):.0f} report-like; it cannot follow the Hanweb POST "
                        f"pager or the TRS JS pager) in {med([w[0] for w in wg]):.1f}s, no extraction"))
    print_table(rows)
    save("latency", rows, {"scale": scale, "hosts": args.hosts, "latency": args.latency,
                           "per_host": args.per_host, "ceiling": ceiling, "testbed_bound": bound,
                           "pages_per_host": dict(per_host), "wget": wg, "peak_in_flight": peaks,
                           "elapsed": {k: [r.elapsed for r in v] for k, v in runs.items()},
                           "cpu_ms_per_page": {k: [bd.as_dict() for bd in v] for k, v in budgets.items()}}, commands)
    cleanup(work)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
