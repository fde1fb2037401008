"""Simulated government portals with known ground truth, for the demo, tests and benchmarks.

    tb = build_testbed(seed=0, scale=1)
    with serve_testbed(tb) as running:
        running.registry_toml(); running.url_for("beilun", "/xxgk/ndbg/index.html")
        running.set_epoch(1)   # same portals and ports, the sites as they are one run later
        running.tb.evolution() # what changed: report keys, URLs, 404/410, flaky host, trap

Report pages come in their portal's CMS template or in one of the layout families of
`simportals.layouts` (old table layout, split articles, generic container, metadata lists,
embedded PDF). `build_testbed(hosts=20)` spreads the reports over 20 portals (copies of the four CMS
families); `serve_testbed(tb, ports={"beilun": 8001})` pins ports. Truth cells follow
extract/codebook.py: `[table, row label, column label, value]`.
"""

from __future__ import annotations

from .portals import PortalSpec
from .testbed import Testbed
from .truth import ReportTruth


def build_testbed(seed: int = 0, scale: int = 1, epoch: int = 0, hosts: int = 4) -> Testbed:
    """Deterministic testbed; scale multiplies bodies (≈110 reports per extra scale unit);
    epoch picks the state of an evolving site (`Testbed.evolution()`); hosts >= 4 spreads the
    reports over that many portals (the four CMS families, then copies of them)."""
    return Testbed(seed=seed, scale=scale, epoch=epoch, hosts=hosts)


def serve_testbed(tb: Testbed, latency: float = 0.0, in_process: bool = False,
                  ports: dict[str, int] | None = None, **options):
    """Context manager serving every portal (and the spam mirror) on 127.0.0.1, each on its
    own port (`ports={portal: port}` pins some, e.g. to restart on the same ports; the others
    get free ports). `latency` seconds are added to every response of every host. The
    yielded `RunningTestbed` has `.set_epoch(n)`, `.ports`, `.registry_toml()`, `.url_for()`."""
    from .server import serve

    return serve(tb, latency=latency, in_process=in_process, ports=ports, **options)


__all__ = ["PortalSpec", "ReportTruth", "Testbed", "build_testbed", "serve_testbed"]
