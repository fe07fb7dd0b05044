"""Rasa's stores for the endpoints file: the conversations in PostgreSQL and the
per-conversation lock in Redis when their URLs are set (SSCBOT_POSTGRES_URL,
SSCBOT_REDIS_URL), so that several Rasa servers share them."""

from __future__ import annotations

from typing import Any, Dict
from urllib.parse import unquote, urlsplit

from sqlalchemy.engine import make_url

from bot.records.conversations import TRACKER_STORE_TYPE

LOCK_KEY_PREFIX = "sscbot"
LOCK_STORE_TYPE = "bot.rasa_plugins.lock_store.LeasedRedisLockStore"


def tracker_store(postgres_url: str) -> Dict[str, Any]:
    """Our SQL tracker store (Rasa's, with prepared statements) on this PostgreSQL database."""
    url = make_url(postgres_url)
    if not url.drivername.startswith("postgresql"):
        raise ValueError(f"SSCBOT_POSTGRES_URL must be a postgresql:// URL, not {url.drivername}://")
    return {
        "type": TRACKER_STORE_TYPE,
        "dialect": "postgresql",
        "url": url.host or "127.0.0.1",
        "port": url.port or 5432,
        "db": url.database,
        "username": url.username,
        "password": url.password,
    }


def lock_store(redis_url: str) -> Dict[str, Any]:
    """Our Redis lock store (Rasa's, with leases) on this Redis (database number from the URL's path)."""
    parts = urlsplit(redis_url)
    if parts.scheme not in ("redis", "rediss"):
        raise ValueError(f"SSCBOT_REDIS_URL must be a redis:// URL, not {redis_url!r}")
    store: Dict[str, Any] = {
        "type": LOCK_STORE_TYPE,
        "url": parts.hostname or "127.0.0.1",
        "port": parts.port or 6379,
        "db": int(parts.path.strip("/") or 1),
        "key_prefix": LOCK_KEY_PREFIX,
        "use_ssl": parts.scheme == "rediss",
    }
    if parts.password:
        store["password"] = unquote(parts.password)
    return store
