"""Benchmark 7: a distributed crawl (scrapy-redis) with 1, 2 and 4 workers on the latency testbed.

    python benchmarks/bench_distributed.py [--scale 20] [--hosts 20] [--latency 0.2] [--rounds 2] [--quick]

The latency testbed (benchmarks/bench_latency.py): every response takes `latency` seconds and
the registry allows each host `concurrency = 2` and no delay, so the politeness ceiling is
hosts × 2 ÷ latency pages/s, and the testbed bound (the largest host alone) lower still.
Latency, not the two cores, sets the pace, so the figures measure the design: the shared
frontier, the leases and the HostGate that holds each host to 2 requests in flight across all
workers together. More workers cannot beat the politeness bound, and should not fall below
what one worker reaches. Baseline in the same run: the single-machine `nianbao crawl` (crawl
and archive; workers do not extract, `nianbao merge` catalogues afterwards and is timed apart).
Each worker is its own process with its own data directory; redis-server runs on 127.0.0.1
(`apt-get install -y redis-server`). After every run the servers report the most requests any
host had in flight at once.

On one two-core machine the workers, Redis and the 20 simulated servers share the CPU, so
each run's own CPU is measured too (every worker's from spider open to close, its stats'
`nianbao/cpu_crawling_s`; Redis and the portal server from /proc) and its rate is set beside
the best the cores allow for that work: all cores busy, no crawl process above one core, and
never beyond the testbed bound. "× the CPU bound" near 1 says the design loses nothing but
CPU; the speed-up from workers on separate machines is then the CPU bound's.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_latency import pages_per_host  # noqa: E402
from common import (  # noqa: E402
    NIANBAO,
    ROOT,
    Row,
    Served,
    cleanup,
    cpu_seconds,
    env,
    log,
    med,
    nianbao_crawl,
    print_table,
    quote,
    save,
    scrapy_stats,
    server_cpu,
)

from simportals.server import peak_concurrency  # noqa: E402

SETTINGS = {"AUTOTHROTTLE_ENABLED": "False", "EXTRACT_WORKERS": "0", "ITEM_PIPELINES": "{}"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_server(work: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    (work / "redis").mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", str(work / "redis"),
                             "--appendonly", "yes", "--save", ""], stdout=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    return proc, f"redis://127.0.0.1:{port}/0"


def archived_urls(dirs: list[Path]) -> set[str]:
    """Every URL with an archived response or revisit in these DATA directories (CDXJ)."""
    found = set()
    for d in dirs:
        for index in (d / "warc").glob("*.cdxj"):
            for line in index.read_text(encoding="utf-8").splitlines():
                fields = json.loads(line.split(" ", 2)[2])
                if "status" in fields:
                    found.add(fields["url"])
    return found


def cpu_bound(cpu: dict[str, float], pages: int, cores: int, testbed: float) -> float:
    """Pages/s the cores allow for a run's work: `cpu` holds CPU seconds per process; the
    "worker …" ones (crawl processes) are bound to one core each, all together to `cores`."""
    if not pages:
        return float("nan")
    limits = [cores * pages / sum(cpu.values()), testbed]
    workers = [s for name, s in cpu.items() if name.startswith("worker")]
    if workers and sum(workers):
        limits.append(min(len(workers), cores) * pages / sum(workers))
    return min(limits)


def distributed_run(registry: Path, work: Path, url: str, n: int,
                    others: dict[str, int]) -> tuple[float, int, list[str], set[str], dict[str, float]]:
    """Coordinator + n-1 workers from a fresh Redis database; returns (seconds, responses of
    all workers, coordinator command, URLs archived, CPU seconds per process: each worker's
    from spider open to close (its stats), and those of `others` (name → pid) from /proc)."""
    import redis

    dirs = [work / f"d{n}-{k}" for k in range(n)]
    for d in dirs:
        shutil.rmtree(d, ignore_errors=True)
    redis.Redis.from_url(url).flushdb()  # a first crawl each time, as the single-machine run
    sets = [x for k, v in SETTINGS.items() for x in ("-s", f"{k}={v}")]
    cmd = [NIANBAO, "crawl", "--portals", str(registry), "--data", str(dirs[0]), "--redis", url, "--no-merge", *sets]
    before = {name: cpu_seconds(pid) for name, pid in others.items()}
    started = time.monotonic()
    procs = [subprocess.Popen(cmd, cwd=ROOT, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)]
    client = redis.Redis.from_url(url)
    while client.hget("nianbao:crawl", "status") != b"running":
        time.sleep(0.01)
    for k, d in enumerate(dirs[1:], 1):
        procs.append(subprocess.Popen([NIANBAO, "worker", "--redis", url, "--data", str(d), "--id", f"w{k}", *sets],
                                      cwd=ROOT, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT))
    for p in procs:
        p.wait(timeout=3600)
    wall = time.monotonic() - started
    cpu = {name: cpu_seconds(pid) - before[name] for name, pid in others.items()}
    responses, starts, ends = 0, [], []
    for k, d in enumerate(dirs):
        for logfile in (d / "logs").glob("worker-*.log"):
            stats = scrapy_stats(logfile.read_text(errors="replace"))
            cpu[f"worker {k}"] = float(stats.get("nianbao/cpu_crawling_s", "nan"))
            responses += int(stats.get("downloader/response_count", 0))
            starts.append(stats.get("start_time"))
            ends.append(stats.get("finish_time"))
    # first spider open → last spider close, as the single-machine figure (Scrapy's elapsed time)
    elapsed = (max(ends) - min(starts)).total_seconds() if starts and None not in starts + ends else wall
    return elapsed, responses, cmd, archived_urls(dirs), cpu


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=None, help="simportals scale (default 20; quick 8)")
    ap.add_argument("--hosts", type=int, default=20)
    ap.add_argument("--latency", type=float, default=0.2)
    ap.add_argument("--per-host", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=None)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--worker-concurrency", type=int, default=None,
                    help="CONCURRENT_REQUESTS of every crawl process: machines that can each hold only "
                         "this many requests in flight (a small VM, a rate-limited uplink), so one "
                         "worker cannot reach the politeness ceiling and more workers should")
    args = ap.parse_args(argv)
    if args.worker_concurrency:
        SETTINGS["CONCURRENT_REQUESTS"] = str(args.worker_concurrency)
    scale = args.scale or (8 if args.quick else 20)
    n_rounds = args.rounds or (1 if args.quick else 2)
    ceiling = args.hosts * args.per_host / args.latency
    per_host = pages_per_host(scale, args.hosts)
    bound = sum(per_host.values()) / (max(per_host.values()) * args.latency / args.per_host)

    def machines_bound(n: int) -> float:
        """The testbed bound, and with --worker-concurrency what n such machines can hold."""
        if not args.worker_concurrency:
            return bound
        return min(bound, n * args.worker_concurrency / args.latency)

    log(f"latency testbed: scale {scale}, {args.hosts} hosts, {args.latency * 1000:.0f} ms, {args.per_host}/host; "
        f"ceiling {ceiling:.0f} p/s; testbed bound {bound:.0f} p/s"
        + (f"; one machine of {args.worker_concurrency} in flight {machines_bound(1):.0f} p/s"
           if args.worker_concurrency else ""))
    work = Path(tempfile.mkdtemp(prefix="nianbao-bench-dist-"))
    redis_proc, url = redis_server(work)
    rates: dict[str, list[float]] = {"single machine": [], **{f"{n} worker{'s' if n > 1 else ''}": [] for n in (1, 2, 4)}}
    of_bound: dict[str, list[float]] = {label: [] for label in rates}  # measured ÷ CPU bound, per round
    cpu_ms: dict[str, list[dict[str, float]]] = {label: [] for label in rates}  # CPU ms per page, per process
    cores = os.cpu_count() or 1

    def account(label: str, rate: float, pages: int, cpu: dict[str, float], machines: int = 1) -> str:
        limit = cpu_bound(cpu, pages, cores, machines_bound(machines))
        of_bound[label].append(rate / limit)
        per_page = {name: round(s * 1000 / max(pages, 1), 2) for name, s in cpu.items()}
        cpu_ms[label].append(per_page)
        return (f"CPU ms/page {sum(per_page.values()):.2f} ({', '.join(f'{k} {v:.2f}' for k, v in per_page.items())})"
                f" → bound {limit:.0f} p/s, measured {rate / limit:.2f}× of it")
    peaks: dict[str, int] = {}
    missing: dict[str, int] = {}  # URLs the single machine archived and the workers did not
    commands: list[str] = []
    try:
        with Served(scale, latency=args.latency, hosts=args.hosts, workdir=work, concurrency=args.per_host,
                    download_delay=0) as served:
            commands.append(served.command + f"  # registry: concurrency = {args.per_host}, download_delay = 0")

            def peak() -> int:
                return max(peak_concurrency(h, reset=True) for h in served.hosts)

            for k in range(n_rounds):
                peak()
                with server_cpu(served) as spent:
                    r = nianbao_crawl(served.registry, work / "single", SETTINGS)
                rates["single machine"].append(r.pages_per_s)
                peaks["single machine"] = max(peaks.get("single machine", 0), peak())
                note = account("single machine", r.pages_per_s, r.responses,
                               {"worker 0": float(r.stats.get("nianbao/cpu_crawling_s", "nan")),
                                "portal server": spent["s"]})
                log(f"round {k + 1}: single machine {r.responses} responses = {r.pages_per_s:.1f}/s; {note}")
                if k == 0:
                    commands.append(quote(r.command))
                expected = archived_urls([work / "single"])
                for n in (1, 2, 4):
                    label = f"{n} worker{'s' if n > 1 else ''}"
                    secs, responses, cmd, urls, cpu = distributed_run(
                        served.registry, work, url, n, {"redis": redis_proc.pid, "portal server": served.pid})
                    rates[label].append(responses / secs)
                    note = account(label, responses / secs, responses, cpu, n)
                    missing[label] = max(missing.get(label, 0), len(expected - urls))
                    peaks[label] = max(peaks.get(label, 0), peak())
                    log(f"round {k + 1}: {label}: {responses} responses in {secs:.1f}s = {responses / secs:.1f}/s; {note}")
                    if k == 0 and n == 4:
                        commands.append(quote(cmd) + "   # + `nianbao worker --redis URL --data DIR` ×3")
    finally:
        redis_proc.terminate()
        redis_proc.wait()
    single = med(rates["single machine"])
    rows = []
    for label, values in rates.items():
        ratio = med(values) / ceiling
        machines = int(label[0]) if label[0].isdigit() else 1
        held = (f"{med(values) / machines_bound(machines):.2f}× what its machines can hold in flight "
                f"({machines_bound(machines):.0f} p/s); " if args.worker_concurrency else "")
        rows.append(Row("7 distributed", f"{label} vs ceiling", values, "p/s",
                        f"ceiling {args.hosts}×{args.per_host}÷{args.latency}s", [ceiling], ratio, "report", None,
                        f"{med(of_bound[label]):.2f}× the CPU bound of its run (rounds: "
                        f"{', '.join(f'{x:.2f}' for x in of_bound[label])}); "
                        f"{med(values) / bound:.2f}× the testbed bound {bound:.0f} p/s; {held}"
                        f"{med(values) / single:.2f}× the single machine; peak {peaks[label]} in flight on one host "
                        f"(allowed {args.per_host}); URLs the single machine archived and these did not: "
                        f"{missing.get(label, 0)}"))
    print_table(rows)
    save("distributed-limited" if args.worker_concurrency else "distributed", rows, {"scale": scale, "hosts": args.hosts, "latency": args.latency, "worker_concurrency": args.worker_concurrency, "ceiling": ceiling,
                               "testbed_bound": bound, "peak_in_flight": peaks, "missing_urls": missing,
                               "of_cpu_bound": of_bound, "cpu_ms_per_page": cpu_ms}, commands)
    cleanup(work)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
