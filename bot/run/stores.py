"""The variables that endpoints.yml names (`${SSCBOT_...}`), made from the settings: the action
server, the conversations (an SQLite file, or PostgreSQL when SSCBOT_POSTGRES_URL is set) and
the per-conversation lock (Rasa's in-process lock, or Redis when SSCBOT_REDIS_URL is set, so
that several Rasa servers share it). The Rasa server's entry point (bot.run.rasa_server) sets
them before Rasa reads the file, so one endpoints.yml serves every way of running."""

from __future__ import annotations

from typing import Dict, Mapping
from urllib.parse import unquote, urlsplit

from bot.settings import Settings

LOCK_KEY_PREFIX = "sscbot"  # endpoints.yml's lock_store.key_prefix
LOCK_STORE_TYPE = "bot.rasa_plugins.lock_store.LeasedRedisLockStore"  # Rasa's Redis lock store, with leases


def endpoint_variables(environ: Mapping[str, str]) -> Dict[str, str]:
    """{variable: value} for endpoints.yml, from the settings in `environ`."""
    settings = Settings.from_environ(environ)
    return {
        "SSCBOT_ACTION_URL": settings.action_url,
        "SSCBOT_TRACKER_URL": settings.tracker_url,
        **_lock_store(settings.redis_url),
    }


def _lock_store(redis_url: str) -> Dict[str, str]:
    """Our Redis lock store (Rasa's, with leases) on this Redis (database number from the URL's
    path), or Rasa's in-process one. Rasa reads every value as text: an empty one is false or none."""
    if not redis_url:
        return {name: "" for name in _LOCK_VARIABLES} | {"SSCBOT_LOCK_STORE": "in_memory"}
    parts = urlsplit(redis_url)  # a redis:// or rediss:// URL (Settings)
    return {
        "SSCBOT_LOCK_STORE": LOCK_STORE_TYPE,
        "SSCBOT_LOCK_HOST": parts.hostname or "127.0.0.1",
        "SSCBOT_LOCK_PORT": str(parts.port or 6379),
        "SSCBOT_LOCK_DB": parts.path.strip("/") or "1",
        "SSCBOT_LOCK_PASSWORD": unquote(parts.password or ""),
        "SSCBOT_LOCK_SSL": "true" if parts.scheme == "rediss" else "",
    }


_LOCK_VARIABLES = ("SSCBOT_LOCK_HOST", "SSCBOT_LOCK_PORT", "SSCBOT_LOCK_DB", "SSCBOT_LOCK_PASSWORD", "SSCBOT_LOCK_SSL")
