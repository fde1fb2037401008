"""Golden outputs of `extract_page` over the pages of benchmark 4, to prove that a speed-up
changes no output.

    python benchmarks/extract_golden.py --save DIR [--scale 2]
    python benchmarks/extract_golden.py --check DIR [--scale 2]

Pages: those `bench_extract_speed.py` times (simulated portals, layout families, real pages).
Each page's whole `Page` (every field, `dataclasses.asdict`, warnings and removed chrome
included) is written as one JSON file; `--check` extracts again and names every page whose
JSON differs, exit code 1 if any does.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_extract_speed import family_pages, real_pages, sim_pages  # noqa: E402


def pages(scale: int):
    """(name, body, url, headers) of every page, names unique and stable across runs."""
    for prefix, found in (("sim", sim_pages(scale)), ("family", family_pages()), ("real", real_pages())):
        for n, (body, url, headers) in enumerate(found):
            digest = hashlib.sha1(body).hexdigest()[:10]
            yield f"{prefix}-{n:04d}-{digest}", body, url, headers


def output(body: bytes, url: str, headers) -> str:
    from extract import extract_page

    page = extract_page(body, url=url, headers=headers)
    return json.dumps(dataclasses.asdict(page), ensure_ascii=False, sort_keys=True, indent=1,
                      default=repr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--save", type=Path, metavar="DIR", help="write each page's output here")
    mode.add_argument("--check", type=Path, metavar="DIR", help="compare with outputs saved here")
    ap.add_argument("--scale", type=int, default=2)
    args = ap.parse_args(argv)
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
    n, differ, missing = 0, [], []
    for name, body, url, headers in pages(args.scale):
        n += 1
        got = output(body, url, headers)
        if args.save:
            (args.save / f"{name}.json").write_text(got, encoding="utf-8")
            continue
        path = args.check / f"{name}.json"
        if not path.exists():
            missing.append(name)
        elif path.read_text(encoding="utf-8") != got:
            differ.append(name)
    if args.save:
        print(f"{n} pages saved to {args.save}")
        return 0
    for name in differ:
        print(f"differs: {name}")
    for name in missing:
        print(f"no golden output: {name}")
    print(f"{n} pages: {n - len(differ) - len(missing)} identical, {len(differ)} differ, "
          f"{len(missing)} without a golden output")
    return 1 if differ or missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
