"""Benchmark 5: offline replay against the live crawl, and WARC reading against FastWARC.

    python benchmarks/bench_replay.py [--scale 18] [--rounds 3] [--quick]

Live: `nianbao crawl` end to end over the simulated portals (as in bench_crawl "e2e").
Replay: `nianbao replay --data DATA --to NEW.db` over the last live crawl's WARCs (no network;
same spider, same pipelines). pages/s = responses ÷ Scrapy's elapsed_time_seconds for both.
Target: replay ≥ 1.5× live.

Reading: every record of the same WARC files, each reader decompressing and reading every
HTTP payload. MB/s is of compressed WARC bytes. Readers:
  warcio content_stream   what nianbao's reader does (payload with Content-Encoding decoded)
  warcio raw_stream       payload as transferred (what FastWARC gives)
  nianbao iter_responses  archive.reader.iter_responses (ArchivedResponse objects)
  FastWARC                fastwarc.warc.ArchiveIterator(parse_http=True), reader.read()
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
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
    nianbao_replay,
    print_table,
    quote,
    save,
)


def read_warcio(paths: list[Path], decoded: bool) -> int:
    from warcio.archiveiterator import ArchiveIterator

    n = 0
    for p in paths:
        with open(p, "rb") as fh:
            for rec in ArchiveIterator(fh):
                stream = rec.content_stream() if (decoded and rec.http_headers) else rec.raw_stream
                n += len(stream.read())
    return n


def read_nianbao(paths: list[Path]) -> int:
    from archive.reader import iter_responses

    return sum(len(r.body) for r in iter_responses(paths))


def read_fastwarc(paths: list[Path]) -> int:
    from fastwarc.warc import ArchiveIterator

    n = 0
    for p in paths:
        with open(p, "rb") as fh:
            for rec in ArchiveIterator(fh, parse_http=True):
                n += len(rec.reader.read())
    return n


READERS = {
    "warcio content_stream": lambda ps: read_warcio(ps, True),
    "warcio raw_stream": lambda ps: read_warcio(ps, False),
    "nianbao iter_responses": read_nianbao,
    "FastWARC": read_fastwarc,
}


def reading(paths: list[Path], rounds: int) -> dict[str, list[float]]:
    size = sum(p.stat().st_size for p in paths) / 1e6
    readers = dict(READERS)
    try:
        import fastwarc  # noqa: F401
    except ImportError:
        log("FastWARC not installed (pip install fastwarc): its baseline is skipped")
        readers.pop("FastWARC")
    out: dict[str, list[float]] = {k: [] for k in readers}
    for _ in range(rounds):
        for name, fn in readers.items():
            t = time.perf_counter()
            fn(paths)
            out[name].append(size / (time.perf_counter() - t))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=None, help="simportals scale (default 18; quick 6)")
    ap.add_argument("--rounds", type=int, default=None)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    scale = args.scale or (6 if args.quick else 18)
    n = args.rounds or (2 if args.quick else 3)
    work = Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    data = work / "data"
    live, rep = [], []
    with Served(scale, workdir=work) as served:
        for k in range(n):
            r = nianbao_crawl(served.registry, data)
            live.append(r)
            log(f"round {k + 1}: live   {r.responses} responses in {r.elapsed:.1f}s = {r.pages_per_s:.1f}/s")
        commands = [served.command, quote(r.command)]
    # the servers are down: replay cannot touch the network
    for k in range(n):
        r = nianbao_replay(data, work / "replayed.db")
        rep.append(r)
        log(f"round {k + 1}: replay {r.responses} responses in {r.elapsed:.1f}s = {r.pages_per_s:.1f}/s "
            f"({r.stats.get('catalogue/reports_new')} reports; replay/not_in_archive "
            f"{r.stats.get('replay/not_in_archive', 0)})")
    commands.append(quote(r.command))
    paths = sorted((data / "warc").glob("*.warc.gz"))
    mb = sum(p.stat().st_size for p in paths) / 1e6
    log(f"reading {len(paths)} WARC file(s), {mb:.1f} MB, {max(n, 3)} rounds")
    speeds = reading(paths, max(n, 3))
    ratio = med([r.pages_per_s for r in rep]) / med([r.pages_per_s for r in live])
    rows = [Row("5 replay", "pages/s", [r.pages_per_s for r in rep], "p/s", "live crawl (e2e)",
                [r.pages_per_s for r in live], ratio, "≥ 1.5×", ratio >= 1.5,
                f"live {live[-1].stats.get('catalogue/reports_new')} reports, replay "
                f"{rep[-1].stats.get('catalogue/reports_new')} reports from the WARCs")]
    fw = speeds.get("FastWARC", [])
    for name in ("warcio content_stream", "warcio raw_stream", "nianbao iter_responses"):
        rows.append(Row("5 WARC read", name, speeds[name], "MB/s", "FastWARC" if fw else "", fw,
                        med(speeds[name]) / med(fw) if fw else None, "report", None,
                        f"{mb:.1f} MB of gzipped WARC"))
    print_table(rows)
    save("replay", rows, {"scale": scale, "rounds": n, "warc_mb": mb}, commands)
    cleanup(work)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
