"""LeasedQueue and HostGate against a real Redis: leases, requeue, per-portal counts, tokens."""

from __future__ import annotations

import time

from scrapy import Request, Spider

from distributed import store
from distributed.gate import HostGate
from distributed.queue import LEASE_META, LeasedQueue
from distributed.state import RedisCrawlState


def queue(server, worker: str, ttl: float = 0.3) -> LeasedQueue:
    q = LeasedQueue(server, Spider(name="portal"), store.QUEUE_KEY)
    q.worker, q.lease_seconds = worker, ttl
    return q


def counts(server, key: str) -> dict[str, int]:
    return {k.decode(): int(v) for k, v in server.hgetall(key).items() if int(v)}


def test_a_popped_request_is_leased_until_acknowledged(redis_server):
    server = store.connect(redis_server.url)
    a = queue(server, "a")
    a.push(Request("http://x.test/1", meta={"portal": "x"}, priority=1))
    a.push(Request("http://y.test/1", meta={"portal": "y"}))
    assert len(a) == 2 and counts(server, store.QUEUED) == {"x": 1, "y": 1}
    request = a.pop(portals=["y", "x"])  # the scheduler's order: least busy portal first
    assert request.url == "http://y.test/1" and request.meta[LEASE_META]
    assert a.leases() == 1 and counts(server, store.LEASED) == {"y": 1}
    a.ack(request)
    assert a.leases() == 0 and counts(server, store.DONE) == {"y": 1} and LEASE_META not in request.meta


def test_a_silent_workers_lease_goes_back_to_its_queue(redis_server):
    server = store.connect(redis_server.url)
    dead, alive = queue(server, "dead"), queue(server, "alive")
    dead.push(Request("http://x.test/1", meta={"portal": "x"}, priority=5))
    assert dead.pop(portals=["x"]) is not None
    assert alive.pop(portals=["x"]) is None and alive.requeue() == 0  # leased, not expired
    time.sleep(0.4)
    assert alive.requeue() == 1
    assert counts(server, store.REQUEUED) == {"dead": 1} and counts(server, store.QUEUED) == {"x": 1}
    again = alive.pop(portals=["x"])
    assert again.url == "http://x.test/1" and again.priority == 5


def test_renewed_leases_do_not_expire_and_a_retry_takes_the_lease_over(redis_server):
    server = store.connect(redis_server.url)
    q = queue(server, "w")
    q.push(Request("http://x.test/1", meta={"portal": "x"}))
    request = q.pop(portals=["x"])
    for _ in range(4):
        time.sleep(0.15)
        q.renew()
    assert q.requeue() == 0 and q.leases() == 1
    retry = request.replace(dont_filter=True)  # RetryMiddleware: the same meta, queued again
    q.push(retry)
    assert q.leases() == 0 and counts(server, store.QUEUED) == {"x": 1} and not counts(server, store.LEASED)
    assert LEASE_META not in retry.meta and q.pop(portals=["x"]).meta[LEASE_META]  # a lease of its own


def test_host_gate_holds_concurrency_and_delay_across_clients(redis_server):
    one, two = HostGate(store.connect(redis_server.url)), HostGate(store.connect(redis_server.url))
    t1, _ = one.acquire("h:1", limit=2, delay=0)
    t2, _ = two.acquire("h:1", limit=2, delay=0)
    t3, wait = one.acquire("h:1", limit=2, delay=0)
    assert t1 and t2 and t3 is None and wait < 0  # the allowance is in use
    two.release("h:1", t2)
    t4, _ = one.acquire("h:1", limit=2, delay=0)
    assert t4
    t5, _ = one.acquire("h:1", limit=2, delay=0, released=[t4])  # a finished download's token goes back first
    assert t5 and one.held["h:1"] == {t1, t5}
    d1, _ = one.acquire("slow:1", limit=5, delay=0.3)
    d2, wait = two.acquire("slow:1", limit=5, delay=0.3)
    assert d1 and d2 is None and 0 < wait <= 0.3  # the rest of the delay, whoever started last


def test_the_duplicate_filter_mark_and_the_push_are_one_step(redis_server):
    server = store.connect(redis_server.url)
    q = queue(server, "w")
    first = Request("http://x.test/1", meta={"portal": "x"})
    assert q.push(first, "fp1", "nianbao:portal:dupefilter")
    assert not q.push(first.replace(), "fp1", "nianbao:portal:dupefilter")  # seen: not queued twice
    assert len(q) == 1 and server.sismember("nianbao:portal:dupefilter", "fp1")


def test_a_pop_passes_over_a_host_whose_tokens_are_all_out(redis_server):
    # Popped then, the request would wait in this worker for a token while the worker
    # holding the host could fetch it (bench 7: 2 workers slower than 1).
    server = store.connect(redis_server.url)
    q, gate = queue(server, "w"), HostGate(store.connect(redis_server.url))
    q.push(Request("http://x.test/1", meta={"portal": "x"}))
    q.push(Request("http://y.test/1", meta={"portal": "y"}))
    held = [gate.acquire("x.test", limit=2, delay=0)[0] for _ in range(2)]
    order = [("x", store.GATE + "x.test", 2), ("y", store.GATE + "y.test", 2)]
    assert q.pop(portals=order).url == "http://y.test/1"  # x's two tokens are out
    assert q.pop(portals=order) is None and len(q) == 1
    gate.release("x.test", held[0])
    assert q.pop(portals=order).url == "http://x.test/1"


def test_a_request_made_again_is_charged_to_the_budget_once(redis_server):
    # A worker killed after its request was charged: the requeued request, made again by
    # another worker, must not spend the portal's budget a second time.
    dead, alive = (RedisCrawlState(store.connect(redis_server.url), None, False) for _ in range(2))
    assert dead.take_budget("x", 2, "fp1")
    assert alive.take_budget("x", 2, "fp1")  # the same request again: paid already
    assert alive.take_budget("x", 2, "fp2") and not alive.take_budget("x", 2, "fp3")  # two pages, then spent
    assert alive.take_budget("x", 2, "fp2")  # still paid for
    assert int(redis_server.client().hget(store.BUDGET, "x")) == 2


def test_links_and_acknowledgement_go_together_and_survive_a_failed_send(redis_server, monkeypatch):
    """A page's links (push_later) and its acknowledgement (ack_later) are sent in one pipeline,
    links first, with the next pop; a send Redis refuses keeps them all for the next one."""
    import redis

    server = store.connect(redis_server.url)
    q = queue(server, "w", ttl=30)
    q.push(Request("http://x.test/list", meta={"portal": "x"}))
    page = q.pop(portals=["x"])
    for n in range(3):
        q.push_later(Request(f"http://x.test/{n}", meta={"portal": "x"}))
    q.ack_later(page)
    assert q.pending() == 3 and len(q) == 3 and q.leases() == 1  # nothing sent yet
    real = server.pipeline

    class Refused:
        def __init__(self, *a, **k):
            self.inner = real(*a, **k)

        def __getattr__(self, name):
            return getattr(self.inner, name)

        def execute(self):
            raise redis.ConnectionError("Redis away")

    monkeypatch.setattr(server, "pipeline", Refused)
    try:
        q.send()
    except redis.ConnectionError:
        pass
    assert q.pending() == 3 and q.leases() == 1  # kept, not dropped
    monkeypatch.setattr(server, "pipeline", real)
    first = q.pop(portals=["x"])  # sends the links and the acknowledgement, then leases a link
    assert first.url in {f"http://x.test/{n}" for n in range(3)} and q.pending() == 0
    assert counts(server, store.QUEUED) == {"x": 2} and counts(server, store.DONE) == {"x": 1}
    assert q.leases() == 1  # the link's lease; the listing's ended
