"""Each host gets no more parallel requests than its registry `concurrency`, measured at the
server: the simulated portals count the requests they are serving at once. AutoThrottle is
off so the slots run with no delay, where Scrapy's own downloader floods a slot's queue."""

import pytest

from simportals import build_testbed, serve_testbed
from tests.conftest import run_nianbao


def polite_registry(toml: str, concurrency: int) -> str:
    return toml.replace("[[portal]]\n", f"[[portal]]\nconcurrency = {concurrency}\ndownload_delay = 0\n")


@pytest.mark.parametrize("downloader, polite", [
    ("crawler.downloader.SlotBoundDownloader", True),
    # Scrapy's own downloader under the asyncio reactor overshoots: this is what the fix is for
    ("scrapy.core.downloader.Downloader", False),
])
def test_per_host_concurrency_is_held_at_the_server(tmp_path, downloader, polite):
    with serve_testbed(build_testbed(), latency=0.05) as running:
        registry = tmp_path / "portals.toml"
        registry.write_text(polite_registry(running.registry_toml(), 2), encoding="utf-8")
        run_nianbao("crawl", "--portals", str(registry), "--data", str(tmp_path / "data"),
                    "-s", "EXTRACT_WORKERS=0", "-s", "ITEM_PIPELINES={}", "-s", "AUTOTHROTTLE_ENABLED=False",
                    "-s", f"DOWNLOADER={downloader}")
        peaks = {p.name: running.peak_concurrency(p.name) for p in running.tb.portals}
    if polite:
        assert peaks == dict.fromkeys(peaks, 2), peaks  # the allowance is used, never exceeded
    else:
        assert max(peaks.values()) > 2, peaks
