"""A real redis-server on 127.0.0.1 (a free port, append-only persistence), and helpers that
run a distributed crawl's coordinator and workers as separate processes, as on machines."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import NIANBAO, ROOT

APT = "apt-get install -y redis-server"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class RedisServer:
    port: int
    directory: Path
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:  # never skipped: .ci/deps installs it (.ci/debian-packages.txt)
            pytest.fail(f"redis-server is not installed: {APT}")
        self.proc = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory),
             "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--protected-mode", "yes"],
            stdout=open(self.directory / "redis.log", "ab"), stderr=subprocess.STDOUT)
        client = self.client()
        for _ in range(100):
            try:
                client.ping()
                return
            except Exception:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start; see {self.directory / 'redis.log'}")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()  # SIGTERM: redis flushes the append-only file and exits
            self.proc.wait(timeout=20)
            self.proc = None

    def client(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(free_port(), tmp_path / "redis")
    server.directory.mkdir()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def spawn(*args: str, log: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([*NIANBAO, *args], cwd=ROOT, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT)


def finish(proc: subprocess.Popen, log: Path, timeout: float = 120) -> str:
    proc.wait(timeout=timeout)
    text = log.read_text()
    assert proc.returncode == 0, f"exit {proc.returncode}:\n{text}"
    return text


def wait_for_crawl(server: RedisServer, timeout: float = 30) -> None:
    """Until the coordinator has recorded the crawl (workers join a running crawl)."""
    client = server.client()
    deadline = time.monotonic() + timeout
    while client.hget("nianbao:crawl", "status") != b"running":
        assert time.monotonic() < deadline, "the coordinator never started the crawl"
        time.sleep(0.05)


def start_crawl(server: RedisServer, registry: Path, data: Path, workers: list[Path], *extra: str,
                lease: float = 3.0) -> tuple[subprocess.Popen, list[subprocess.Popen]]:
    """The coordinator in DATA, then one worker per directory in `workers`."""
    settings = ["-s", f"LEASE_SECONDS={lease}"]
    data.mkdir(parents=True, exist_ok=True)
    coordinator = spawn("crawl", "--portals", str(registry), "--data", str(data), "--redis", server.url,
                        *settings, *extra, log=data.parent / f"{data.name}.out")
    wait_for_crawl(server)
    procs = []
    for k, directory in enumerate(workers, 1):
        directory.mkdir(parents=True, exist_ok=True)
        procs.append(spawn("worker", "--redis", server.url, "--data", str(directory), "--id", f"w{k}", *settings,
                           log=directory.parent / f"{directory.name}.out"))
    return coordinator, procs


def records_in(data: Path) -> int:
    """CDXJ lines written so far under DATA/warc (a worker's progress)."""
    return sum(len(p.read_text().splitlines()) for p in (data / "warc").glob("*.cdxj")) if (data / "warc").exists() else 0


def write_registry(tmp_path: Path, running, *keys: str) -> Path:
    """The served testbed's registry, with `keys` (TOML lines) added to every portal."""
    registry = tmp_path / "portals.toml"
    registry.write_text(running.registry_toml().replace("[[portal]]\n", "[[portal]]\n" + "".join(k + "\n" for k in keys)),
                        encoding="utf-8")
    return registry
