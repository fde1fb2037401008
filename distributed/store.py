"""Where a distributed crawl lives in Redis: the connection, the key names, the crawl record.

One crawl per Redis database. Its keys all start with `nianbao:`; scrapy-redis' own keys
(frontier, duplicate filter) are named through SCHEDULER_QUEUE_KEY / SCHEDULER_DUPEFILTER_KEY
under the same prefix. Everything is dropped when the next crawl starts, the known captures
too: they are filled again from the coordinator's DATA, so a crawl never skips what that
DATA's archive does not hold. See docs/distributed.md.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

logger = logging.getLogger(__name__)

PREFIX = "nianbao"
QUEUE_KEY = PREFIX + ":%(spider)s:requests"  # + ":<portal>": a priority queue (sorted set) per portal
DUPEFILTER_KEY = PREFIX + ":%(spider)s:dupefilter"

# Keys of one crawl, dropped when the next crawl starts.
CRAWL = PREFIX + ":crawl"  # hash: id, status, seeded, started, registry, command
WORKERS = PREFIX + ":workers"  # hash: worker id → JSON heartbeat
LEASES = PREFIX + ":leases"  # sorted set: queue member → lease deadline (Redis time)
LEASE_INFO = PREFIX + ":lease_info"  # hash: member → "worker|priority score"
QUEUED = PREFIX + ":queued"  # hash: portal → requests waiting
LEASED = PREFIX + ":leased"  # hash: portal → requests leased
DONE = PREFIX + ":done"  # hash: portal → requests finished
REQUEUED = PREFIX + ":requeued"  # hash: worker whose lease expired → requests requeued
BUDGET = PREFIX + ":budget"  # hash: portal → requests spent of its max_pages
CHARGED = PREFIX + ":charged"  # set: fingerprints of the requests charged to a budget
LISTED = PREFIX + ":listed"  # set: report links seen on any listing of this crawl
NON_REPORTS = PREFIX + ":non_reports"  # set: URLs known not to be reports (not fetched again)
ROBOTS = PREFIX + ":robots"  # hash: netloc → robots.txt body fetched by one worker
ROBOTS_CLAIM = PREFIX + ":robots_claim:"  # + netloc: the worker fetching it
GATE = PREFIX + ":gate:"  # + slot key: sorted set of download tokens → deadline
GATE_NEXT = PREFIX + ":gate_next:"  # + slot key: Redis time the next download may start
CAPTURES = PREFIX + ":captures"  # hash: URL → JSON of its latest archived 200
BODIES = PREFIX + ":bodies"  # hash: listing URL → its latest archived body (zlib), to rebuild a 304

CRAWL_KEYS = (CRAWL, LEASES, LEASE_INFO, QUEUED, LEASED, DONE, REQUEUED, BUDGET, CHARGED, LISTED,
              NON_REPORTS, ROBOTS, CAPTURES, BODIES)


class NoCrawl(Exception):
    """Redis holds no crawl to join; start one with `nianbao crawl --redis URL`."""


class Unreachable(Exception):
    """Redis could not be reached (or refused us) when a command first contacted it."""


class LoggedRetry(Retry):
    """redis-py's Retry, saying so in the log: a worker waiting out a Redis restart pauses for
    up to a minute, and the operator should see why, and that it went on."""

    def call_with_retry(self, do: Any, fail: Any, *args: Any, **kwargs: Any) -> Any:
        failures: list[Exception] = []

        def logged(error: Exception, *rest: Any) -> Any:
            if not failures:
                logger.warning("Redis unreachable (%s): retrying, for up to %d attempts", error, self._retries)
            failures.append(error)
            return fail(error, *rest)

        result = super().call_with_retry(do, logged, *args, **kwargs)
        if failures:
            logger.warning("Redis reachable again after %d failed attempts", len(failures))
        return result


def redis_params() -> dict[str, Any]:
    """Client options for REDIS_PARAMS: every command retried with backoff for about a
    minute, so a Redis restart (persistence on) pauses the workers instead of failing them."""
    return {
        "socket_timeout": 30,
        "socket_connect_timeout": 10,
        "health_check_interval": 5,
        "retry": LoggedRetry(ExponentialBackoff(cap=2.0, base=0.05), 40),
        "retry_on_error": [redis.ConnectionError, redis.TimeoutError],
    }


def connect(url: str) -> redis.Redis:
    """A client for URL (redis://host:port/db) with the workers' retry policy, once Redis has
    answered: retrying a first contact for a minute would only make a wrong URL or a stopped
    server look like a hang (`Unreachable` says which at once)."""
    try:
        probe = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=10,
                                     retry=Retry(ExponentialBackoff(), 0))
        try:
            probe.ping()
        finally:
            probe.close()
    except (redis.RedisError, ValueError, OSError) as exc:
        raise Unreachable(f"cannot reach Redis at {url}: {exc}") from exc
    return redis.Redis.from_url(url, **redis_params())


def server_time(server: redis.Redis) -> float:
    """Redis' clock: leases and tokens use it, so workers' clocks need not agree."""
    seconds, micros = server.time()
    return seconds + micros / 1e6


def crawl_record(server: redis.Redis) -> dict[str, str]:
    raw = server.hgetall(CRAWL)
    return {k.decode(): v.decode("utf-8") for k, v in raw.items()}


def new_crawl(server: redis.Redis, registry_text: str, command: str) -> str:
    """Drop the last crawl's state and record a new crawl."""
    crawl_id = time.strftime("%Y%m%d%H%M%S", time.gmtime())
    pipe = server.pipeline()
    pipe.delete(*CRAWL_KEYS)
    for pattern in (PREFIX + ":*:requests:*", PREFIX + ":*:dupefilter", GATE + "*", GATE_NEXT + "*",
                    ROBOTS_CLAIM + "*"):
        for key in server.scan_iter(pattern):
            pipe.delete(key)
    pipe.hset(CRAWL, mapping={"id": crawl_id, "status": "running", "seeded": 0, "command": command,
                              "started": f"{server_time(server):.3f}", "registry": registry_text})
    pipe.execute()
    return crawl_id


def heartbeat(server: redis.Redis, worker: str, fields: dict[str, Any]) -> None:
    server.hset(WORKERS, worker, json.dumps({**fields, "beat": server_time(server)}))


def workers(server: redis.Redis, alive_within: float | None = None) -> dict[str, dict[str, Any]]:
    """Workers' last heartbeats; with `alive_within`, only those heard from that recently."""
    found = {k.decode(): json.loads(v) for k, v in server.hgetall(WORKERS).items()}
    if alive_within is not None:
        now = server_time(server)
        found = {k: v for k, v in found.items() if now - v["beat"] < alive_within}
    return found
