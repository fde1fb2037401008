"""Extraction worker processes, fed over pipes that the crawl's event loop watches.

Why not `concurrent.futures.ProcessPoolExecutor`: it runs two threads in the crawl process (a
queue feeder and a result manager), and every page handed over or returned crosses threads
and the GIL; measured, that was about a tenth of the crawl process's CPU. And when one worker
dies (a decoder crashing on a hostile scan, the kernel's OOM killer) the executor is broken for
good and every later page fails. Here each worker has its own pipe: a page is written to an
idle worker, its result is read when the pipe is readable (`loop.add_reader`), no thread is
involved, and a worker that dies fails only the page it held and is replaced. A worker whose
memory grew past `max_rss_mb` (what OCR leaves behind) is retired after the page and replaced,
so the crawl's memory stays bounded over a long run.

Workers are forked from a fork server (multiprocessing's `forkserver`, a clean process started
once, never the crawl's running reactor) that has imported the extractor already (`preload`): a
worker starts in milliseconds rather than re-importing everything (~0.6 s of CPU each time one
is replaced), and the workers share those modules' pages. Where there is no fork server
(non-POSIX), workers are spawned. Forked workers are the fork server's children, not the crawl
process's, so each worker reports its own CPU with every answer (`WorkerPool.cpu_s`).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import pickle
from collections import deque
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any

logger = logging.getLogger(__name__)

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class WorkerDied(RuntimeError):
    """The worker process holding a task exited before answering (crash, signal, OOM kill)."""


def current_rss_mb() -> float:
    """This process's resident memory now (not its peak)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE / 2**20
    except (OSError, IndexError, ValueError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _serve(conn: Connection, initializer: Callable[[], None] | None) -> None:
    """A worker's loop: (func, args) in, (ok, result, rss MB, peak rss MB, CPU s) out, until told
    to stop."""
    from crawler.resources import cpu_s, peak_rss_mb

    if initializer is not None:
        initializer()
    while True:
        try:
            message = conn.recv_bytes()
        except (EOFError, OSError):
            return  # the crawl process is gone
        if not message:
            return
        func, args = pickle.loads(message)
        try:
            reply = (True, func(*args))
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller, as an executor would
            reply = (False, exc)
        try:
            data = pickle.dumps((*reply, current_rss_mb(), peak_rss_mb(), cpu_s()),
                                protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # an unpicklable result or exception: say so, do not die
            data = pickle.dumps((False, RuntimeError(f"unpicklable result: {exc!r}"), current_rss_mb(),
                                 peak_rss_mb(), cpu_s()))
        conn.send_bytes(data)


class _Worker:
    started = 0  # workers started in this process: each one's serial (a pid may be reused)

    def __init__(self, context: Any, initializer: Callable[[], None] | None) -> None:
        _Worker.started += 1
        self.serial = _Worker.started
        self.conn, child = context.Pipe(duplex=True)
        self.process = context.Process(target=_serve, args=(child, initializer), daemon=True)
        self.process.start()
        child.close()
        self.task: asyncio.Future | None = None

    def stop(self) -> None:
        try:
            self.conn.send_bytes(b"")
        except OSError:
            pass
        self.conn.close()


def start_context(preload: Sequence[str] = ()) -> Any:
    """Where workers come from: the fork server, with `preload` imported in it before it forks
    any (its first pool's list counts: there is one fork server per process), else spawn."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    if preload:
        context.set_forkserver_preload(list(preload))
    return context


class WorkerPool:
    """`await pool.run(func, *args)` in one of `size` worker processes (forked from a fork
    server, never from a running reactor). Exceptions raised by `func` are raised to the caller.
    `preload` names modules the fork server imports once for every worker ('__main__' too, so
    that a worker does not import the program's main module again)."""

    def __init__(self, size: int, initializer: Callable[[], None] | None = None,
                 max_rss_mb: float = 0, preload: Sequence[str] = ()) -> None:
        self.size = size
        self.initializer = initializer
        self.max_rss_mb = max_rss_mb  # 0: never retire a worker for its memory
        self.context = start_context(preload)
        self.worker_cpu_s: dict[int, float] = {}  # worker serial → CPU seconds at its last answer
        self.loop: asyncio.AbstractEventLoop | None = None
        self.idle: deque[_Worker] = deque()
        self.busy: set[_Worker] = set()
        self.pending: deque[tuple[asyncio.Future, bytes]] = deque()
        self.retired: list[Any] = []  # processes told to stop, joined at close (their CPU is counted then)
        self.replaced = 0
        self.peak_rss_mb = 0.0  # the largest worker's own peak, as the workers report it
        self.closed = False

    def _start(self) -> None:
        self.loop = asyncio.get_running_loop()
        for _ in range(self.size):
            self.idle.append(_Worker(self.context, self.initializer))

    async def run(self, func: Callable[..., Any], *args: Any) -> Any:
        if self.closed:
            raise RuntimeError("the worker pool is closed")
        if self.loop is None:
            self._start()
        assert self.loop is not None
        future = self.loop.create_future()
        self.pending.append((future, pickle.dumps((func, args), protocol=pickle.HIGHEST_PROTOCOL)))
        self._dispatch()
        return await future

    def _dispatch(self) -> None:
        while self.pending and self.idle:
            future, message = self.pending.popleft()
            if future.cancelled():
                continue
            worker = self.idle.popleft()
            try:
                worker.conn.send_bytes(message)
            except OSError:  # it died while idle: replace it and try the task again
                self.pending.appendleft((future, message))
                self._replace(worker)
                continue
            worker.task = future
            self.busy.add(worker)
            assert self.loop is not None
            self.loop.add_reader(worker.conn.fileno(), self._answered, worker)

    def _answered(self, worker: _Worker) -> None:
        assert self.loop is not None
        self.loop.remove_reader(worker.conn.fileno())
        self.busy.discard(worker)
        future, worker.task = worker.task, None
        try:
            data = worker.conn.recv_bytes()
        except (EOFError, OSError) as exc:
            worker.process.join(timeout=5)
            code = worker.process.exitcode
            logger.error("extraction worker %s died (exit code %s) on a task: %s", worker.process.pid, code, exc)
            if future is not None and not future.done():
                future.set_exception(WorkerDied(f"extraction worker died (exit code {code})"))
            self._replace(worker, stop=False)
            self._dispatch()
            return
        try:
            ok, result, rss_mb, peak_mb, cpu = pickle.loads(data)
        except Exception as exc:  # an answer this process cannot rebuild (an exception's odd args)
            ok, result, rss_mb, peak_mb = False, RuntimeError(f"unreadable answer from a worker: {exc!r}"), 0.0, 0.0
            cpu = self.worker_cpu_s.get(worker.serial, 0.0)
        self.peak_rss_mb = max(self.peak_rss_mb, peak_mb)
        self.worker_cpu_s[worker.serial] = cpu
        if future is not None and not future.done():
            (future.set_result if ok else future.set_exception)(result)
        if self.closed:
            self._retire(worker)
        elif self.max_rss_mb and rss_mb > self.max_rss_mb:
            logger.info("extraction worker %s holds %.0f MB: replaced", worker.process.pid, rss_mb)
            self._replace(worker)
        else:
            self.idle.append(worker)
        self._dispatch()

    @property
    def cpu_s(self) -> float:
        """CPU seconds every worker of the pool has spent, as each last reported it (a worker
        killed mid-task loses what it spent since its last answer)."""
        return sum(self.worker_cpu_s.values())

    def _retire(self, worker: _Worker, stop: bool = True) -> None:
        if stop:
            worker.stop()
        else:
            worker.conn.close()
        # is_alive() reaps those that have exited: a long crawl leaves no zombies behind, and
        # their CPU counts in RUSAGE_CHILDREN all the same.
        self.retired = [p for p in self.retired if p.is_alive()] + [worker.process]

    def _replace(self, worker: _Worker, stop: bool = True) -> None:
        self._retire(worker, stop)
        self.replaced += 1
        if not self.closed:
            self.idle.append(_Worker(self.context, self.initializer))

    def close(self, timeout: float = 60) -> None:
        """Stop every worker (a running task is let finish up to `timeout`) and reap them all,
        so that the crawl's RUSAGE_CHILDREN counts their CPU."""
        self.closed = True
        for future, _ in self.pending:
            if not future.done():
                future.cancel()
        self.pending.clear()
        for worker in list(self.busy):
            if self.loop is not None:
                self.loop.remove_reader(worker.conn.fileno())
            self._retire(worker)
        self.busy.clear()
        while self.idle:
            self._retire(self.idle.popleft())
        for process in self.retired:
            process.join(timeout)
            if process.is_alive():
                process.terminate()
                process.join(5)
        self.retired.clear()
