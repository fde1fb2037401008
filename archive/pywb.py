"""Serve the archive through pywb, which lives in a virtualenv of its own.

pywb pins redis==2.10.6 and would break scrapy-redis in the main environment
(shared/docs/compat.md §1), so it is installed into `$NIANBAO_PYWB_VENV` (default
`<repo>/.venv-pywb`) on first use and only ever run as `wb-manager` / `wayback` subprocesses.
See docs/archive.md ("Browsing with pywb").
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from archive.cdxj import index_path, index_records, merge_indexes
from archive.wacz import closed_warcs
from catalogue import read

logger = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[1]
PYWB_REQUIREMENT = "pywb"


class PywbError(Exception):
    """pywb could not be installed, set up or started."""


def venv_path() -> Path:
    return Path(os.environ.get("NIANBAO_PYWB_VENV") or REPO / ".venv-pywb")


def ensure_pywb(venv: Path | None = None) -> Path:
    """The pywb virtualenv's bin directory, creating the venv on first use (idempotent)."""
    venv = venv or venv_path()
    bin_dir = venv / "bin"
    if (bin_dir / "wayback").exists() and (bin_dir / "wb-manager").exists():
        return bin_dir
    venv.parent.mkdir(parents=True, exist_ok=True)
    with open(venv.parent / f".{venv.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two test workers must not build it at once
        if (bin_dir / "wayback").exists():
            return bin_dir
        logger.info("creating the pywb virtualenv in %s", venv)
        base = getattr(sys, "_base_executable", None) or sys.executable
        steps = [[base, "-m", "venv", str(venv)],
                 [str(bin_dir / "python"), "-m", "pip", "install", "-q", "-U", "pip"],
                 [str(bin_dir / "python"), "-m", "pip", "install", "-q", PYWB_REQUIREMENT]]
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True)
            if done.returncode != 0:
                raise PywbError(f"could not install pywb into {venv} ({' '.join(step[-2:])}): "
                                f"{(done.stderr or done.stdout).strip()[-800:]}")
        logger.info("pywb installed in %s", venv)
    return bin_dir


def build_collection(data_dir: str | os.PathLike[str], root: Path, collection: str, bin_dir: Path) -> Path:
    """A pywb collection under `root` whose archive/ links DATA's closed WARCs.

    The index is the merge of the CDXJ files written beside the WARCs (never a re-scan of our
    own files); only WARCs that came without one (another tool's) are indexed here.
    """
    coll = root / "collections" / collection
    if not coll.exists():
        root.mkdir(parents=True, exist_ok=True)
        done = subprocess.run([str(bin_dir / "wb-manager"), "init", collection], cwd=root,
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise PywbError(f"wb-manager init failed: {done.stderr.strip()}")
    archive, indexes = coll / "archive", coll / "indexes"
    archive.mkdir(exist_ok=True)
    indexes.mkdir(exist_ok=True)
    for stale in archive.iterdir():
        if stale.is_symlink():
            stale.unlink()
    sources = []
    for warc in closed_warcs(Path(data_dir) / "warc"):
        (archive / warc.name).symlink_to(warc.resolve())
        index = index_path(warc)
        if not index.exists():
            index = indexes / (warc.name + ".scan.cdxj")
            index.write_text("".join(index_records(_scan(warc), warc.name)), encoding="utf-8")
        sources.append(index)
    merge_indexes(sources, indexes / "index.cdxj")
    for scan in indexes.glob("*.scan.cdxj"):
        scan.unlink()
    return coll


def _scan(path: Path) -> Iterator[tuple]:
    from archive.reader import iter_records

    for record, offset, length in iter_records(path):
        while record.raw_stream.read(1 << 20):
            pass
        yield record, offset, length()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PywbServer:
    """A running `wayback` on 127.0.0.1."""

    def __init__(self, process: subprocess.Popen, port: int, collection: str) -> None:
        self.process = process
        self.port = port
        self.collection = collection

    @property
    def collection_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/{self.collection}/"

    def replay_url(self, url: str, timestamp: str = "", modifier: str = "") -> str:
        """`id_` gives the archived bytes; no modifier gives the framed, rewritten page."""
        stamp = f"{timestamp}{modifier}/" if timestamp or modifier else ""
        return f"{self.collection_url}{stamp}{url}"

    def wait(self) -> int:
        return self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _wait_until_up(server: PywbServer, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise PywbError(f"wayback exited with {server.process.returncode}; see {log}")
        try:
            with urllib.request.urlopen(server.collection_url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise PywbError(f"wayback did not answer on port {server.port} within {timeout:.0f}s; see {log}")


@contextlib.contextmanager
def serve(data_dir: str | os.PathLike[str], *, port: int = 0, collection: str = "nianbao",
          venv: Path | None = None) -> Iterator[PywbServer]:
    """Build the collection from DATA and run `wayback -b 127.0.0.1` until the block ends."""
    bin_dir = ensure_pywb(venv)
    root = Path(data_dir) / "pywb"
    build_collection(data_dir, root, collection, bin_dir)
    port = port or free_port()
    log = root / "wayback.log"
    with open(log, "ab") as log_fh:
        process = subprocess.Popen([str(bin_dir / "wayback"), "-b", "127.0.0.1", "-p", str(port)],
                                   cwd=root, stdout=log_fh, stderr=subprocess.STDOUT)
    server = PywbServer(process, port, collection)
    try:
        _wait_until_up(server, log)
        yield server
    finally:
        server.stop()


def pywb_timestamp(when: str | None) -> str:
    """An ISO capture time as pywb's 14-digit timestamp (pywb replays the nearest capture)."""
    return re.sub(r"\D", "", when or "")[:14]


def example_url(data_dir: str | os.PathLike[str]) -> str | None:
    """A report URL to show first: from the catalogue, else the first archived HTML page."""
    catalogue = Path(data_dir) / "catalogue.db"
    url = read.first_report_url(catalogue)
    if url:
        return url
    from archive.cdxj import read_index

    for warc in closed_warcs(Path(data_dir) / "warc"):
        index = index_path(warc)
        if index.exists():
            for entry in read_index(index):
                if entry.mime == "text/html" and entry.status == "200":
                    return entry.url
    return None
