"""Export the archive as one WACZ with the `wacz` package (`wacz create`), streamed from disk.

The catalogue's report URLs become pages/pages.jsonl, so ReplayWeb.page lists the reports.
See docs/archive.md ("WACZ").
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from archive.warcfile import OPEN_SUFFIX
from catalogue import read


class WaczError(Exception):
    """The WACZ could not be written or does not validate."""


def closed_warcs(warc_dir: Path) -> list[Path]:
    """Closed WARC files only: an `.open` one is still being written or needs `verify --seal`."""
    if not warc_dir.is_dir():
        return []
    return sorted(p for p in warc_dir.iterdir() if p.name.endswith((".warc.gz", ".warc")))


def report_pages(catalogue: Path) -> list[dict[str, str]]:
    """One page per report URL in the catalogue (read-only)."""
    return [{"url": url, "title": title or url} for url, title in read.report_titles(catalogue)]


def safe_name(name: str) -> str:
    """A file name the WACZ datapackage accepts (frictionless: ^[-a-z0-9._/]+$)."""
    return re.sub(r"[^-a-z0-9._]", "-", name.lower())


def _wacz(*args: str) -> subprocess.CompletedProcess:
    if importlib.util.find_spec("wacz") is None:
        raise WaczError("the `wacz` package is not installed (pip install wacz)")
    return subprocess.run([sys.executable, "-m", "wacz", *args], capture_output=True, text=True)


def export_wacz(data_dir: str | os.PathLike[str], out: Path, *, title: str | None = None) -> dict[str, int]:
    """Write DATA's closed WARCs as `out` (atomically); returns counts of WARCs and pages."""
    data = Path(data_dir)
    warcs = closed_warcs(data / "warc")
    if not warcs:
        raise WaczError(f"no closed WARC files in {data / 'warc'}")
    if any(p.name.endswith(OPEN_SUFFIX) for p in (data / "warc").iterdir()):
        print(f"note: .open WARC files in {data / 'warc'} are not exported", file=sys.stderr)
    pages = report_pages(data / "catalogue.db")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
        args = ["create", "-o", str(Path(tmp) / out.name)]
        if pages:
            pages_file = Path(tmp) / "pages.jsonl"
            header = {"format": "json-pages-1.0", "id": "pages", "title": "Reports"}
            pages_file.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in [header, *pages]),
                                  encoding="utf-8")
            args += ["--pages", str(pages_file)]
        else:
            args += ["--detect-pages"]
        if title:
            args += ["--title", title]
        links = Path(tmp) / "archive"
        links.mkdir()
        inputs = []
        for warc in warcs:  # WACZ resource names must match [-a-z0-9._/]+
            inputs.append(links / safe_name(warc.name))
            inputs[-1].symlink_to(warc.resolve())
        done = _wacz(*args, *map(str, inputs))
        if done.returncode != 0 or not (Path(tmp) / out.name).exists():
            raise WaczError(f"wacz create failed: {done.stderr.strip() or done.stdout.strip()}")
        ok, output = validate_wacz(Path(tmp) / out.name)
        if not ok:
            raise WaczError(f"the WACZ does not validate: {output[-800:]}")
        os.replace(Path(tmp) / out.name, out)
    return {"warcs": len(warcs), "pages": len(pages)}


# `wacz validate`, except that frictionless checks the datapackage descriptor only: its resource
# check inflates every gzipped WARC whole into memory (2× the inflated size: a gzip bomb in the
# archive would need gigabytes). File hashes, paths, required files and the datapackage digest
# are checked as `wacz validate` does, streamed.
_VALIDATE = """
import sys
from frictionless import Package
from wacz.validate import Validation
v = Validation(sys.argv[1])
report = Package.validate_descriptor(v.datapackage_path)
if not report.valid:
    print("datapackage.json is invalid:", report.flatten(["type", "note"]))
    sys.exit(1)
for check in (v.check_required_contents, v.check_file_paths, v.check_file_hashes,
              v.check_data_package_hash_and_sig):
    if check() is False:
        print("Validation failed, the passed WACZ is invalid")
        sys.exit(1)
print("Validation succeeded, the passed WACZ is valid")
"""


def validate_wacz(path: str | os.PathLike[str]) -> tuple[bool, str]:
    """`wacz validate`'s checks, in bounded memory: (ok, its output)."""
    if importlib.util.find_spec("wacz") is None:
        raise WaczError("the `wacz` package is not installed (pip install wacz)")
    done = subprocess.run([sys.executable, "-c", _VALIDATE, str(path)], capture_output=True, text=True)
    output = (done.stdout + done.stderr).strip()
    return done.returncode == 0 and "Validation succeeded" in output, output
