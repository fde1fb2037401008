"""Simulated government portals with known ground truth, for the demo, tests and benchmarks.

    tb = build_testbed(seed=0, scale=1)
    with serve_testbed(tb) as running:
        running.registry_toml(); running.url_for("beilun", "/xxgk/ndbg/index.html")
"""

from __future__ import annotations

from .portals import PortalSpec
from .testbed import Testbed
from .truth import ReportTruth


def build_testbed(seed: int = 0, scale: int = 1, epoch: int = 0) -> Testbed:
    """Deterministic testbed; scale multiplies bodies (≈110 reports per extra scale unit)."""
    return Testbed(seed=seed, scale=scale, epoch=epoch)


def serve_testbed(tb: Testbed, latency: float = 0.0, in_process: bool = False, **options):
    """Context manager serving every portal (and the spam mirror) on 127.0.0.1."""
    from .server import serve

    return serve(tb, latency=latency, in_process=in_process, **options)


__all__ = ["PortalSpec", "ReportTruth", "Testbed", "build_testbed", "serve_testbed"]
