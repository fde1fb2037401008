"""`python -m simportals serve [--scale N] [--epoch E] [--hosts N] [--ports name=port,...]
[--latency S] [--registry-out FILE] [--world prefecture]`: serve the testbed until SIGTERM/SIGINT; print the
registry TOML (or write it) and one JSON ready-line. Switch epochs while serving with
`GET http://127.0.0.1:PORT/__simportals__/epoch?set=N` on any portal's port."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading

from . import build_testbed
from .server import registry_toml, start_servers, stop_servers


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m simportals")
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve", help="serve the simulated portals on 127.0.0.1")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--scale", type=int, default=1)
    s.add_argument("--epoch", type=int, default=0)
    s.add_argument("--hosts", type=int, default=4,
                   help="number of portals (host:port servers), >= 4; reports spread over them")
    s.add_argument("--ports", default="",
                   help="fixed ports, e.g. beilun=8001,shuyang=8002 (others: free ports)")
    s.add_argument("--latency", type=float, default=0.0, help="seconds added to each response")
    s.add_argument("--gzip", choices=("default", "all", "none"), default="default")
    s.add_argument("--chunked", choices=("default", "all", "none"), default="default")
    s.add_argument("--registry-out", help="write the registry TOML here instead of stdout")
    s.add_argument("--truth-out", help="also write the ground truth JSON here")
    s.add_argument("--quiet", action="store_true", help="print only the ready line")
    s.add_argument("--world", choices=("testbed", "prefecture"), default="testbed",
                   help="prefecture: the navigable county portals of simportals.prefecture "
                        "(home pages for `nianbao discover`)")
    args = ap.parse_args(argv)

    def opt(v: str) -> bool | None:
        return None if v == "default" else v == "all"

    ports = {}
    for part in filter(None, args.ports.split(",")):
        name, _, port = part.partition("=")
        ports[name.strip()] = int(port)
    if args.world == "prefecture":
        from .prefecture import build_prefecture

        tb = build_prefecture(seed=args.seed)
    else:
        tb = build_testbed(seed=args.seed, scale=args.scale, epoch=args.epoch, hosts=args.hosts)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    servers, threads = start_servers(tb, args.latency, opt(args.gzip), opt(args.chunked), ports)
    try:
        toml = tb.registry_toml() if args.world == "prefecture" else registry_toml(tb)
        if args.registry_out:
            with open(args.registry_out, "w", encoding="utf-8") as f:
                f.write(toml)
        elif not args.quiet:
            sys.stdout.write(toml)
        if args.truth_out:
            with open(args.truth_out, "w", encoding="utf-8") as f:
                json.dump(tb.truth_json(), f, ensure_ascii=False)
        ready = {"ready": True, "pid": os.getpid(), "hosts": tb.hosts,
                 "base_urls": {k: f"http://{v}" for k, v in tb.hosts.items()}}
        sys.stdout.write(json.dumps(ready, ensure_ascii=False) + "\n")
        sys.stdout.flush()
        while not stop.wait(0.5):
            pass
    finally:
        stop_servers(servers, threads)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
