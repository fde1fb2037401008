"""Hostile inputs of the crawl side of issue 11: time, peak memory and what was lost, each
against the clean case in the same run.

    .venv/bin/python benchmarks/bench_hostile.py

Cases: off-portal redirects (another loopback address, another port, localhost, the spam
mirror, credentials), an unchanged re-crawl with max_pages exactly what a clean crawl
fetched, the simulated pager trap (epoch 1), 22 bad registries, and pages nested 10,000 and
100,000 deep. Each crawl is a `nianbao crawl` subprocess; peak memory is its ru_maxrss
(with its extraction workers) from os.wait4. Figures go to benchmarks/results/hostile.json.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import RESULTS_DIR, env, machine  # noqa: E402

NIANBAO = [sys.executable, "-m", "crawler"]


def measured(cmd: list[str]) -> tuple[float, float, int, str]:
    """(seconds, peak RSS in MB, exit code, stdout) of one subprocess and its children."""
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.monotonic() - started, usage.ru_maxrss / 1024, proc.returncode, out


def crawl(registry: Path, data: Path, *extra: str) -> tuple[float, float, int, str]:
    return measured([*NIANBAO, "crawl", "--portals", str(registry), "--data", str(data), *extra,
                     "-s", "BACKOFF_MAX_DELAY=2"])


def still_at(running, epoch: int) -> None:
    """The epoch control URL answers any loopback client: on a shared machine another suite's
    stale port can move our testbed. Such a run is void."""
    url = running.url_for(running.tb.portals[0].name, "/__simportals__/epoch")
    with urllib.request.urlopen(url, timeout=10) as answer:
        now = json.loads(answer.read())["epoch"]
    if now != epoch:
        raise RuntimeError(f"testbed moved to epoch {now} by another process: run again")


def run_row(data: Path, n: int = -1) -> dict:
    import sqlite_utils

    rows = list(sqlite_utils.Database(data / "catalogue.db")["crawl_runs"].rows)
    return rows[n]


def reports(data: Path) -> int:
    import sqlite_utils

    return sqlite_utils.Database(data / "catalogue.db")["reports"].count


def crawl_cases(work: Path) -> list[dict]:
    from simportals import build_testbed, serve_testbed

    out = []
    testbed = build_testbed()
    truth = len(testbed.reports)
    with serve_testbed(testbed) as running:
        registry = work / "portals.toml"
        registry.write_text(running.registry_toml(), encoding="utf-8")
        secs, mb, code, _ = crawl(registry, work / "a")
        still_at(running, 0)
        out.append(dict(case="clean crawl (baseline)", seconds=secs, peak_mb=mb, lost=f"{truth - reports(work / 'a')} of {truth} reports"))
        fetched = {p.name: sum(1 for _, path, _ in running.request_log(p.name) if path != "/robots.txt")
                   for p in testbed.portals}
        tight = work / "tight.toml"
        tight.write_text(re.sub(r'^name = "([^"]+)"$', lambda m: f"{m.group(0)}\nmax_pages = {fetched[m.group(1)]}",
                                registry.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
        secs, mb, code, _ = crawl(tight, work / "a")
        still_at(running, 0)
        run = run_row(work / "a")
        out.append(dict(case="unchanged re-crawl, max_pages = what the clean crawl fetched", seconds=secs, peak_mb=mb,
                        lost=f"{truth - run['reports_unchanged']} of {truth} reports; warnings {json.loads(run['warnings'])}"))
        running.set_epoch(1)
        before = len(running.request_log("xinqi"))
        secs, mb, code, _ = crawl(registry, work / "a")
        pager = running.tb.evolution()["pager_trap"]
        trap = sum(1 for _, path, _ in running.request_log("xinqi")[before:]
                   if (m := re.search(r"\?page=(\d+)$", path)) and int(m.group(1)) > pager["last_page"])
        out.append(dict(case="pager trap (epoch 1): listing fetches spent in the trap", seconds=secs, peak_mb=mb,
                        lost=f"{trap} trap fetches (max_listing_pages = 200 before); "
                             f"warnings {json.loads(run_row(work / 'a')['warnings'])}"))
    testbed = build_testbed()
    single = [t for t in testbed.reports if len(t.locations) == 1 and t.published_as == "html"]
    with serve_testbed(testbed) as running:
        host = running.tb.hosts
        targets = ["http://127.0.0.2:9/report.html", "http://127.0.0.1:9/report.html", "http://localhost:9/report.html",
                   f"http://{running.mirror_netloc}/report.html"]
        picks = single[:5]
        for truth_report, to in zip(picks, [*targets, None], strict=True):
            portal, path = truth_report.locations[0]
            running.redirect(portal, path, to or f"http://user:secret@{host[portal]}/report.html")
        registry = work / "redirects.toml"
        registry.write_text(running.registry_toml(), encoding="utf-8")
        secs, mb, code, _ = crawl(registry, work / "r")
        still_at(running, 0)
        run = run_row(work / "r")
        mirror_hits = sum(1 for _, p, _ in running.request_log("mirror") if p == "/report.html")
        out.append(dict(case="5 report URLs answer 302 off the portal", seconds=secs, peak_mb=mb,
                        lost=f"{len(testbed.reports) - 5 - reports(work / 'r')} other reports; refused {run['refused']}, "
                             f"redirect targets fetched {mirror_hits}"))
    return out


def registry_cases(work: Path) -> dict:
    from tests.crawler.test_registry_cli import CASES, GOOD

    times, peaks, written = [], [], 0
    for name, (text, _) in [*CASES.items(), ("gbk", (GOOD, None))]:
        registry = work / f"bad-{name}.toml"
        registry.write_bytes(text.encode("gbk" if name == "gbk" else "utf-8"))
        data = work / f"bad-{name}"
        secs, mb, code, _ = measured([*NIANBAO, "crawl", "--portals", str(registry), "--data", str(data)])
        assert code == 2, (name, code)
        times.append(secs)
        peaks.append(mb)
        written += data.exists()
    return dict(case=f"{len(times)} bad registries (each refused, exit 2)", seconds=max(times), peak_mb=max(peaks),
                lost=f"data directories written: {written}")


DEEP = """
import resource, sys, time
from extract import extract_page
depth = int(sys.argv[1])
p = "".join(f"<p>第{i}项：本机关严格按照《中华人民共和国政府信息公开条例》要求，全面推进政务公开工作。</p>"
            for i in range(50))
body = ("<html><body>" + "<div>" * depth + "<h1>某县2023年政府信息公开工作年度报告</h1>" + p + "</div>" * depth
        + "</body></html>").encode()
t = time.perf_counter(); page = extract_page(body, url="http://x.gov.cn/a.html"); t = time.perf_counter() - t
print(t, page.text.count("全面推进政务公开工作"), len(page.warnings))
"""


def deep_cases() -> list[dict]:
    out = []
    for depth in (10, 10_000, 100_000):
        secs, mb, code, stdout = measured([sys.executable, "-c", DEEP, str(depth)])
        extract_secs, paragraphs, warnings = stdout.split()
        out.append(dict(case=f"page nested {depth:,} deep" + (" (baseline)" if depth == 10 else ""),
                        seconds=float(extract_secs), peak_mb=mb,
                        lost=f"{50 - int(paragraphs)} of 50 paragraphs; warnings {warnings}"))
    return out


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="nianbao-hostile-") as tmp:
        work = Path(tmp)
        rows = crawl_cases(work) + [registry_cases(work)] + deep_cases()
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "hostile.json").write_text(json.dumps({"machine": machine(), "rows": rows}, ensure_ascii=False,
                                                         indent=1), encoding="utf-8")
    print("| hostile input | time (s) | peak RSS (MB) | lost |\n|---|---|---|---|")
    for r in rows:
        print(f"| {r['case']} | {r['seconds']:.2f} | {r['peak_mb']:.0f} | {r['lost']} |")


if __name__ == "__main__":
    main()
