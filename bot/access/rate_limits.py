"""Rate limits per key (a conversation, a client address): token buckets in memory.

A rate "30/60" lets a key make 30 requests at once and then one more every 2 s. Each
process keeps its own buckets; behind a load balancer each replica limits what it sees.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass
from typing import Callable, Dict, Optional, Tuple

RATE = re.compile(r"\s*([0-9]+)\s*/\s*([0-9]+(?:\.[0-9]+)?)\s*")
MAX_KEYS = 100_000  # then buckets that have filled up again are dropped


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
