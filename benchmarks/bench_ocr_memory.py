"""OCR worker memory (issue 18): peak RSS and seconds per page of an extraction worker that
reads a scanned report, with the accuracy bench_documents scores, in a fresh process per case.

    .venv/bin/python benchmarks/bench_ocr_memory.py [--rounds 3] [--before /path/to/checkout]

Cases, each the report as the simulated portals serve it (simportals/attachments.py), read by
`extract_page` as a crawl's extraction worker reads it:

* scan: the testbed's scanned report, a PDF of one 200 dpi greyscale JPEG a page (no text layer);
* jpg: the testbed's JPG report, its pages stacked in one long JPG (a 长图).

Baseline, in the same run: a process that imports extract and loads the OCR engine and reads
nothing (what every OCR'ing worker holds before its first page). With --before, every case also
runs against another checkout (e.g. the main branch) in the same rounds, alternating, so the
before and after figures share the machine's load.

Peak = the child's VmHWM (/proc/self/status; its `ru_maxrss`, also recorded, starts at the RSS
of the parent it was forked from, which Linux carries over exec); seconds = `extract_page` wall time ÷ pages, and its CPU time
(user + system: steadier than wall time on a machine shared with other work); accuracy = keyed
statistics cells right (against the report's HTML rendering, as bench_documents), sentences
found whole in the text, and fields (title, year, agency, region code and level) as the truth. NIANBAO_OCR_CACHE is unset in the children. Writes
benchmarks/results/ocr_memory.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PY, ROOT, fmt, log, med, save  # noqa: E402

CASES = {"scan": ("application/pdf", "P020240101.pdf"), "jpg": ("image/jpeg", "P020240101.jpg")}


# ---- the child: one case in a fresh process ------------------------------------------------

def child(case: str, body_path: str | None) -> dict:
    """Runs in the fresh process: load (baseline) or read one document; figures as a dict."""
    import resource

    def rss_mb() -> float:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

    def peak_mb() -> float:
        """VmHWM, this process's own peak: ru_maxrss starts at the forked parent's RSS."""
        status = Path("/proc/self/status").read_text()
        return int(re.search(r"VmHWM:\s*(\d+) kB", status).group(1)) / 1024

    from extract import extract_page

    if case == "engine":
        from extract.ocr import new_engine

        engine = new_engine()
        assert engine is not None
        return {"rss_mb": rss_mb(), "peak_mb": peak_mb(),
                "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    mime, name = CASES[case]
    body = Path(body_path).read_bytes()
    start, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
    page = extract_page(body, url=f"http://x.gov.cn/{name}", headers=[("Content-Type", mime)])
    seconds, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return {"peak_mb": peak_mb(), "maxrss_mb": after.ru_maxrss / 1024, "rss_mb": rss_mb(),
            "seconds": seconds, "cpu": cpu,
            "cells": [[c.table, c.row_key, c.col_key, c.value] for c in page.cells if c.row_key],
            "text": page.text, "fields": [page.title, page.year, page.agency, page.region.code,
                                          page.region.level]}


def run_child(code: Path, case: str, body_path: Path | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "NIANBAO_OCR_CACHE"}
    env["PYTHONPATH"] = str(code)
    argv = [PY, str(Path(__file__).resolve()), "--child", case, "--body", str(body_path or "")]
    out = subprocess.run(argv, cwd=code, env=env, capture_output=True, text=True, check=True, timeout=900)
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---- the parent: documents, rounds, scores, table ------------------------------------------

def documents(work: Path) -> dict[str, tuple[object, object, Path, int]]:
    """Per case: the report's spec, its truth, the attachment written to a file, its pages."""
    from simportals import build_testbed
    from simportals.attachments import _page_images, jpg_bytes, scan_pdf_bytes

    tb = build_testbed()
    specs = {s.key: s for s in tb.specs}
    out = {}
    for case, make in (("scan", scan_pdf_bytes), ("jpg", jpg_bytes)):
        truth = next(t for t in tb.reports if t.published_as == case)
        spec = specs[truth.key]
        path = work / CASES[case][1]
        path.write_bytes(make(spec))
        out[case] = (spec, truth, path, len(_page_images(spec)))
    return out


def accuracy(spec, truth, result: dict) -> tuple[str, str, str]:
    """Keyed cells right, sentences whole and fields right, as bench_documents scores them."""
    sys.path.insert(0, str(ROOT))
    from bench_documents import reference, sentence_causes, sentences

    want = reference(spec)
    got = {(t, r, c): v for t, r, c, v in result["cells"]}
    right = sum(1 for k, v in want.items() if got.get(k) == v)
    whole = sentence_causes(spec, result["text"])["whole"]
    expected = [truth.title, truth.year, truth.agency, truth.region.get("code"), truth.region.get("level")]
    fields = sum(a == b for a, b in zip(result["fields"], expected, strict=True))
    return f"{right}/{len(want)}", f"{whole}/{len(sentences(spec))}", f"{fields}/{len(expected)}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", type=Path, help="another checkout, run in the same rounds")
    parser.add_argument("--cases", nargs="*", default=list(CASES), choices=list(CASES))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--body", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.body), ensure_ascii=False))
        return
    codes = {"after": ROOT} | ({"before": args.before.resolve()} if args.before else {})
    runs: dict[tuple[str, str], list[dict]] = {}
    with tempfile.TemporaryDirectory(prefix="nianbao-ocrmem-") as tmp:
        docs = documents(Path(tmp))
        for n in range(args.rounds):
            for case in ["engine", *args.cases]:
                for label, code in codes.items():
                    result = run_child(code, case, docs[case][2] if case in docs else None)
                    runs.setdefault((label, case), []).append(result)
                    log(f"round {n + 1} {label} {case}: peak {result['peak_mb']:.0f} MB"
                        + (f", {result['seconds'] / docs[case][3]:.1f} s/page" if case in docs else ""))
    rows = report(docs, runs, codes, args.cases)
    save("ocr_memory", [], extra={"rows": rows, "codes": {k: str(v) for k, v in codes.items()}},
         commands=[" ".join(sys.argv)])


def report(docs: dict, runs: dict, codes: dict, cases: list[str]) -> list[dict]:
    """The markdown table: per case and checkout, median peak, s/page and accuracy."""
    rows = []
    for case in ["engine", *cases]:
        for label in codes:
            results = runs[(label, case)]
            row = {"case": case, "code": label, "peak_mb": med([r["peak_mb"] for r in results]),
                   "rss_after_mb": med([r["rss_mb"] for r in results])}
            if case != "engine":
                spec, truth, _path, pages = docs[case]
                row["pages"] = pages
                row["s_per_page"] = med([r["seconds"] / pages for r in results])
                row["cpu_s_per_page"] = med([r["cpu"] / pages for r in results])
                scores = {accuracy(spec, truth, r) for r in results}
                row["cells"], row["sentences"], row["fields"] = sorted(scores)[0]
                row["deterministic"] = len(scores) == 1
            rows.append(row)
    base = {r["code"]: r["peak_mb"] for r in rows if r["case"] == "engine"}
    print(f"\n{len(runs[next(iter(runs))])} rounds (medians)\n")
    print("| case | code | peak RSS | over engine loaded | RSS after | s/page | CPU s/page | cells right | "
          "sentences whole | fields right |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        label = "engine loaded, nothing read (baseline)" if r["case"] == "engine" else \
            f"{r['case']} ({r['pages']} pages)"
        over = "–" if r["case"] == "engine" else f"+{r['peak_mb'] - base[r['code']]:.0f} MB"
        print(f"| {label} | {r['code']} | {r['peak_mb']:.0f} MB | {over} | {r['rss_after_mb']:.0f} MB | "
              f"{fmt(r.get('s_per_page'), 2)} | {fmt(r.get('cpu_s_per_page'), 2)} | {r.get('cells', '–')} | {r.get('sentences', '–')} | "
              f"{r.get('fields', '–')} |")
    return rows


if __name__ == "__main__":
    main()
