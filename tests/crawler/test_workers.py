"""crawler/workers.py: extraction workers fed over pipes the event loop watches."""

from __future__ import annotations

import asyncio
import functools
import json
import os
import signal

import pytest

from crawler.extraction import ocr_threads, warm_up
from crawler.workers import WorkerDied, WorkerPool


def square(x: int) -> int:
    return x * x


def fail(message: str) -> None:
    raise ValueError(message)


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def hold(mb: int) -> int:
    global _held
    _held = bytearray(mb * 2**20)
    for i in range(0, len(_held), 4096):
        _held[i] = 1
    return os.getpid()


def pid() -> int:
    return os.getpid()


def test_results_and_exceptions_come_back_in_any_order():
    async def main():
        pool = WorkerPool(2)
        try:
            results = await asyncio.gather(*(pool.run(square, i) for i in range(50)))
            with pytest.raises(ValueError, match="bad page"):
                await pool.run(fail, "bad page")
            return results
        finally:
            pool.close()

    assert asyncio.run(main()) == [i * i for i in range(50)]


def test_a_dead_worker_fails_only_its_task_and_is_replaced():
    async def main():
        pool = WorkerPool(2)
        try:
            outcomes = await asyncio.gather(pool.run(die), *(pool.run(square, i) for i in range(20)),
                                            return_exceptions=True)
            after = await pool.run(square, 7)
            return outcomes, after, pool.replaced
        finally:
            pool.close()

    outcomes, after, replaced = asyncio.run(main())
    assert isinstance(outcomes[0], WorkerDied)
    assert outcomes[1:] == [i * i for i in range(20)]
    assert after == 49 and replaced == 1


def test_retired_workers_are_reaped_as_the_crawl_goes_on():
    async def main():
        pool = WorkerPool(1, max_rss_mb=150)
        try:
            for _ in range(4):
                await pool.run(hold, 200)
                await asyncio.sleep(0.5)  # the retired worker exits on its own
            await pool.run(hold, 200)
            return pool.replaced, len(pool.retired)
        finally:
            pool.close()

    replaced, retired = asyncio.run(main())
    assert replaced == 5 and retired <= 2  # the exited ones were reaped, not kept as zombies


def test_a_worker_that_grew_past_the_limit_is_replaced_after_its_task():
    async def main():
        pool = WorkerPool(1, max_rss_mb=150)
        try:
            first = await pool.run(hold, 200)
            second = await pool.run(pid)
            third = await pool.run(pid)
            return first, second, third, pool.replaced
        finally:
            pool.close()

    first, second, third, replaced = asyncio.run(main())
    assert first != second == third and replaced == 1


def test_the_workers_peak_memory_is_their_own_not_the_crawl_processes():
    """Linux carries ru_maxrss across fork and exec: a worker spawned by a 400 MB crawl process
    would report 400 MB however little it held. The pool records what the workers held."""
    from crawler.resources import resource_usage

    big = bytearray(400 * 2**20)
    for i in range(0, len(big), 4096):
        big[i] = 1

    async def main():
        pool = WorkerPool(1)
        try:
            await pool.run(hold, 120)
        finally:
            pool.close()
        return pool.peak_rss_mb

    peak = asyncio.run(main())
    assert 120 < peak < 300
    assert resource_usage(peak)["workers_peak_rss_mb"] == round(peak, 1)
    del big


def spin(seconds: float) -> int:
    import time

    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
    return os.getpid()


def test_the_workers_cpu_is_counted_replaced_ones_too():
    """Workers forked by the fork server are not the crawl process's children: its
    RUSAGE_CHILDREN never sees their CPU. Each reports its own; a replaced one's stays counted."""
    from crawler.resources import resource_usage

    async def main():
        pool = WorkerPool(1, max_rss_mb=150)
        try:
            first = await pool.run(spin, 0.4)
            await pool.run(hold, 200)  # past the limit: replaced after this
            second = await pool.run(spin, 0.4)
        finally:
            pool.close()
        return first, second, pool.cpu_s

    first, second, cpu = asyncio.run(main())
    assert first != second and cpu >= 0.8
    assert resource_usage(None, cpu)["workers_cpu_s"] == round(cpu, 3)


def test_a_new_worker_starts_without_importing_the_extractor_again():
    """The fork server has imported the extractor: a worker replaced after OCR is ready at once
    (spawned, each one re-imported it: ~0.6 s of CPU). In a fresh process, as in a crawl: there
    is one fork server per process, preloaded by its first pool."""
    import subprocess
    import sys
    from pathlib import Path

    child = """
import asyncio, functools, json
from crawler.extraction import WORKER_PRELOAD, warm_up
from crawler.workers import WorkerPool
from tests.crawler.test_workers import pid

async def main():
    pool = WorkerPool(1, functools.partial(warm_up, 1), max_rss_mb=1, preload=WORKER_PRELOAD)
    try:
        for _ in range(6):  # each worker is replaced after its one task
            await pool.run(pid)
    finally:
        pool.close()
    return pool.cpu_s, pool.replaced

print(json.dumps(asyncio.run(main())))
"""
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    out = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, env=env, cwd=root,
                         timeout=120, check=True)
    cpu, replaced = json.loads(out.stdout.strip().splitlines()[-1])
    assert replaced == 6 and cpu < 6 * 0.15


def engine_threads() -> int:
    from extract.ocr import new_engine

    return new_engine().text_det.infer.session.get_session_options().intra_op_num_threads


def test_each_workers_ocr_engine_takes_its_share_of_the_cores():
    """Two workers on two cores run OCR on a thread each (two threads each spin and cost ~17 %
    more CPU for the same text); a setting overrides the share."""
    assert ocr_threads(0, workers=2, cores=2) == 1
    assert ocr_threads(0, workers=1, cores=2) == 2
    assert ocr_threads(0, workers=4, cores=2) == 1
    assert ocr_threads(3, workers=2, cores=2) == 3

    async def main():
        pool = WorkerPool(1, functools.partial(warm_up, ocr_threads(0, workers=2, cores=2)))
        try:
            return await pool.run(engine_threads)
        finally:
            pool.close()

    assert asyncio.run(main()) == 1


def extract_served(body: bytes, url: str, headers: dict) -> int:
    """A crawl's extraction of one served page, with no OCR cache (the crawl has none)."""
    os.environ.pop("NIANBAO_OCR_CACHE", None)
    from extract import extract_page

    extract_page(body, url=url, headers=headers)
    return os.getpid()


def test_under_the_default_limit_a_worker_is_replaced_after_ocr_not_after_web_pages_or_pdfs():
    """EXTRACT_WORKER_MAX_RSS_MB's default sits between what pages and text PDFs leave in a
    worker and what OCR leaves (onnxruntime and OpenCV loaded, freed tensors kept by the heap):
    the crawl's workers go back to their resting size after a scan, and no web page costs a
    new worker."""
    from crawler import settings
    from crawler.extraction import WORKER_PRELOAD
    from simportals import build_testbed

    tb = build_testbed()
    served = []
    for truth in tb.reports:
        if truth.published_as in ("html", "pdf", "docx", "odt", "ofd", "xls"):
            portal, path = (truth.attachments or truth.locations)[0]
            _status, headers, body = tb.page(portal, path)
            served.append((body, tb.url(portal, path), dict(headers)))
    jpg = next(t for t in tb.reports if t.published_as == "jpg")
    portal, path = jpg.attachments[0]
    _status, headers, image = tb.page(portal, path)

    async def main():
        pool = WorkerPool(1, functools.partial(warm_up, 1), max_rss_mb=settings.EXTRACT_WORKER_MAX_RSS_MB,
                          preload=WORKER_PRELOAD)
        try:
            pids = {await pool.run(extract_served, *page) for page in served}
            kept = pool.replaced
            ocr = await pool.run(extract_served, image, tb.url(portal, path), dict(headers))
            after = await pool.run(pid)
            return pids, kept, ocr, after, pool.replaced
        finally:
            pool.close()

    pids, kept, ocr, after, replaced = asyncio.run(main())
    assert len(served) > 80 and kept == 0 and pids == {ocr}
    assert after != ocr and replaced == 1
