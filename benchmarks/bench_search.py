"""Benchmark: full-text search and the catalogue's text indexes at N reports, without an
hour-long crawl — the simulated portals crawled once (91 reports, some read by OCR), their
reports replicated in SQL to N.

    python benchmarks/bench_search.py [--reports 100000] [--reps 30] [--baseline TREE]

Each replica of a report gets a new id and URL; the two rarest issuers' names, and the rarest
among the issuers of OCR'd reports, are masked in the replicas (宁波市人民政府 → 某某市人民政府),
so they stay as rare as in bench_scale's 100,000-report crawl, where each is in one report. The OCR'd share stays the testbed's
(5 of 91). Timed, `--reps` times each, in a fresh process per code tree (this one, and
`--baseline`, e.g. a `git worktree` of an earlier commit, on the same file, read-only):
`Catalogue.search` for common terms, the rare names, the rare names with one character
misread (only the approximate pass can find those, and only in an OCR'd report: the third
name's), and a two-character term (a scan). Target < 20 ms median for terms of three
characters or more, as in bench_scale.

Also timed, in this process: marking every report listed (what each run does as it closes,
`ReportVersions.mark_listed`), with the text index's update trigger as this tree makes it and
as sqlite-utils made it before schema 6 (fired by any column, re-indexing every text).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import (  # noqa: E402
    PY,
    ROOT,
    SEARCH_COMMON,
    SEARCH_SHORT,
    Row,
    Served,
    cleanup,
    log,
    med,
    nianbao_crawl,
    pct,
    print_table,
    quote,
    rarest_agencies,
    save,
)

OLD_UPDATE_TRIGGER = """CREATE TRIGGER [reports_au] AFTER UPDATE ON [reports] BEGIN
  INSERT INTO [reports_fts] ([reports_fts], rowid, [title], [agency], [text]) VALUES('delete', old.rowid, old.[title], old.[agency], old.[text]);
  INSERT INTO [reports_fts] (rowid, [title], [agency], [text]) VALUES (new.rowid, new.[title], new.[agency], new.[text]);
END"""
TIMER = r"""
import json, sys, time
from catalogue.catalogue import Catalogue
path, reps, terms = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
cat = Catalogue.read_only(path)
cat.search(terms[0]); cat.search("预热预热预热")  # imports (regex) and the first page reads
out = {}
for term in terms:
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        hits = cat.search(term)
        times.append((time.perf_counter() - t) * 1000)
    out[term] = {"ms": times, "hits": len(hits), "approximate": sum(h["match"] == "approximate" for h in hits)}
print(json.dumps(out))
"""


def replicate(seed: Path, out: Path, n: int, rare: list[str]) -> int:
    """SEED's reports copied into OUT until it holds N, the rare names masked in the copies."""
    shutil.copy(seed, out)
    db = sqlite3.connect(out)
    try:
        columns = [r[1] for r in db.execute("pragma table_info(reports)")]

        def masked(column: str) -> str:
            expr = column
            for name in rare:
                expr = f"replace({expr}, '{name}', '某某{name[2:]}')"
            return expr

        select = {"id": "id || '-' || :k", "url": "url || '#copy' || :k",
                  **{c: masked(c) for c in ("title", "agency", "text")}}
        sql = (f"insert into reports ({', '.join(columns)}) select {', '.join(select.get(c, c) for c in columns)} "
               f"from seed.reports limit :room")
        db.execute("attach ? as seed", [str(seed)])
        k, count = 0, db.execute("select count(*) from reports").fetchone()[0]
        while count < n:
            k += 1
            db.execute(sql, {"k": str(k), "room": n - count})
            count = db.execute("select count(*) from reports").fetchone()[0]
            if k % 100 == 0:
                db.commit()
        db.commit()
        db.execute("detach seed")
        return count
    finally:
        db.close()


def time_searches(tree: Path, path: Path, reps: int, terms: list[str]) -> dict:
    env = {"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin", "PYTHONHASHSEED": "0"}
    done = subprocess.run([PY, "-c", TIMER, str(path), str(reps), json.dumps(terms, ensure_ascii=False)],
                          capture_output=True, text=True, env=env, cwd=tree, check=True)
    return json.loads(done.stdout)


def time_mark_listed(path: Path, old_trigger: bool) -> tuple[float, float]:
    """Seconds (wall, CPU) to mark every report of a copy of PATH listed, as a run's close does."""
    copy = path.with_name(path.stem + "-mark.db")
    shutil.copy(path, copy)
    db = sqlite3.connect(copy)
    try:
        db.execute("pragma cache_size = -16384")  # the crawl's CATALOGUE_CACHE_MB
        if old_trigger:
            db.execute("drop trigger reports_au")
            db.execute(OLD_UPDATE_TRIGGER)
            db.commit()
        wall, cpu = time.perf_counter(), time.process_time()
        db.execute("update reports set last_listed_run = 99")
        db.commit()
        return time.perf_counter() - wall, time.process_time() - cpu
    finally:
        db.close()
        copy.unlink()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reports", type=int, default=100_000)
    ap.add_argument("--reps", type=int, default=30)
    ap.add_argument("--baseline", type=Path, help="another code tree to time the same searches with")
    ap.add_argument("--keep", action="store_true", help="keep the work directory (its path is printed)")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    with Served(1, workdir=work) as served:
        log("crawling the simulated portals once (the seed)")
        crawl = nianbao_crawl(served.registry, work / "seed")
        commands = [served.command, quote(crawl.command)]
    seed = work / "seed" / "catalogue.db"
    with sqlite3.connect(seed) as db:
        rare = rarest_agencies(db, 2)
        rare += [name for name in rarest_agencies(db, 1, ocr_only=True) if name not in rare]
    path = work / "catalogue.db"
    t = time.perf_counter()
    n = replicate(seed, path, args.reports, rare)
    with sqlite3.connect(path) as db:
        ocr = db.execute("select count(*) from reports where ocr = 1").fetchone()[0]
    log(f"{n} reports ({ocr} read by OCR) in {time.perf_counter() - t:.0f}s; rare: {rare}")
    misread = [name[:2] + "彼" + name[3:] for name in rare]
    terms = SEARCH_COMMON + rare + misread + SEARCH_SHORT
    kinds = {**dict.fromkeys(SEARCH_COMMON, "common"), **dict.fromkeys(rare, "rare"),
             **dict.fromkeys(misread, "rare, misread"), **dict.fromkeys(SEARCH_SHORT, "2-char (scan)")}
    trees = {"this": ROOT, **({"baseline": args.baseline.resolve()} if args.baseline else {})}
    timed = {name: time_searches(tree, path, args.reps, terms) for name, tree in trees.items()}
    rows = []
    for term in terms:
        mine = timed["this"][term]
        base = timed.get("baseline", {}).get(term)
        trigram = len(term) >= 3
        m = med(mine["ms"])
        rows.append(Row("search", f"{kinds[term]}: {term}", mine["ms"], "ms", "baseline tree" if base else "",
                        base["ms"] if base else [], (m / med(base["ms"])) if base else None,
                        "< 20 ms" if trigram else "report", (m < 20) if trigram else None,
                        f"p95 {pct(mine['ms'], 95):.1f} ms; {mine['hits']} hits ({mine['approximate']} approximate)"
                        + (f"; baseline {base['hits']} hits ({base['approximate']} approximate)" if base else "")
                        + f"; {n} reports"))
    new_wall, new_cpu = time_mark_listed(path, old_trigger=False)
    old_wall, old_cpu = time_mark_listed(path, old_trigger=True)
    rows.append(Row("search", "marking every report listed (a run's close)", [new_wall], "s",
                    "update trigger fired by any column", [old_wall], new_wall / old_wall, "report", None,
                    f"CPU {new_cpu:.1f} s against {old_cpu:.1f} s; {n} reports"))
    print_table(rows)
    save("search", rows, {"reports": n, "ocr": ocr, "rare": rare, "trees": {k: str(v) for k, v in trees.items()},
                          "timed": timed}, commands)
    if args.keep:
        log(f"kept {work}")
    else:
        cleanup(work)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
