"""HostGate: one portal's concurrency and delay held across every worker, in Redis.

A worker asks the gate for a token before each download from a slot (a registry domain);
the gate grants one while fewer than the slot's concurrency are out and the slot's delay has
passed since the last start, whichever worker made it. Tokens carry a deadline (Redis time)
that the holder renews, so a dead worker's tokens free themselves. `GlobalSlotDownloader`
asks the gate; the slot's concurrency and delay are the worker's own (from the registry,
slowed by AutoThrottle and BackoffMiddleware), so a host that one worker backs off from is
backed off by all. Settings: LEASE_SECONDS, GATE_POLL_SECONDS.
"""

from __future__ import annotations

import uuid
from typing import Any

from scrapy import Request
from scrapy.core.downloader import Slot
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import _schedule_coro

from crawler.downloader import SlotBoundDownloader
from distributed import store

# KEYS: gate gate_next   ARGV: token limit delay ttl released-token... → 0 granted, else
# seconds to wait (-1: the concurrency is in use). Tokens of finished downloads go first.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
for i = 5, #ARGV do redis.call('ZREM', KEYS[1], ARGV[i]) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return '-1' end
local next = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < next then return tostring(next - now) end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
redis.call('SET', KEYS[2], tostring(now + tonumber(ARGV[3])), 'EX', 3600)
return '0'
"""

# KEYS: gate   ARGV: ttl token...
_RENEW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i]) end
return 1
"""


class HostGate:
    """Tokens per slot key: `acquire` → (token, 0) or (None, seconds until the delay has passed,
    or -1 while the concurrency is in use), `release`, `renew`."""

    def __init__(self, server: Any, ttl: float = 60.0, poll: float = 0.05) -> None:
        self.server, self.ttl, self.poll = server, ttl, poll
        self.held: dict[str, set[str]] = {}
        self._acquire = server.register_script(_ACQUIRE)
        self._renew = server.register_script(_RENEW)

    def acquire(self, key: str, limit: int, delay: float, released: list[str] = ()) -> tuple[str | None, float]:
        """Ask for a token; `released` tokens (downloads just finished) are given back first,
        in the same round trip."""
        token = uuid.uuid4().hex
        for old in released:
            self.held.get(key, set()).discard(old)
        wait = float(self._acquire(keys=[store.GATE + key, store.GATE_NEXT + key],
                                   args=[token, max(1, limit), max(0.0, delay), self.ttl, *released]))
        if wait == 0:
            self.held.setdefault(key, set()).add(token)
            return token, 0.0
        return None, -1.0 if wait < 0 else max(wait, 0.001)  # -1: the allowance is in use

    def release(self, key: str, *tokens: str) -> None:
        self.held.get(key, set()).difference_update(tokens)
        self.server.zrem(store.GATE + key, *tokens)

    def holds(self, key: str) -> bool:
        """This worker holds a token of the slot (its downloads of that host are under way)."""
        return bool(self.held.get(key))

    def renew(self) -> None:
        for key, tokens in self.held.items():
            if tokens:
                self._renew(keys=[store.GATE + key], args=[self.ttl, *tokens])


class GlobalSlotDownloader(SlotBoundDownloader):
    """DOWNLOADER for workers: SlotBoundDownloader whose slots also wait for the HostGate."""

    TOKEN = "_nianbao_gate_token"

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        from scrapy_redis.connection import get_redis_from_settings

        settings = crawler.settings
        self.gate = HostGate(get_redis_from_settings(settings), settings.getfloat("LEASE_SECONDS", 60.0),
                             settings.getfloat("GATE_POLL_SECONDS", 0.05))
        self._tokens: dict[int, dict[Request, str]] = {}  # id(slot) → its requests' tokens
        self._refused: dict[int, int] = {}  # id(slot) → refusals in a row (the poll backs off)
        self.stats = crawler.stats

    def _slot_key(self, slot: Slot) -> str:
        return next((k for k, s in self.slots.items() if s is slot), "?")

    def _process_queue(self, slot: Slot) -> None:
        # Called when a download ends (Scrapy's _download), so its token goes back at once,
        # even while the slot waits for a poll: a token kept until then held the host idle.
        key = self._slot_key(slot)
        tokens = self._tokens.setdefault(id(slot), {})
        released = [tokens.pop(r) for r in [r for r in tokens if r not in slot.transferring]]
        if slot.latercall or not slot.queue or slot.free_transfer_slots() <= 0:
            if released:
                self.gate.release(key, *released)
            return
        while slot.queue and slot.free_transfer_slots() > 0:
            token, wait = self.gate.acquire(key, slot.concurrency, slot.download_delay(), released)
            released = []
            if token is None:
                # Other workers hold the host's allowance: ask again soon, then less often
                # (every worker polling every waiting host at once would cost Redis and CPU).
                self.stats.inc_value("gate/refused")
                if wait < 0:
                    refused = self._refused[id(slot)] = self._refused.get(id(slot), 0) + 1
                    wait = self.gate.poll * min(2 ** (refused - 1), 8)
                slot.latercall = call_later(wait, self._latercall, slot)
                return
            self._refused.pop(id(slot), None)
            request, queue_dfd = slot.queue.popleft()
            tokens[request] = token
            _schedule_coro(self._wait_for_download(slot, request, queue_dfd))

    def renew_tokens(self) -> None:
        self.gate.renew()

    def close(self) -> None:
        for slot_id, tokens in self._tokens.items():
            key = next((k for k, s in self.slots.items() if id(s) == slot_id), "?")
            if tokens:
                self.gate.release(key, *tokens.values())
        super().close()
