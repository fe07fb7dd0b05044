"""One endpoints.yml for every way of running: Rasa reads it with the variables the Rasa
server's entry point sets from the settings (bot.run.stores)."""

import pytest
from rasa.core.utils import AvailableEndpoints

from bot.run.stores import LOCK_STORE_TYPE, endpoint_variables
from bot.settings import PROJECT_DIR


def endpoints(monkeypatch, **settings):
    for name in ("SSCBOT_ACTION_URL", "SSCBOT_TRACKER_URL", "SSCBOT_POSTGRES_URL", "SSCBOT_REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    for name, value in endpoint_variables(dict(settings)).items():
        monkeypatch.setenv(name, value)
    return AvailableEndpoints.read_endpoints(str(PROJECT_DIR / "endpoints.yml"))


def test_by_default_one_machine_with_sqlite_and_rasas_own_lock(monkeypatch):
    read = endpoints(monkeypatch)
    assert read.action.url == "http://127.0.0.1:5055/webhook"
    assert read.tracker_store.type == "bot.rasa_plugins.tracker_store.PreparedSQLTrackerStore"
    assert read.tracker_store.url == f"sqlite:///{PROJECT_DIR / 'var' / 'tracker.db'}"
    assert read.lock_store.type == "in_memory"


def test_replicas_share_postgresql_and_redis_from_their_two_urls(monkeypatch):
    read = endpoints(
        monkeypatch,
        SSCBOT_ACTION_URL="http://actions:5055/webhook",
        SSCBOT_POSTGRES_URL="postgresql://sscbot:pw@db:5432/sscbot",
        SSCBOT_REDIS_URL="redis://:s%40cret@cache:6380/2",
    )
    assert read.action.url == "http://actions:5055/webhook"
    assert read.tracker_store.url == "postgresql://sscbot:pw@db:5432/sscbot"
    assert read.lock_store.type == LOCK_STORE_TYPE and read.lock_store.url == "cache"
    assert read.lock_store.kwargs == {
        "port": "6380",
        "db": "2",
        "password": "s@cret",
        "use_ssl": "",
        "key_prefix": "sscbot",
    }


def test_an_own_tracker_url_wins_and_a_bad_redis_url_is_refused(monkeypatch):
    read = endpoints(monkeypatch, SSCBOT_TRACKER_URL="sqlite:////tmp/t.db", SSCBOT_POSTGRES_URL="postgresql://db/x")
    assert read.tracker_store.url == "sqlite:////tmp/t.db"
    with pytest.raises(ValueError, match="SSCBOT_REDIS_URL must be a redis:// URL"):
        endpoint_variables({"SSCBOT_REDIS_URL": "http://cache:6379"})
