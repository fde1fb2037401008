"""LeasedQueue: scrapy-redis' priority queue, with leases so a dead worker loses nothing.

scrapy-redis' `PriorityQueue.pop` removes a request from Redis: a worker killed before the
request is archived loses it. Here `pop` moves it, in one Lua script, to a sorted set of
leases scored by a deadline (Redis time); the worker renews its leases while it lives
(`renew`), acknowledges a request when Scrapy is done with it (`ack`, called by
`distributed.scheduler.LeasedScheduler`), and any worker puts expired leases back in the
queue (`requeue`). Each portal has its own queue (`<SCHEDULER_QUEUE_KEY>:<portal>`), and a
worker pops from the portals its downloader is least busy with and skips those it already has
enough of (`pop(portals)`), as Scrapy's DownloaderAwarePriorityQueue does in one process: one
queue in priority order would fill a worker's downloader with one host's requests while the
other hosts wait, and hoard them from the other workers. Members carry their portal's name
before a NUL byte, so the scripts find their queue and keep per-portal counts (`nianbao
status`) without unpickling anything.

Round trips cost a worker's reactor more than anything else it asks of Redis, so the scheduler
queues a callback's links and a finished request's acknowledgement with `push_later` and
`ack_later`, and they go out in order, in one pipeline with the next `pop` (or `send`, on the
scheduler's tick). The acknowledgement of a request always follows the pushes of the links it
produced, so a worker killed in between loses nothing: its lease is requeued and the page made
again. Scripts are sent with EVAL (Redis caches them by digest), so a restarted Redis, whose
script cache is empty, never fails a batch half way with NOSCRIPT.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy_redis.queue import PriorityQueue

from crawler.meta import PORTAL
from distributed import store

LEASE_META = "nianbao_lease"  # request.meta: the queue member this request was leased as

_LUA_HEAD = """
local function portal(member) return string.sub(member, 1, string.find(member, '\\0', 1, true) - 1) end
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
"""

# KEYS: leases lease_info queued leased
# ARGV: worker ttl queue-prefix (portal gate-key-or-empty limit)...
# A portal whose gate (distributed.gate) has every token out to downloads is skipped: its
# requests stay here for the worker whose downloads end first, instead of waiting in this one.
_POP = _LUA_HEAD + """
local item, queue = {}, nil
for i = 4, #ARGV, 3 do
  local gate = ARGV[i + 1]
  if gate ~= '' then redis.call('ZREMRANGEBYSCORE', gate, '-inf', now) end
  if gate == '' or redis.call('ZCARD', gate) < tonumber(ARGV[i + 2]) then
    queue = ARGV[3] .. ':' .. ARGV[i]
    item = redis.call('ZRANGE', queue, 0, 0, 'WITHSCORES')
    if #item > 0 then break end
  end
end
if #item == 0 then return false end
redis.call('ZREM', queue, item[1])
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), item[1])
redis.call('HSET', KEYS[2], item[1], ARGV[1] .. '|' .. item[2])
redis.call('HINCRBY', KEYS[3], portal(item[1]), -1)
redis.call('HINCRBY', KEYS[4], portal(item[1]), 1)
return item[1]
"""

# KEYS: portal-queue queued leases lease_info leased done dupefilter
# ARGV: score member previous-lease-or-empty fingerprint-or-empty → 0 when already seen
_PUSH = _LUA_HEAD + """
if ARGV[4] ~= '' and redis.call('SADD', KEYS[7], ARGV[4]) == 0 then return 0 end
if redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2]) == 1 then redis.call('HINCRBY', KEYS[2], portal(ARGV[2]), 1) end
if ARGV[3] ~= '' and redis.call('ZREM', KEYS[3], ARGV[3]) == 1 then
  redis.call('HDEL', KEYS[4], ARGV[3])
  redis.call('HINCRBY', KEYS[5], portal(ARGV[3]), -1)
end
return 1
"""

# KEYS: leases lease_info leased done   ARGV: member
_ACK = _LUA_HEAD + """
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HINCRBY', KEYS[3], portal(ARGV[1]), -1)
redis.call('HINCRBY', KEYS[4], portal(ARGV[1]), 1)
return 1
"""

# KEYS: leases   ARGV: ttl member...
_RENEW = _LUA_HEAD + """
local n = 0
for i = 2, #ARGV do n = n + redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[1]), ARGV[i]) end
return n
"""

# KEYS: leases lease_info queued leased requeued   ARGV: queue-prefix member... (none: every expired lease)
_REQUEUE = _LUA_HEAD + """
local members = {unpack(ARGV, 2)}
if #members == 0 then members = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 1000) end
local n = 0
for _, m in ipairs(members) do
  if redis.call('ZREM', KEYS[1], m) == 1 then
    local info = redis.call('HGET', KEYS[2], m) or '?|0'
    local bar = string.find(info, '|', 1, true)
    redis.call('HDEL', KEYS[2], m)
    redis.call('HINCRBY', KEYS[4], portal(m), -1)
    redis.call('HINCRBY', KEYS[5], string.sub(info, 1, bar - 1), 1)
    if redis.call('ZADD', ARGV[1] .. ':' .. portal(m), string.sub(info, bar + 1), m) == 1 then redis.call('HINCRBY', KEYS[3], portal(m), 1) end
    n = n + 1
  end
end
return n
"""


class LeasedQueue(PriorityQueue):
    """SCHEDULER_QUEUE_CLASS for workers: pop leases, push transfers a retry's lease."""

    worker = "worker"
    lease_seconds = 60.0

    def __init__(self, server: Any, spider: Any, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        self.held: set[bytes] = set()  # members this worker holds leases on
        self._scripts = {name: server.register_script(lua) for name, lua in (
            ("pop", _POP), ("push", _PUSH), ("ack", _ACK), ("renew", _RENEW), ("requeue", _REQUEUE))}
        self._later: list[tuple[str, list[str], list[Any], Request | None]] = []  # (script, keys, args, pushed)
        self.duplicates: list[Request] = []  # pushed later and found seen, for the scheduler to log

    @staticmethod
    def portal_of(request: Request) -> str:
        return str(request.meta.get(PORTAL) or "?").replace("\0", "")

    def _encode_request(self, request: Request) -> bytes:
        portal = self.portal_of(request).encode("utf-8")
        lease = request.meta.pop(LEASE_META, None)  # a lease is this process's, never queued
        try:
            return portal + b"\0" + super()._encode_request(request)
        finally:
            if lease is not None:
                request.meta[LEASE_META] = lease

    def _decode_request(self, encoded: bytes) -> Request:
        return super()._decode_request(encoded.split(b"\0", 1)[1])

    def push(self, request: Request, fingerprint: str = "", seen_key: str = "") -> bool:
        """Queue a request unless its fingerprint is in `seen_key` (the duplicate filter's
        set, checked and filled in the same script: a worker killed in between would
        otherwise leave a request marked seen and never queued). A retry or redirect of a
        leased request takes over its lease, which ends in the same script too."""
        self.push_later(request, fingerprint, seen_key)
        self.send()
        if request in self.duplicates:
            self.duplicates.remove(request)
            return False
        return True

    def push_later(self, request: Request, fingerprint: str = "", seen_key: str = "") -> None:
        """`push`, sent with the next `pop` or `send`."""
        previous = request.meta.get(LEASE_META) or b""
        keys = [f"{self.key}:{self.portal_of(request)}", store.QUEUED, store.LEASES, store.LEASE_INFO,
                store.LEASED, store.DONE, seen_key or store.PREFIX + ":unused"]
        self._later.append(("push", keys, [-request.priority, self._encode_request(request), previous, fingerprint],
                            request))

    def pending(self) -> int:
        """Pushes not sent yet."""
        return sum(1 for name, *_ in self._later if name == "push")

    def send(self) -> None:
        """Send what was queued for later; pushed requests found seen go to `duplicates`."""
        self._send()

    def _send(self, pop: list[Any] | None = None) -> bytes | None:
        later, self._later = self._later, []
        if not later and pop is None:
            return None
        calls = [(self._scripts[name].script, keys, args) for name, keys, args, _ in later]
        if pop is not None:
            calls.append((_POP, [store.LEASES, store.LEASE_INFO, store.QUEUED, store.LEASED], pop))
        pipe = self.server.pipeline(transaction=False)
        for script, keys, args in calls:
            pipe.eval(script, len(keys), *keys, *args)
        try:
            results = pipe.execute()
        except Exception:
            self._later[:0] = later  # Redis away beyond the client's retries: sent next time
            raise
        for (name, _keys, args, request), result in zip(later, results, strict=False):
            if name != "push":
                continue
            if not result:
                self.duplicates.append(request)
            elif args[2]:  # the lease went with the request
                self.held.discard(args[2])
                request.meta.pop(LEASE_META, None)
        return results[-1] if pop is not None else None

    def __len__(self) -> int:
        return sum(max(0, int(n)) for n in self.server.hvals(store.QUEUED)) + self.pending()

    def pop(self, timeout: int = 0, portals: list[str | tuple[str, str, int]] | None = None) -> Request | None:
        """Lease the first request of the first non-empty queue among `portals` (in order);
        a portal given as (name, gate key, limit) is passed over while its gate's `limit`
        tokens are all out. What was queued for later goes first, in the same round trip."""
        if portals is None:
            self.send()
            portals = [k.decode("utf-8") for k, n in self.server.hgetall(store.QUEUED).items() if int(n) > 0]
        if not portals:
            self.send()
            return None
        args = [x for p in portals for x in ((p, "", 0) if isinstance(p, str) else p)]
        member = self._send(pop=[self.worker, self.lease_seconds, self.key, *args])
        if not member:
            return None
        self.held.add(member)
        request = self._decode_request(member)
        request.meta[LEASE_META] = member
        return request

    def ack(self, request: Request) -> None:
        """Scrapy is done with this request (archived and parsed, failed, or dropped)."""
        self.ack_later(request)
        self.send()

    def ack_later(self, request: Request) -> None:
        """`ack`, sent after every push queued before it, with the next `pop` or `send`."""
        member = request.meta.pop(LEASE_META, None)
        if member is None:
            return
        self.held.discard(member)
        self._later.append(("ack", [store.LEASES, store.LEASE_INFO, store.LEASED, store.DONE], [member], None))

    def renew(self) -> int:
        if not self.held:
            return 0
        return self._scripts["renew"](keys=[store.LEASES], args=[self.lease_seconds, *self.held])

    def requeue(self, members: list[bytes] | None = None) -> int:
        """Put back expired leases (anyone's), or the given members (this worker's, on a stop)."""
        return self._scripts["requeue"](keys=[store.LEASES, store.LEASE_INFO, store.QUEUED, store.LEASED,
                                              store.REQUEUED], args=[self.key, *(members or [])])

    def leases(self) -> int:
        return self.server.zcard(store.LEASES)

    def clear(self) -> None:
        keys = [*self.server.scan_iter(self.key + ":*"), store.LEASES, store.LEASE_INFO, store.QUEUED, store.LEASED]
        self.server.delete(*keys)
