"""`nianbao status --redis URL`: a distributed crawl at a glance, read from Redis alone."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from distributed import store

ALIVE_SECONDS = 10.0  # a worker beats twice a second; silent this long, it is gone


@dataclass
class CrawlStatus:
    crawl_id: str | None
    status: str
    seeded: bool
    workers: dict[str, dict[str, Any]]  # id → heartbeat, with "alive" and "pages_per_s"
    portals: dict[str, dict[str, int]]  # name → queued, leased, done, budget
    leases: int
    requeued: dict[str, int]  # worker → requests taken back from it
    listed: int
    pages_per_s: float
    elapsed: float
    notes: list[str] = field(default_factory=list)


def _counts(server: Any, key: str) -> dict[str, int]:
    return {k.decode("utf-8"): int(v) for k, v in server.hgetall(key).items()}


def crawl_status(server: Any) -> CrawlStatus:
    record = store.crawl_record(server)
    now = store.server_time(server)
    started = float(record.get("started") or now)
    elapsed = max(float(record.get("finished") or now) - started, 1e-6)
    workers = store.workers(server)
    for beat in workers.values():
        beat["alive"] = now - beat["beat"] < ALIVE_SECONDS
    columns = {"queued": store.QUEUED, "leased": store.LEASED, "done": store.DONE, "budget": store.BUDGET}
    portals: dict[str, dict[str, int]] = {}
    for column, key in columns.items():
        for portal, n in _counts(server, key).items():
            portals.setdefault(portal, dict.fromkeys(columns, 0))[column] = n
    done = sum(p["done"] for p in portals.values())
    return CrawlStatus(record.get("id"), record.get("status", "none"), record.get("seeded") == "1", workers, portals,
                       server.zcard(store.LEASES), _counts(server, store.REQUEUED), server.scard(store.LISTED),
                       done / elapsed, elapsed)


def format_status(s: CrawlStatus) -> list[str]:
    if s.crawl_id is None:
        return ["no crawl in this Redis database"]
    alive = sum(1 for w in s.workers.values() if w["alive"])
    lines = [f"crawl {s.crawl_id}: {s.status}{'' if s.seeded else ' (being seeded)'}, {s.elapsed:.0f}s, "
             f"{s.pages_per_s:.1f} requests done/s; {s.leases} leased; {s.listed} report links listed",
             f"workers: {alive} alive of {len(s.workers)}"]
    for wid, w in sorted(s.workers.items()):
        lines.append(f"  {wid:24} {'alive' if w['alive'] else 'silent'}  {w.get('host')} pid {w.get('pid')}  "
                     f"{w.get('responses', 0)} responses, {w.get('held', 0)} leases  {w.get('data', '')}")
    lines.append(f"{'portal':24} {'queued':>7} {'leased':>7} {'done':>7} {'budget':>7}")
    for name, p in sorted(s.portals.items()):
        lines.append(f"  {name:22} {p['queued']:>7} {p['leased']:>7} {p['done']:>7} {p['budget']:>7}")
    if s.requeued:
        lines.append("requeued from expired leases: " + ", ".join(f"{w} {n}" for w, n in sorted(s.requeued.items())))
    return lines
