"""Signed staff session cookies: `name.expiry.signature` (HMAC-SHA256 under the staff key).
The server keeps no session table; a cookie cannot be made or changed without the key."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Optional

COOKIE = "sscbot_staff"
LIFETIME_S = 8 * 3600
MIN_KEY_BYTES = 32


def check_key(key: bytes) -> bytes:
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"the staff key must be at least {MIN_KEY_BYTES} characters")
    return key


def _sign(key: bytes, payload: str) -> str:
    return (
        base64.urlsafe_b64encode(hmac.new(key, payload.encode("utf-8"), hashlib.sha256).digest()).decode().rstrip("=")
    )


def make_cookie(key: bytes, name: str, now: Optional[float] = None) -> str:
    expires = int((now if now is not None else time.time()) + LIFETIME_S)
    payload = f"{name}.{expires}"
    return f"{payload}.{_sign(key, payload)}"


def staff_name(key: bytes, cookie: Optional[str], now: Optional[float] = None) -> Optional[str]:
    """The signed-in staff member's name, or None for a missing, forged or expired cookie."""
    if not cookie or cookie.count(".") < 2:
        return None
    payload, _, signature = cookie.rpartition(".")
    name, _, expires = payload.rpartition(".")
    if not hmac.compare_digest(_sign(key, payload), signature) or not expires.isdigit():
        return None
    return name if int(expires) > (now if now is not None else time.time()) else None
