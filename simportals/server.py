"""HTTP serving of a testbed: one ThreadingHTTPServer per portal (plus the spam mirror) on
127.0.0.1 with free ports; latency, gzip, chunked transfer, ETag/Last-Modified/304 and a
request log at `/__sim__/log`.  By default the servers run in a child process
(`python -m simportals serve`) so they do not compete with the crawler for the GIL.

Epoch control: `GET /__simportals__/epoch?set=N` (loopback clients only, on any portal's
server; linked nowhere, not in the registry or robots.txt) makes every server of the process
serve `build_testbed(seed, scale, epoch=N, hosts)` on the same ports, with the 503-then-recover
counters reset; `RunningTestbed.set_epoch(n)` calls it (or swaps directly in-process)."""

from __future__ import annotations

import email.utils
import gzip
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

from .testbed import Testbed

LOG_PATH = "/__sim__/log"
PEAK_PATH = "/__sim__/peak"  # the most requests served at once (`?reset=1` starts a new count)
EPOCH_PATH = "/__simportals__/epoch"
REDIRECT_PATH = "/__simportals__/redirect"  # `?portal=P&path=/x&to=URL`: that path answers 302 to URL
_LOOPBACK = ("127.", "::1", "::ffff:127.")


class ServeState:
    """The testbed every server of one process serves; swapped whole by `set_epoch`."""

    def __init__(self, tb: Testbed) -> None:
        self.tb = tb
        self.servers: list[PortalServer] = []
        self.lock = threading.Lock()
        self.redirects: dict[tuple[str, str], str] = {}  # (portal, path) → Location (hostile tests)

    def set_epoch(self, epoch: int) -> Testbed:
        with self.lock:
            old = self.tb
            if epoch != old.epoch:
                new = Testbed(old.seed, old.scale, epoch, old.n_hosts)
                new.hosts.update(old.hosts)
                self.tb = new
            for srv in self.servers:
                srv.reset()
            return self.tb


class PortalServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # a real server's listen backlog, not socketserver's 5

    def __init__(self, tb: Testbed | ServeState, portal: str, latency: float, gzip_on: bool,
                 chunked: bool, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), Handler)
        self.state = tb if isinstance(tb, ServeState) else ServeState(tb)
        self.state.servers.append(self)
        self.portal, self.latency = portal, latency
        self.gzip_on, self.chunked = gzip_on, chunked
        self.log: list[tuple[str, str, int]] = []
        self._lock = threading.Lock()
        self.in_flight = self.peak_in_flight = 0
        self.reset()

    @property
    def tb(self) -> Testbed:
        return self.state.tb

    def reset(self) -> None:
        """Start the epoch's failure counters afresh."""
        with self._lock:
            # a host that answers 503 before recovering (from epoch 1 on: the GBK portal)
            self.fail_first = 1 if (self.tb.epoch and self.portal == "shucheng") else 0
            self._tries: dict[str, int] = {}

    def started(self) -> None:
        with self._lock:
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)

    def finished(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def peak(self, reset: bool = False) -> int:
        """The most requests served at once (since the last reset, with `reset` a new count)."""
        with self._lock:
            peak = self.peak_in_flight
            if reset:
                self.peak_in_flight = self.in_flight
            return peak

    def should_fail(self, path: str) -> bool:
        with self._lock:
            n = self._tries[path] = self._tries.get(path, 0) + 1
        return n <= self.fail_first


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: PortalServer

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet
        pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_HEAD(self) -> None:
        self._serve("HEAD")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        srv = self.server
        path = self.path
        if path.startswith("http://") or path.startswith("https://"):
            path = "/" + path.split("/", 3)[3] if path.count("/") >= 3 else "/"
        form: dict = {}
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            raw = self.rfile.read(length).decode("utf-8", "replace")
            form = parse_qs(raw)
        if path == LOG_PATH:
            body = json.dumps(srv.log).encode()
            return self._send(200, [("Content-Type", "application/json")], body, method, False)
        if path.split("?", 1)[0] == PEAK_PATH:
            body = json.dumps(srv.peak(reset="reset" in path)).encode()
            return self._send(200, [("Content-Type", "application/json")], body, method, False)
        if path.split("?", 1)[0] == EPOCH_PATH and self.client_address[0].startswith(_LOOPBACK):
            return self._epoch(path, method)
        if path.split("?", 1)[0] == REDIRECT_PATH and self.client_address[0].startswith(_LOOPBACK):
            q = {k: v[0] for k, v in parse_qs(path.partition("?")[2]).items()}
            srv.state.redirects[(q["portal"], q["path"])] = q["to"]
            return self._send(200, [("Content-Type", "text/plain")], b"ok", method, False)
        srv.started()
        try:
            self._serve_page(srv, path, method, form)
        finally:
            srv.finished()

    def _serve_page(self, srv: PortalServer, path: str, method: str, form: dict) -> None:
        if srv.latency:
            time.sleep(srv.latency)
        if srv.fail_first and path != "/robots.txt" and srv.should_fail(path):
            srv.log.append((method, path, 503))
            body = b"<html><body>503 Service Temporarily Unavailable</body></html>"
            return self._send(503, [("Content-Type", "text/html"), ("Retry-After", "1")], body,
                              method, False)
        location = srv.state.redirects.get((srv.portal, path))
        if location is not None:
            srv.log.append((method, path, 302))
            return self._send(302, [("Location", location), ("Content-Type", "text/html")], b"", method, False)
        status, headers, body = srv.tb.page(srv.portal, path, "GET" if method == "HEAD" else method,
                                            form)
        srv.log.append((method, path, status))
        h = dict(headers)
        if status == 200 and self._not_modified(h):
            keep = [(k, v) for k, v in headers if k in ("ETag", "Last-Modified")]
            return self._send(304, keep, b"", "HEAD", False)
        ctype = h.get("Content-Type", "")
        if (srv.gzip_on and body and "gzip" in (self.headers.get("Accept-Encoding") or "")
                and not ctype.startswith("image/")):
            body = gzip.compress(body, mtime=0)
            headers = [*headers, ("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
        self._send(status, headers, body, method, srv.chunked)

    def _epoch(self, path: str, method: str) -> None:
        want = parse_qs(path.partition("?")[2]).get("set")
        try:
            tb = self.server.state.set_epoch(int(want[0])) if want else self.server.tb
        except ValueError:
            return self._send(400, [("Content-Type", "text/plain")], b"bad epoch", method, False)
        body = json.dumps({"epoch": tb.epoch, "hosts": tb.hosts}).encode()
        self._send(200, [("Content-Type", "application/json"), ("Cache-Control", "no-store")],
                   body, method, False)

    def _not_modified(self, h: dict[str, str]) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            tags = {t.strip() for t in inm.split(",")}
            return h.get("ETag") in tags or "*" in tags
        ims, lm = self.headers.get("If-Modified-Since"), h.get("Last-Modified")
        if ims and lm:
            try:
                return email.utils.parsedate_to_datetime(lm) <= email.utils.parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                return False
        return False

    def _send(self, status: int, headers: list[tuple[str, str]], body: bytes, method: str,
              chunked: bool) -> None:
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Server", "nginx")
        if chunked and status == 200:
            self.send_header("Transfer-Encoding", "chunked")
        elif status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if method == "HEAD" or status == 304:
            return
        if chunked and status == 200:
            for i in range(0, len(body), 4096):
                part = body[i:i + 4096]
                self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.wfile.write(body)


def _flag(option: bool | None, default: bool) -> bool:
    return default if option is None else option


def start_servers(tb: Testbed, latency: float = 0.0, gzip_on: bool | None = None,
                  chunked: bool | None = None, ports: dict[str, int] | None = None,
                  ) -> tuple[list[PortalServer], list[threading.Thread]]:
    """Start every portal's server (on `ports[name]` when given, else a free port) and point
    `tb.hosts` at them. The servers share one `ServeState` (`servers[0].state`)."""
    servers, threads = [], []
    state = ServeState(tb)
    ports = ports or {}
    unknown = set(ports) - {p.name for p in [*tb.portals, tb.mirror]}
    if unknown:
        raise ValueError(f"ports for unknown portals: {sorted(unknown)}")
    for p in [*tb.portals, tb.mirror]:
        try:
            s = PortalServer(state, p.name, latency, _flag(gzip_on, p.gzip),
                             _flag(chunked, p.chunked), ports.get(p.name, 0))
        except OSError:
            stop_servers(servers, threads)
            raise
        tb.hosts[p.name] = f"127.0.0.1:{s.server_address[1]}"
        t = threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True,
                             name=f"simportal-{p.name}")
        t.start()
        servers.append(s)
        threads.append(t)
    return servers, threads


def stop_servers(servers: list[PortalServer], threads: list[threading.Thread]) -> None:
    for s in servers:
        s.shutdown()
        s.server_close()
    for t in threads:
        t.join(timeout=5)


def registry_toml(tb: Testbed) -> str:
    out = [f"# portal registry generated by simportals (seed={tb.seed}, scale={tb.scale})"]
    for p in tb.portals:
        host = tb.hosts[p.name]
        out += ["", "[[portal]]", f'name = "{p.name}"', f'title = "{p.title}"',
                f'region = "{p.region}"', f'region_code = "{p.code}"',
                f'start_urls = ["http://{host}{p.column_path}"]',
                f'allowed_domains = ["{host}"]',
                "allow_private_addresses = true  # served on 127.0.0.1",  f'cms = "{p.cms}"', f'encoding = "{p.encoding}"',
                f'column = "{p.column_name}"']
        if p.cms == "hanweb":
            out += [f"columnid = {p.col_id}", 'proxy = "/module/web/jpage/dataproxy.jsp"',
                    f"perpage = {p.per_page}"]
    return "\n".join(out) + "\n"


class RunningTestbed:
    """A served testbed; use as a context manager (servers stop on exit)."""

    def __init__(self, tb: Testbed, latency: float = 0.0, in_process: bool = False,
                 gzip: bool | None = None, chunked: bool | None = None,
                 ports: dict[str, int] | None = None) -> None:
        self.tb, self.latency, self.in_process = tb, latency, in_process
        self.gzip, self.chunked, self.fixed_ports = gzip, chunked, dict(ports or {})
        self._servers: list[PortalServer] = []
        self._threads: list[threading.Thread] = []
        self._proc: subprocess.Popen | None = None

    def __enter__(self) -> RunningTestbed:
        if self.in_process:
            self._servers, self._threads = start_servers(self.tb, self.latency, self.gzip,
                                                         self.chunked, self.fixed_ports)
        else:
            self._start_child()
        return self

    def _start_child(self) -> None:
        root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ, PYTHONPATH=root + os.pathsep + os.environ.get("PYTHONPATH", ""))
        cmd = [sys.executable, "-m", "simportals", "serve", "--seed", str(self.tb.seed),
               "--scale", str(self.tb.scale), "--epoch", str(self.tb.epoch),
               "--hosts", str(self.tb.n_hosts), "--latency", str(self.latency), "--quiet"]
        if self.fixed_ports:
            cmd += ["--ports", ",".join(f"{k}={v}" for k, v in self.fixed_ports.items())]
        for name, val in (("--gzip", self.gzip), ("--chunked", self.chunked)):
            if val is not None:
                cmd += [name, "all" if val else "none"]
        self._proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.PIPE, text=True)
        assert self._proc.stdout is not None
        for line in self._proc.stdout:
            if line.startswith("{"):
                ready = json.loads(line)
                self.tb.hosts.update(ready["hosts"])
                return
        self._proc.wait(timeout=5)
        raise RuntimeError("simportals child exited before it was ready")

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._servers:
            stop_servers(self._servers, self._threads)
            self._servers = []
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            if self._proc.stdout:
                self._proc.stdout.close()
            self._proc = None

    @property
    def epoch(self) -> int:
        return self.tb.epoch

    def set_epoch(self, epoch: int) -> Testbed:
        """Serve epoch `epoch` from now on: same portals, same ports, the site as
        `build_testbed(seed, scale, epoch=epoch, hosts=...)` builds it, and the flaky host's
        503 counters reset. Returns (and `self.tb` becomes) the testbed now served; the
        testbed passed to `serve_testbed` is left as it was."""
        epoch = int(epoch)
        if epoch < 0:
            raise ValueError("epoch must be >= 0")
        if self._servers:
            self.tb = self._servers[0].state.set_epoch(epoch)
            return self.tb
        if self._proc is None:
            raise RuntimeError("the testbed is not being served")
        url = self.url_for(self.tb.portals[0].name, f"{EPOCH_PATH}?set={epoch}")
        with urllib.request.urlopen(url, timeout=60) as r:
            answer = json.loads(r.read())
        assert answer["epoch"] == epoch, answer
        if epoch != self.tb.epoch:
            new = Testbed(self.tb.seed, self.tb.scale, epoch, self.tb.n_hosts)
            new.hosts.update(self.tb.hosts)
            self.tb = new
        return self.tb

    def redirect(self, portal: str, path: str, to: str) -> None:
        """From now on, `path` on `portal` answers 302 with `Location: to` (hostile-redirect tests)."""
        if self._servers:
            self._servers[0].state.redirects[(portal, path)] = to
            return
        query = urllib.parse.urlencode({"portal": portal, "path": path, "to": to})
        with urllib.request.urlopen(self.url_for(portal, f"{REDIRECT_PATH}?{query}"), timeout=10) as r:
            r.read()

    @property
    def hosts(self) -> dict[str, str]:
        return dict(self.tb.hosts)

    @property
    def mirror_netloc(self) -> str:
        """host:port of the spam mirror (not in the registry)."""
        return self.tb.hosts[self.tb.mirror.name]

    def base_url(self, portal: str) -> str:
        return f"http://{self.tb.hosts[portal]}"

    def url_for(self, portal: str, path: str) -> str:
        return self.base_url(portal) + path

    def registry_toml(self) -> str:
        return registry_toml(self.tb)

    @property
    def ports(self) -> dict[str, int]:
        """portal -> port now served (pass to `serve_testbed(..., ports=)` to restart there)."""
        return {k: int(v.rsplit(":", 1)[1]) for k, v in self.tb.hosts.items() if ":" in v}

    def request_log(self, portal: str) -> list[tuple[str, str, int]]:
        """Every (method, path, status) the portal served, for robots/politeness checks."""
        with urllib.request.urlopen(self.url_for(portal, LOG_PATH), timeout=10) as r:
            return [tuple(x) for x in json.loads(r.read())]

    def peak_concurrency(self, portal: str, reset: bool = False) -> int:
        """The most requests the portal has been serving at one moment (politeness checks);
        `reset` starts a new count, e.g. between two crawls."""
        return peak_concurrency(self.tb.hosts[portal], reset)


def peak_concurrency(netloc: str, reset: bool = False) -> int:
    """`RunningTestbed.peak_concurrency` for a server known only by its host:port."""
    url = f"http://{netloc}{PEAK_PATH}" + ("?reset=1" if reset else "")
    with urllib.request.urlopen(url, timeout=10) as r:
        return int(json.loads(r.read()))


def serve(tb: Testbed, latency: float = 0.0, in_process: bool = False, **options) -> RunningTestbed:
    return RunningTestbed(tb, latency=latency, in_process=in_process, **options)
