"""The checks before a request is served: the right site, not too often (counted in Redis
when the replicas share one, SSCBOT_REDIS_URL), the right token, no compressed body.

Both servers admit a request through `Guard.admit` (after the site's check) and turn a
`Refused` into a JSON error with its status (and `Retry-After` for 429).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, FrozenSet, Iterable, Optional, Tuple, Union

from bot import settings
from bot.access.client_address import client_address, trusted_proxies
from bot.access.origins import OriginPolicy, Verdict
from bot.access.rate_limits import Rate, RateLimiter, SharedRateLimiter

Limiter = Union[RateLimiter, SharedRateLimiter]

SITE_REFUSED = "This site may not use the assistant."
TOKEN_MISSING = "This request needs its token (Authorization: Bearer ...)."
TOKEN_WRONG = "This token is not valid here."
TOKENS = (TOKEN_MISSING, TOKEN_WRONG)
ENCODING_REFUSED = "Compressed requests are not accepted: send the body without Content-Encoding."


class Refused(Exception):
    def __init__(self, status: int, message: str, retry_after: int = 0):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers: Dict[str, str] = {"Retry-After": str(retry_after)} if retry_after else {}


def bearer_token(authorization: Optional[str]) -> Optional[str]:
    """The token of an `Authorization: Bearer <token>` header; None if there is none."""
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def check_token(
    authorization: Optional[str], expected: Union[str, Callable[[str], bool]], messages: Tuple[str, str] = TOKENS
) -> None:
    """401 without a token, 403 with another one than `expected` (or one it refuses);
    `messages`: what each says."""
    token = bearer_token(authorization)
    if token is None:
        raise Refused(401, messages[0])
    if isinstance(expected, str):
        valid = hmac.compare_digest(token.encode("utf-8"), expected.encode("utf-8"))
    else:
        valid = expected(token)
    if not valid:
        raise Refused(403, messages[1])


def check_content_encoding(content_encoding: Optional[str]) -> None:
    """415 for a compressed request body (zip bombs): refused before it is read."""
    if (content_encoding or "identity").strip().lower() != "identity":
        raise Refused(415, ENCODING_REFUSED)


@dataclass
class Guard:
    origins: OriginPolicy
    per_conversation: Optional[Rate] = None
    per_address: Optional[Rate] = None
    trusted_proxies: FrozenSet[str] = frozenset()
    redis: Any = None  # a Redis client: the buckets shared by all replicas (else in this process)
    name: str = "api"  # keeps the buckets of the widget API and of the webhook apart in Redis
    _limiters: Dict[str, Limiter] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for kind, rate in (("conversation", self.per_conversation), ("address", self.per_address)):
            if rate is not None:
                shared = self.redis is not None
                prefix = f"sscbot:rate:{self.name}:{kind}:"
                self._limiters[kind] = SharedRateLimiter(rate, self.redis, prefix) if shared else RateLimiter(rate)

    def check_origin(self, origin_header: Optional[str]) -> Verdict:
        verdict = self.origins.judge(origin_header)
        if verdict is Verdict.REFUSED:
            raise Refused(403, SITE_REFUSED)
        return verdict

    def admit(
        self,
        peer: Optional[str],
        forwarded_for: Optional[str],
        authorization: Optional[str],
        token: Union[str, Callable[[str], bool], None],
        conversation: Optional[str] = None,
        token_messages: Tuple[str, str] = TOKENS,
    ) -> None:
        """The checks after the site's, in this order, for both servers: this client's rate
        limit (counted before the token is checked, so that refused requests count too); the
        token, unless `token` is None (check_token); the conversation's rate limit, for one."""
        self.check_address(peer, forwarded_for)
        if token:
            check_token(authorization, token, token_messages)
        if conversation is not None:
            self.check_conversation(conversation)

    def check_address(self, peer: Optional[str], forwarded_for: Optional[str]) -> None:
        """429 when this client (its address; an IPv6 /64 is one client) is over its limit.
        Checked before the token, so that refused requests count too."""
        self._take("address", client_address(peer, forwarded_for, self.trusted_proxies), "from your network")

    def check_conversation(self, conversation: str) -> None:
        """429 when this conversation is over its limit."""
        self._take("conversation", conversation, "in this conversation")

    def _take(self, kind: str, key: str, where: str) -> None:
        limiter = self._limiters.get(kind)
        wait = limiter.take(key) if limiter else 0
        if limiter and wait:
            raise Refused(429, f"Too many messages {where} ({limiter.rate}). Please wait {wait} s and try again.", wait)


def guard_from_settings(api: str, own_sites: Iterable[str]) -> Guard:
    """The guard of the widget API (`api="WIDGET"`) or of the webhook (`"WEBHOOK"`) from the
    settings: the listed sites, SSCBOT_<api>_RATE_PER_CONVERSATION and _PER_ADDRESS, and the
    trusted proxies. ValueError names a bad setting."""
    per_conversation, per_address = (f"SSCBOT_{api}_RATE_PER_{what}" for what in ("CONVERSATION", "ADDRESS"))
    return Guard(
        OriginPolicy.of(own_sites, settings.widget_origins()),
        Rate.parse(settings.rate_setting(per_conversation), per_conversation),
        Rate.parse(settings.rate_setting(per_address), per_address),
        trusted_proxies(settings.trusted_proxies()),
        redis_client(settings.redis_url()),
        api.lower(),
    )


def redis_client(url: str) -> Any:
    """A client of the replicas' Redis (SSCBOT_REDIS_URL), None without one. Connects lazily."""
    if not url:
        return None
    import redis  # Rasa's dependency, for its Redis lock store

    return redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
