"""Rate limits per key (a conversation, a client address): token buckets.

A rate "30/60" lets a key make 30 requests at once and then one more every 2 s. The
buckets live in the process (`RateLimiter`), or in Redis when the replicas share one
(`SharedRateLimiter`, SSCBOT_REDIS_URL), so that N replicas together keep the limit.
"""

from __future__ import annotations

import logging
import math
import re
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, Optional, Tuple

RATE = re.compile(r"\s*([0-9]+)\s*/\s*([0-9]+(?:\.[0-9]+)?)\s*")
MAX_KEYS = 100_000  # then buckets that have filled up again are dropped
logger = logging.getLogger(__name__)
# The same bucket as RateLimiter.take, in one atomic step in Redis. KEYS[1]: the bucket;
# ARGV: capacity, refill per second. Returns the seconds to wait (0: taken).
TAKE = """
local capacity, per_second = tonumber(ARGV[1]), tonumber(ARGV[2])
local now = redis.call('TIME')
now = tonumber(now[1]) + tonumber(now[2]) / 1000000
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(bucket[1]) or capacity
local at = tonumber(bucket[2]) or now
tokens = math.min(capacity, tokens + (now - at) * per_second)
local wait = 0
if tokens < 1 then
  wait = math.max(1, math.ceil((1 - tokens) / per_second))
else
  tokens = tokens - 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(capacity / per_second) + 1)
return wait
"""


@dataclass(frozen=True)
class Rate:
    requests: int
    seconds: float

    @classmethod
    def parse(cls, text: str, setting: str) -> Optional[Rate]:
        """`"30/60"` is 30 requests per 60 s; empty or "off" is no limit."""
        if text.strip().lower() in ("", "off"):
            return None
        match = RATE.fullmatch(text)
        if not match or int(match[1]) < 1 or float(match[2]) <= 0:
            raise ValueError(f"{setting}: {text!r} is not a rate like 30/60 (requests per seconds) or 'off'")
        return cls(int(match[1]), float(match[2]))

    def __str__(self) -> str:
        return f"{self.requests} per {self.seconds:g} s"


class RateLimiter:
    def __init__(self, rate: Rate, clock: Callable[[], float] = time.monotonic):
        self.rate = rate
        self._clock = clock
        self._per_second = rate.requests / rate.seconds
        self._buckets: Dict[str, Tuple[float, float]] = {}  # key: (tokens, at)

    def take(self, key: str) -> int:
        """0 if `key` may make a request now (and it is counted); else the whole seconds to wait."""
        now = self._clock()
        tokens, at = self._buckets.get(key, (float(self.rate.requests), now))
        tokens = min(float(self.rate.requests), tokens + (now - at) * self._per_second)
        if tokens < 1.0:
            self._buckets[key] = (tokens, now)
            return max(1, math.ceil((1.0 - tokens) / self._per_second))
        if len(self._buckets) >= MAX_KEYS and key not in self._buckets:
            self._drop_full(now)
        self._buckets[key] = (tokens - 1.0, now)
        return 0

    def _drop_full(self, now: float) -> None:
        refill = self._per_second
        full = [k for k, (tokens, at) in self._buckets.items() if tokens + (now - at) * refill >= self.rate.requests]
        for key in full:
            del self._buckets[key]


class SharedRateLimiter:
    """RateLimiter's buckets in Redis, shared by every replica. When Redis cannot be reached
    the request is let through (patients keep getting answers) and the failure is logged."""

    def __init__(self, rate: Rate, redis: Any, prefix: str):
        self.rate = rate
        self._per_second = rate.requests / rate.seconds
        self._prefix = prefix
        self._take = redis.register_script(TAKE)

    def take(self, key: str) -> int:
        try:
            return int(self._take(keys=[f"{self._prefix}{key}"], args=[self.rate.requests, self._per_second]))
        except Exception as error:  # redis.RedisError, OSError: the limit must not stop the assistant
            logger.warning("rate limit not checked, Redis failed: %s", error)
            return 0
