"""Shared helpers for the nianbao benchmarks: serving the simulated portals, running crawls
as subprocesses (Twisted's reactor cannot restart in one process), reading their Scrapy
stats, sampling RSS, rounds, medians and the result tables.

Every benchmark script writes its figures to `benchmarks/results/<name>.json`; `run_all.py`
renders those into the marked sections of `benchmarks/RESULTS.md`.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import math
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
RESULTS_DIR = BENCH / "results"
VENV_BIN = Path(sys.executable).parent
NIANBAO = str(VENV_BIN / "nianbao") if (VENV_BIN / "nianbao").exists() else "nianbao"
PY = sys.executable


REPORTS_PER_SCALE = 2138 / 18  # report pages one simportals scale unit serves (scale 18: 2,138)
SEARCH_COMMON = ["政务公开", "政府信息公开", "依申请公开", "行政复议"]  # in nearly every report
SEARCH_SHORT = ["年报"]  # two characters: no trigram, a substring scan


def scale_for(reports: int) -> int:
    """The simportals scale serving about `reports` report pages."""
    return max(1, math.ceil(reports / REPORTS_PER_SCALE))


def rarest_agencies(db: Any, limit: int, ocr_only: bool = False) -> list[str]:
    """The issuers with the fewest reports in a catalogue (a sqlite3 or sqlite-utils connection):
    the rare names the search benchmarks look for."""
    return [r[0] for r in db.execute(
        "select agency from reports where agency is not null" + (" and ocr = 1" if ocr_only else "")
        + " group by agency order by count(*), agency limit ?", [limit]).fetchall()]


def env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
                PYTHONHASHSEED="0")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, load avg {load}"


# ---- statistics and tables ----------------------------------------------------------------

def med(xs: Sequence[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def pct(xs: Sequence[float], p: float) -> float:
    if not xs:
        return float("nan")
    s = sorted(xs)
    k = min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))
    return s[k]


def fmt(x: float | None, digits: int = 1) -> str:
    if x is None or x != x:
        return "–"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.{digits}f}"


@dataclass
class Row:
    """One line of a results table: a measured figure over rounds against a baseline."""

    bench: str
    metric: str
    values: list[float]
    unit: str
    baseline: str = ""
    base_values: list[float] = field(default_factory=list)
    ratio: float | None = None  # nianbao / baseline (or / ceiling)
    target: str = ""  # e.g. "≥ 0.85×"
    met: bool | None = None
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()

    def cells(self) -> list[str]:
        v = self.values
        b = self.base_values
        rng = f"{fmt(min(v))}–{fmt(max(v))}" if v else "–"
        brng = f"{fmt(med(b))} ({fmt(min(b))}–{fmt(max(b))})" if b else "–"
        met = "–" if self.met is None else ("met" if self.met else "NOT met")
        ratio = "–" if self.ratio is None else f"{self.ratio:.2f}×"
        return [self.bench, self.metric, f"{fmt(med(v))} {self.unit}", rng, str(len(v)),
                self.baseline or "–", brng, ratio, self.target or "–", met]


HEADER = ["bench", "metric", "median", "min–max", "n", "baseline", "baseline median (min–max)",
          "ratio", "target", "met?"]


def table(rows: Sequence[Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(r.cells()) + " |" for r in rows]
    return "\n".join(lines)


def print_table(rows: Sequence[Row]) -> None:
    print()
    print(table(rows))
    for r in rows:
        if r.note:
            print(f"  * {r.bench}/{r.metric}: {r.note}")
    sys.stdout.flush()


def save(name: str, rows: Sequence[Row], extra: dict[str, Any] | None = None,
         commands: Sequence[str] = ()) -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    data = {"name": name, "when": datetime.datetime.now().isoformat(timespec="seconds"),
            "machine": machine(), "argv": sys.argv, "rows": [r.as_dict() for r in rows],
            "commands": list(commands), "extra": extra or {}}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return path


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# ---- serving the simulated portals ---------------------------------------------------------

class Served:
    """`python -m simportals serve` in a child process, with the registry rewritten for
    benchmarks: page budgets lifted, optional per-host concurrency and delay."""

    def __init__(self, scale: int, latency: float = 0.0, hosts: int = 4, workdir: Path | None = None,
                 concurrency: int | None = None, download_delay: float | None = None) -> None:
        self.scale, self.latency, self.n_hosts = scale, latency, hosts
        self.concurrency, self.download_delay = concurrency, download_delay
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="nianbao-bench-"))
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.proc: subprocess.Popen | None = None
        self.ready: dict = {}
        self.registry = self.workdir / "registry.toml"
        self.argv = [PY, "-m", "simportals", "serve", "--scale", str(scale), "--latency", str(latency),
                     "--hosts", str(hosts), "--quiet", "--registry-out", str(self.workdir / "registry-served.toml")]
        self.command = quote(self.argv)

    def __enter__(self) -> Served:
        self.proc = subprocess.Popen(self.argv, cwd=ROOT, env=env(), stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line.startswith("{"):
            self.close()
            raise RuntimeError(f"simportals did not start: {line!r}")
        self.ready = json.loads(line)
        text = (self.workdir / "registry-served.toml").read_text(encoding="utf-8")
        self.registry.write_text(self._tune(text), encoding="utf-8")
        return self

    def _tune(self, text: str) -> str:
        extra = ["max_pages = 10000000", "max_listing_pages = 1000000"]
        if self.concurrency:
            extra.append(f"concurrency = {self.concurrency}")
        if self.download_delay is not None:
            extra.append(f"download_delay = {self.download_delay}")
        return text.replace("[[portal]]\n", "[[portal]]\n" + "\n".join(extra) + "\n")

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    @property
    def hosts(self) -> list[str]:
        """host:port of every registry portal (the spam mirror excluded)."""
        return [h for name, h in self.ready["hosts"].items() if name != "mirror"]

    def start_urls(self) -> list[str]:
        return re.findall(r'^start_urls = \["([^"]+)"\]', self.registry.read_text(encoding="utf-8"),
                          flags=re.M)

    def close(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()
        self.proc = None

    def __exit__(self, *exc: Any) -> None:
        self.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far."""
    try:
        f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


# ---- running processes ----------------------------------------------------------------------

def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    out = []
    with contextlib.suppress(OSError):
        for tid in os.listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(OSError):
                out += [int(x) for x in Path(f"/proc/{pid}/task/{tid}/children").read_text().split()]
    return out


def pss_kb(pid: int) -> int:
    """Proportional set size: resident memory with each shared page divided among the processes
    mapping it. Summed over processes, it is what they hold together (RSS counts a library
    loaded by three processes three times)."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0


def process_kind(pid: int, parent_kind: str = "crawl") -> str:
    """What a process of the crawl is, from its command line and its parent: `worker` (an
    extraction worker, spawned, or forked by the fork server), `forkserver`, `converter`
    (LibreOffice), `tracker` (multiprocessing's resource tracker) or `other`."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace")
    except OSError:
        return "other"
    if "soffice" in argv or "UserInstallation" in argv:
        return "converter"
    if parent_kind == "forkserver":
        return "worker"
    if "resource_tracker" in argv:
        return "tracker"
    if "forkserver" in argv:
        return "forkserver"
    if "spawn_main" in argv:
        return "worker"
    return "other"


def crawl_processes(pid: int, kind: str = "crawl") -> list[tuple[int, str]]:
    """The crawl process and every process under it (a worker's LibreOffice converter is a
    grandchild; forked workers are the fork server's children), each with its kind."""
    out = [(pid, kind)]
    for kid in children(pid):
        out += crawl_processes(kid, process_kind(kid, kind))
    return out


def memory_sample(pid: int) -> dict[str, Any]:
    """RSS and PSS (MB) of a process and of each of its descendants, by kind."""
    rows = [(p, kind, rss_kb(p) / 1024, pss_kb(p) / 1024) for p, kind in crawl_processes(pid)]
    return {"procs": [[p, kind, round(rss, 1), round(pss, 1)] for p, kind, rss, pss in rows if rss],
            "whole_rss_mb": round(sum(r[2] for r in rows), 1), "whole_pss_mb": round(sum(r[3] for r in rows), 1)}


@dataclass
class Run:
    command: list[str]
    wall: float
    returncode: int
    stats: dict[str, Any]
    stdout: str
    samples: list[dict[str, Any]] = field(default_factory=list)
    rusage: dict[str, float] = field(default_factory=dict)  # the process and its reaped children (wait4)

    @property
    def elapsed(self) -> float:
        """Spider open → close (Scrapy's elapsed_time_seconds), else wall time."""
        return float(self.stats.get("elapsed_time_seconds") or self.wall)

    @property
    def responses(self) -> int:
        return int(self.stats.get("downloader/response_count", 0))

    @property
    def pages_per_s(self) -> float:
        return self.responses / self.elapsed if self.elapsed else float("nan")

    @property
    def wall_pages_per_s(self) -> float:
        return self.responses / self.wall if self.wall else float("nan")


def run_process(cmd: Sequence[str], timeout: float, sampler: Callable[[int, float], dict | None] | None = None,
                sample_every: float = 1.0, cwd: Path = ROOT, stdout_path: Path | None = None) -> tuple[float, int, str, list[dict], dict[str, float]]:
    """Run a command to completion (killed at `timeout`), sampling it on a thread."""
    samples: list[dict] = []
    out_fh = open(stdout_path, "w+") if stdout_path else tempfile.TemporaryFile("w+")
    started = time.monotonic()
    proc = subprocess.Popen(list(cmd), cwd=cwd, env=env(), stdout=out_fh, stderr=subprocess.STDOUT, text=True)
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(sample_every):
            if sampler is not None:
                s = sampler(proc.pid, time.monotonic() - started)
                if s:
                    samples.append(s)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    rc, usage = wait_with_rusage(proc, timeout)
    if rc is None:
        proc.kill()
        rc, usage = wait_with_rusage(proc, None)
        log(f"TIMEOUT after {timeout:.0f}s: {shlex.join(cmd)}")
    wall = time.monotonic() - started
    stop.set()
    t.join(timeout=5)
    out_fh.seek(0)
    text = out_fh.read()
    out_fh.close()
    return wall, rc, text, samples, usage


def wait_with_rusage(proc: subprocess.Popen, timeout: float | None) -> tuple[int | None, dict[str, float]]:
    """Reap a child with wait4: its exit code and its own rusage plus that of every descendant
    it reaped (a crawl's extraction workers), as CPU seconds and peak RSS. (None, {}) on timeout."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        pid, status, ru = os.wait4(proc.pid, 0 if deadline is None else os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return proc.returncode, {"cpu_s": ru.ru_utime + ru.ru_stime, "user_s": ru.ru_utime,
                                     "sys_s": ru.ru_stime, "maxrss_kb": ru.ru_maxrss}
        if deadline is not None and time.monotonic() > deadline:
            return None, {}
        time.sleep(0.02)


_STATS_START = re.compile(r"\[scrapy\.statscollectors\] INFO: Dumping Scrapy stats:\n")


def scrapy_stats(log_text: str) -> dict[str, Any]:
    """The last 'Dumping Scrapy stats' dict of a Scrapy log."""
    starts = list(_STATS_START.finditer(log_text))
    if not starts:
        return {}
    rest = log_text[starts[-1].end():]
    end = re.search(r"\}\n(?=\d{4}-\d\d-\d\d |\Z)", rest)
    blob = rest[:end.end()] if end else rest
    try:
        return eval(blob, {"__builtins__": {}, "datetime": datetime})  # noqa: S307 - our own log
    except Exception:
        return {}


def nianbao_crawl(registry: Path, data: Path, settings: dict[str, str] | None = None, timeout: float = 3600,
                  sampler: Callable[[int, float], dict | None] | None = None, sample_every: float = 1.0,
                  prefix: Sequence[str] = (), fresh: bool = True) -> Run:
    """`nianbao crawl` into a fresh DATA directory (or, not `fresh`, again into DATA: the
    schedule's next run), in a subprocess."""
    if fresh:
        shutil.rmtree(data, ignore_errors=True)
    cmd = [*prefix, NIANBAO, "crawl", "--portals", str(registry), "--data", str(data)]
    for k, v in (settings or {}).items():
        cmd += ["-s", f"{k}={v}"]
    wall, rc, out, samples, usage = run_process(cmd, timeout, sampler, sample_every)
    logfile = data / "logs" / "crawl.log"
    stats = scrapy_stats(logfile.read_text(encoding="utf-8", errors="replace")) if logfile.exists() else {}
    if rc != 0:
        log(f"nianbao crawl exited {rc}: {out[-2000:]}")
    return Run(cmd, wall, rc, stats, out, samples, usage)


def nianbao_replay(data: Path, to_db: Path, timeout: float = 3600) -> Run:
    to_db.unlink(missing_ok=True)
    cmd = [NIANBAO, "replay", "--data", str(data), "--to", str(to_db)]
    logfile = data / "logs" / "replay.log"
    logfile.unlink(missing_ok=True)
    wall, rc, out, samples, usage = run_process(cmd, timeout)
    stats = scrapy_stats(logfile.read_text(encoding="utf-8", errors="replace")) if logfile.exists() else {}
    if rc != 0:
        log(f"nianbao replay exited {rc}: {out[-2000:]}")
    return Run(cmd, wall, rc, stats, out, samples, usage)


BASELINE_SETTINGS = {
    # what `nianbao crawl` uses on loopback portals (crawler/run.py: delay 0, 8 per host)
    "CONCURRENT_REQUESTS": "32",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "ROBOTSTXT_OBEY": "True",
    "LOG_LEVEL": "INFO",
    "TELNETCONSOLE_ENABLED": "False",
}


def baseline_crawl(registry: Path, workdir: Path, settings: dict[str, str] | None = None,
                   timeout: float = 3600) -> Run:
    """The bare Scrapy spider (benchmarks/baseline_spider.py) over the same registry."""
    workdir.mkdir(parents=True, exist_ok=True)
    logfile = workdir / "baseline.log"
    logfile.unlink(missing_ok=True)
    cmd = [str(VENV_BIN / "scrapy"), "runspider", str(BENCH / "baseline_spider.py"), "-a", f"registry={registry}",
           "-s", f"LOG_FILE={logfile}"]
    for k, v in {**BASELINE_SETTINGS, **(settings or {})}.items():
        cmd += ["-s", f"{k}={v}"]
    wall, rc, out, samples, usage = run_process(cmd, timeout, cwd=workdir)
    stats = scrapy_stats(logfile.read_text(encoding="utf-8", errors="replace")) if logfile.exists() else {}
    if rc != 0:
        log(f"baseline exited {rc}: {out[-2000:]}")
    return Run(cmd, wall, rc, stats, out, samples, usage)


def cleanup(work: Path) -> None:
    """Remove a benchmark's temporary directory (set NIANBAO_BENCH_KEEP=1 to keep it)."""
    if os.environ.get("NIANBAO_BENCH_KEEP"):
        log(f"kept {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)


def rounds(n: int, fn: Callable[[int], Any]) -> Iterator[Any]:
    for k in range(n):
        yield fn(k)


def du(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def ratio(a: float, b: float) -> float | None:
    return a / b if b else None


def quote(cmd: Sequence[str]) -> str:
    """A command for RESULTS.md: repo-relative, temp paths shown as placeholders."""
    s = shlex.join(str(c) for c in cmd)
    s = s.replace(str(VENV_BIN) + "/", ".venv/bin/").replace(str(ROOT) + "/", "")
    return re.sub(r"/tmp/nianbao-bench-[\w]+", "$TMP", s)


# ---- CPU per page and the bound it sets ----------------------------------------------------------

@dataclass
class CpuBudget:
    """CPU milliseconds per page of each part of a crawl, from each process's own rusage, and
    the best rate the machine's cores allow for that work.

    Parts: `scrapy` is the bare Scrapy spider's process (the same pages, nothing else);
    `crawl_archive` nianbao's crawl process without extraction or catalogue (its spider,
    middlewares and WARC capture); `catalogue` what the end-to-end crawl process spends on top
    of that (catalogue writing, template lines, handing pages to workers); `extraction` the
    extraction workers; `server` the simulated portals, which share the machine."""

    pages: int
    scrapy: float
    crawl_archive: float
    catalogue: float
    extraction: float
    server: float
    crawl_peak_rss_mb: float = 0.0
    workers_peak_rss_mb: float = 0.0

    @property
    def total(self) -> float:
        """CPU ms per page of the whole end-to-end run: crawl process, workers, server."""
        return self.crawl_archive + self.catalogue + self.extraction + self.server

    def bound(self, cores: int, workers: int) -> float:
        """Pages/s the cores allow: all of them busy (cores ÷ total), and no process beyond
        its own share: the crawl process one core, the workers `workers` cores together."""
        limits = [cores * 1000 / self.total, 1000 / (self.crawl_archive + self.catalogue)]
        if self.extraction > 0:
            limits.append(min(workers, cores) * 1000 / self.extraction)
        return min(limits)

    def describe(self, cores: int, workers: int) -> str:
        return (f"CPU ms/page: bare Scrapy {self.scrapy:.2f}; nianbao crawl+WARC {self.crawl_archive:.2f}, "
                f"+ catalogue {self.catalogue:.2f}, extraction {self.extraction:.2f}, portal server "
                f"{self.server:.2f} = {self.total:.2f} → CPU bound {self.bound(cores, workers):.0f} p/s "
                f"({cores} cores ÷ total {cores * 1000 / self.total:.0f}, crawl process alone "
                f"{1000 / (self.crawl_archive + self.catalogue):.0f}); peak RSS crawl process "
                f"{self.crawl_peak_rss_mb:.0f} MB, largest worker {self.workers_peak_rss_mb:.0f} MB")

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "total": self.total}


def process_cpu(run: Run) -> tuple[float, float, float, float]:
    """(crawl process CPU s, workers CPU s, crawl process peak RSS MB, largest worker's) of a run:
    the crawl's own record (`nianbao/resources`), else the reaped process tree's rusage."""
    own = run.stats.get("nianbao/resources") or {}
    if own:
        return (own["crawl_cpu_s"], own["workers_cpu_s"], own["crawl_peak_rss_mb"], own["workers_peak_rss_mb"])
    return run.rusage.get("cpu_s", float("nan")), 0.0, run.rusage.get("maxrss_kb", 0) / 1024, 0.0


def cpu_budget(baseline: Run, archive: Run, e2e: Run, server_cpu_s: float) -> CpuBudget:
    """The per-page CPU of each part, from three runs over the same pages (server CPU: during e2e)."""
    pages = e2e.responses or 1
    base_cpu = process_cpu(baseline)[0]
    arch_cpu = process_cpu(archive)[0]
    crawl_cpu, workers_cpu, crawl_rss, workers_rss = process_cpu(e2e)
    ms = 1000 / pages
    return CpuBudget(pages, base_cpu * 1000 / (baseline.responses or 1), arch_cpu * 1000 / (archive.responses or 1),
                     crawl_cpu * ms - arch_cpu * 1000 / (archive.responses or 1), workers_cpu * ms,
                     server_cpu_s * ms, crawl_rss, workers_rss)


@contextlib.contextmanager
def server_cpu(served: Served) -> Iterator[dict[str, float]]:
    """CPU seconds the portal server spent inside the block: `with server_cpu(s) as c: …; c["s"]`."""
    out: dict[str, float] = {}
    start = cpu_seconds(served.pid)
    try:
        yield out
    finally:
        out["s"] = cpu_seconds(served.pid) - start
