"""Shared fixtures: a real crawl of the simulated portals, run once per test session."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NIANBAO = [sys.executable, "-m", "crawler"]
SHARED = ROOT.parent / "shared"


def pytest_configure(config):
    """One OCR cache for the session (extract/ocr.py): the simulated portals' scans are read
    once, not again by every crawl, replay and resume of the suite; results are the same."""
    if "NIANBAO_OCR_CACHE" not in os.environ:
        import tempfile

        config._nianbao_ocr_cache = tempfile.TemporaryDirectory(prefix="nianbao-ocr-")
        os.environ["NIANBAO_OCR_CACHE"] = config._nianbao_ocr_cache.name


def pytest_unconfigure(config):
    cache = getattr(config, "_nianbao_ocr_cache", None)
    if cache is not None:
        os.environ.pop("NIANBAO_OCR_CACHE", None)
        cache.cleanup()


def run_nianbao(*args: str, timeout: float = 300, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    """Run the CLI in a subprocess: a Twisted reactor cannot be restarted in one process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([*NIANBAO, *args], capture_output=True, text=True, timeout=timeout,
                            cwd=ROOT, env=env, **kwargs)
    if check and result.returncode != 0:
        raise AssertionError(f"nianbao {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


@dataclass
class CrawledTestbed:
    testbed: object
    data: Path
    urls: dict[tuple[str, str], str]  # (portal, path) → URL as served during the crawl
    mirror_netloc: str
    stdout: str
    requests: dict[str, list] | None = None  # portal → every (method, path, status) it served


@pytest.fixture(scope="session")
def crawled(tmp_path_factory) -> CrawledTestbed:
    """The simulated portals crawled end to end into a fresh DATA directory."""
    from simportals import build_testbed, serve_testbed

    data = tmp_path_factory.mktemp("data")
    testbed = build_testbed()
    with serve_testbed(testbed) as running:
        registry = data / "portals.toml"
        registry.write_text(running.registry_toml(), encoding="utf-8")
        urls = {}
        for report in testbed.reports:
            for portal, path in report.locations:
                urls[(portal, path)] = running.url_for(portal, path)
        for portal, path in testbed.non_reports:
            urls[(portal, path)] = running.url_for(portal, path)
        mirror = running.mirror_netloc if hasattr(running, "mirror_netloc") else ""
        result = run_nianbao("crawl", "--portals", str(registry), "--data", str(data))
        requests = {p.name: running.request_log(p.name) for p in testbed.portals}
    return CrawledTestbed(testbed, data, urls, mirror, result.stdout, requests)
