"""Hostile inputs to the archive side (issue 11): each one built here, run through the real
`nianbao` commands, with wall time, peak memory (max RSS of the command and its workers) and
what was lost, against the same commands on the clean archive in the same run.

    .venv/bin/python benchmarks/bench_hostile_archive.py [--bomb-gib 10]

Writes the "Hostile inputs" section at the end of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.reader import iter_records, read_record_at  # noqa: E402
from archive.verify import gzip_members  # noqa: E402
from simportals import build_testbed, serve_testbed  # noqa: E402
from simportals.hostile import write_bomb_warc  # noqa: E402

RESULTS = ROOT / "benchmarks" / "RESULTS.md"
START, END = "<!-- bench:hostile-archive:start -->", "<!-- bench:hostile-archive:end -->"
NOTE = ("Before this work: replay, resume and extraction read the bomb whole (the warcio baseline row: MemoryError at 4 GiB); a damaged gzip header could hide every record after it (found by the property test); `export` peaked at 8,318 MB (`wacz validate`'s frictionless check inflates each WARC whole; now the descriptor only). The bombed rows' time is inflating the 4 GiB member in full (member walk, then warcio), on a machine shared with other builds (load in the header).")
MEASURE = """
import json, resource, subprocess, sys, time
t = time.monotonic()
rc = subprocess.run(sys.argv[2:], env=json.loads(sys.argv[1]), stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL).returncode
print(json.dumps({"seconds": time.monotonic() - t, "rc": rc,
                  "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def nianbao(*args: str) -> list[str]:
    return [sys.executable, "-m", "crawler", *args]


def measure(cmd: list[str], extra_env: dict[str, str] | None = None) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(extra_env or {})}
    out = subprocess.run([sys.executable, "-c", MEASURE, json.dumps(env), *cmd], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def counts(db: Path) -> tuple[int, int, int]:
    conn = sqlite3.connect(db)
    try:
        return tuple(conn.execute(q).fetchone()[0] for q in (  # type: ignore[return-value]
            "select count(*) from reports", "select count(*) from captures",
            "select count(*) from captures where page_kind = 'too_large'"))
    finally:
        conn.close()


def row(name: str, command: str, m: dict, lost: str) -> str:
    return f"| {name} | {m['seconds']:.1f} s | {m['peak_mb']:.0f} MB | {lost} | `{command}` |"


def shown(cmd: list[str], tmp: Path) -> str:
    return " ".join(["nianbao", *cmd[3:]]).replace(str(tmp), "$T")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bomb-gib", type=int, default=10, help="inflated size of the gzip bomb")
    parser.add_argument("--member-gib", type=int, default=4, help="inflated size of the huge WARC member")
    args = parser.parse_args()
    rows: list[str] = []
    tmp = Path(tempfile.mkdtemp(prefix="bench-hostile-archive-"))
    testbed = build_testbed()
    with serve_testbed(testbed) as running:
        registry = tmp / "portals.toml"
        registry.write_text(running.registry_toml(), encoding="utf-8")
        clean = tmp / "clean"
        crawl = nianbao("crawl", "--portals", str(registry), "--data", str(clean))
        m = measure(crawl)
        reports, captures, _ = counts(clean / "catalogue.db")
        rows.append(row("baseline: crawl of the simulated portals", shown(crawl, tmp), m,
                        f"{reports} reports, {captures} captures"))
        cmd = nianbao("replay", "--data", str(clean), "--to", str(tmp / "clean-replay.db"))
        rows.append(row("baseline: replay of the clean archive", shown(cmd, tmp), measure(cmd),
                        f"{counts(tmp / 'clean-replay.db')[0]} reports"))

        # Gzip bombs the downloader archived: Content-Encoding gzip, and one huge WARC member.
        bombed = tmp / "bombed"
        shutil.copytree(clean, bombed)
        urls = sorted(r for (r,) in sqlite3.connect(clean / "catalogue.db").execute(
            "select url from reports where published_as = 'html'"))[:2]
        started = time.monotonic()
        write_bomb_warc(bombed / "warc", {urls[0]: "gzip"}, args.bomb_gib * 1024)
        write_bomb_warc(bombed / "warc", {urls[1]: "member"}, args.member_gib * 1024)
        built = time.monotonic() - started
        size = sum(p.stat().st_size for p in (bombed / "warc").glob("*-bomb.warc.gz")) / 1e6
        rows.append(f"| (inputs: {args.bomb_gib} GiB gzip bomb + {args.member_gib} GiB WARC member, "
                    f"{size:.1f} MB on disk, built in {built:.1f} s) | | | | `simportals.hostile.write_bomb_warc` |")
        cmd = nianbao("replay", "--data", str(bombed), "--to", str(tmp / "bombed-replay.db"))
        m = measure(cmd)
        r, c, big = counts(tmp / "bombed-replay.db")
        rows.append(row("replay of the bombs", shown(cmd, tmp), m,
                        f"the 2 bombed pages catalogued as too large ({big}); {r} reports = {reports} − 2, "
                        f"{c} captures: nothing else"))
        cmd = nianbao("verify", "--data", str(bombed))
        m = measure(cmd)
        rows.append(row("verify of the bombs (digests over every inflated byte)", shown(cmd, tmp), m,
                        f"exit {m['rc']}: nothing"))
        cmd = nianbao("export", "--data", str(bombed), "--wacz", str(tmp / "bombs.wacz"))
        m = measure(cmd)
        rows.append(row("export of the bombs as WACZ", shown(cmd, tmp), m, f"exit {m['rc']}: nothing"))
        resumed = tmp / "resumed"
        shutil.copytree(bombed, resumed)
        with sqlite3.connect(resumed / "catalogue.db") as conn:
            conn.execute("update crawl_runs set status = 'running', finished = null")
        cmd = nianbao("crawl", "--portals", str(registry), "--data", str(resumed))
        m = measure(cmd)
        r, c, big = counts(resumed / "catalogue.db")
        rows.append(row("resume of a run that archived the bombs", shown(cmd, tmp), m,
                        f"{big} captures too large; {r} reports (all), {c} captures: nothing"))
        rows.append(unbounded_read(bombed, urls[0]))

        # One gzip member corrupted in the middle of the WARC.
        damaged = tmp / "damaged"
        shutil.copytree(clean, damaged)
        lost_url = flip_report_member(damaged)
        cmd = nianbao("replay", "--data", str(damaged), "--force")
        m = measure(cmd)
        r, c, _ = counts(damaged / "catalogue.db")
        rows.append(row("replay over a corrupt gzip member (middle of the WARC)", shown(cmd, tmp), m,
                        f"1 record ({lost_url.rsplit('/', 1)[-1]}, named with file@offset): "
                        f"{reports - r} report, {captures - c} capture; old catalogue kept as .bak"))
        rows.append(mutated_warcs(clean))

        # Crashes at the checkpoint, with a simulated power cut.
        for point in ("after-fsync:3:power", "after-commit:3:power"):
            crashed = tmp / point.split(":")[0]
            cmd = nianbao("crawl", "--portals", str(registry), "--data", str(crashed),
                          "-s", "CATALOGUE_BATCH_ITEMS=10", "-s", "CONCURRENT_REQUESTS=2")
            m1 = measure(cmd, {"NIANBAO_TEST_CRASH": point})
            m2 = measure(cmd)
            r, c, _ = counts(crashed / "catalogue.db")
            rows.append(row(f"crash {point} (SIGKILL, unsynced bytes dropped), then the same crawl",
                            shown(cmd, tmp) + f" with NIANBAO_TEST_CRASH={point}",
                            {"seconds": m1["seconds"] + m2["seconds"], "peak_mb": max(m1["peak_mb"], m2["peak_mb"])},
                            f"exit {m1['rc']} then {m2['rc']}; {r} reports (all), {c} captures: nothing"))

        # A second writer on the same data directory.
        second = tmp / "second"
        first = subprocess.Popen(nianbao("crawl", "--portals", str(registry), "--data", str(second),
                                         "-s", "CONCURRENT_REQUESTS=1"), cwd=ROOT,
                                 env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, start_new_session=True)
        while (not (second / ".lock").exists() or not (second / ".lock").read_text()) and first.poll() is None:
            time.sleep(0.05)
        cmd = nianbao("crawl", "--portals", str(registry), "--data", str(second))
        m = measure(cmd)
        first.wait()
        r, _c, _ = counts(second / "catalogue.db")
        rows.append(row("a second crawl on a data directory in use", shown(cmd, tmp), m,
                        f"refused, exit {m['rc']}; the first crawl: {r} reports (all)"))
        os.killpg(first.pid, signal.SIGTERM) if first.poll() is None else None
    write_section(rows)
    shutil.rmtree(tmp, ignore_errors=True)


def unbounded_read(data: Path, url: str) -> str:
    """What reading the bomb whole (warcio's content_stream().read()) costs, under a 4 GiB cap."""
    code = f"""
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
from pathlib import Path
from warcio.archiveiterator import ArchiveIterator
for path in Path({str(data / 'warc')!r}).glob('*-bomb.warc.gz'):
    with open(path, 'rb') as fh:
        for record in ArchiveIterator(fh):
            if record.rec_headers.get_header('WARC-Target-URI') == {url!r}:
                try:
                    record.content_stream().read()
                except MemoryError:
                    sys.exit(3)
"""
    m = measure([sys.executable, "-c", code])
    return row("baseline: the same bomb read whole by warcio (`content_stream().read()`)",
               "python -c (benchmarks/bench_hostile_archive.py unbounded_read)", m,
               "MemoryError at the 4 GiB address-space cap" if m["rc"] == 3 else f"exit {m['rc']}")


def flip_report_member(data: Path) -> str:
    conn = sqlite3.connect(data / "catalogue.db")
    rows = conn.execute("select url, warc_filename, warc_offset from reports order by warc_offset").fetchall()
    conn.close()
    url, name, offset = rows[len(rows) // 2]
    path = data / "warc" / name
    (member,) = [m for m in gzip_members(path, lambda p: None) if m.offset == offset]
    raw = bytearray(path.read_bytes())
    for i in range(member.offset + member.length - 120, member.offset + member.length - 10, 3):
        raw[i] ^= 0x55
    path.write_bytes(bytes(raw))
    return url


def mutated_warcs(clean: Path, n: int = 300) -> str:
    """n random mutations (members dropped, duplicated, bytes flipped, cut) through the reader."""
    (path,) = (clean / "warc").glob("*.warc.gz")
    raw = path.read_bytes()
    members = gzip_members(path, lambda p: None)
    ids = [read_record_at(path, m.offset, lambda r: r.rec_headers.get_header("WARC-Record-ID")) for m in members]
    rng = random.Random(0)
    started, lost, records = time.monotonic(), 0, 0
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "m.warc.gz"
        for _ in range(n):
            order = list(range(len(members)))
            for _ in range(rng.randint(0, 3)):
                i = rng.choice(order)
                order.insert(order.index(i), i) if rng.random() < 0.5 else order.remove(i)
            parts = [bytearray(raw[members[i].offset:members[i].offset + members[i].length]) for i in order]
            hit = set(rng.sample(range(len(parts)), k=min(len(parts), rng.randint(0, 4))))
            for k in hit:
                parts[k][rng.randrange(len(parts[k]))] ^= rng.randint(1, 255)
            target.write_bytes(b"".join(parts))
            read = {r.rec_headers.get_header("WARC-Record-ID") for r, _o, _n in iter_records(target, lambda p: None)}
            records += len(read)
            lost += len({ids[order[k]] for k in range(len(parts)) if k not in hit} - read)
    seconds = time.monotonic() - started
    import resource
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return row(f"{n} mutated copies of the WARC ({len(members)} members) through the reader",
               "benchmarks/bench_hostile_archive.py mutated_warcs",
               {"seconds": seconds, "peak_mb": peak},
               f"{records} distinct records read; intact records not read: {lost}")


def write_section(rows: list[str]) -> None:
    import platform

    head = [START, "## Hostile inputs (issue 11, archive side): `benchmarks/bench_hostile_archive.py`", "",
            f"{os.cpu_count()} cores, Python {platform.python_version()}, load avg "
            + "/".join(f"{x:.1f}" for x in os.getloadavg()) + f", {time.strftime('%Y-%m-%d')}. "
            "Peak = max RSS of the command and its extraction workers. `$T` is the run's temp dir.",
            "", "| input | time | peak memory | lost | command |", "|---|---|---|---|---|"]
    section = "\n".join([*head, *rows, "", NOTE, END]) + "\n"
    text = RESULTS.read_text(encoding="utf-8")
    if START in text:
        text = text[:text.index(START)] + section + text[text.index(END) + len(END) + 1:]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text, encoding="utf-8")
    print(section)


if __name__ == "__main__":
    main()
