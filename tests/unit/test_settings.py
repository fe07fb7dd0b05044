"""Settings: one typed, frozen object read from the environment, with clear errors for bad values."""

import dataclasses
import os
import subprocess
import sys

import pytest

from bot import settings


def test_listed_sites_are_allowed(monkeypatch):
    monkeypatch.setenv("SSCBOT_WIDGET_ORIGINS", " https://www.clinic.example/ ,http://localhost:8443")
    assert settings.widget_origins() == ("https://www.clinic.example", "http://localhost:8443")


def test_no_sites_by_default(monkeypatch):
    monkeypatch.delenv("SSCBOT_WIDGET_ORIGINS", raising=False)
    assert settings.widget_origins() == ()


@pytest.mark.parametrize(
    "origins",
    ["*", "https://*.clinic.example", "https://clinic.example/path", "clinic.example", "https://clinic.(example|evil)"],
)
def test_wildcards_and_non_sites_are_refused(monkeypatch, origins):
    monkeypatch.setenv("SSCBOT_WIDGET_ORIGINS", f"https://ok.example,{origins}")
    with pytest.raises(ValueError, match="is not a site like https://www.clinic.example"):
        settings.widget_origins()


def test_the_settings_are_one_frozen_object_built_once_for_each_environment(monkeypatch):
    monkeypatch.setenv("SSCBOT_MAX_MESSAGE_CHARS", "500")
    first = settings.current()
    assert first is settings.current() and first.max_message_chars == 500 == settings.max_message_chars()
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.max_message_chars = 10  # type: ignore[misc]
    monkeypatch.setenv("SSCBOT_MAX_MESSAGE_CHARS", "800")
    assert settings.current().max_message_chars == 800


def test_another_process_environment_gives_its_own_settings():
    other = settings.Settings.from_environ({"SSCBOT_POSTGRES_URL": "postgresql://u:p@db/sscbot"})
    assert other.tracker_url == other.database_url == other.feedback_database_url == "postgresql://u:p@db/sscbot"
    default = settings.Settings.from_environ({})
    assert default.tracker_url == f"sqlite:///{settings.PROJECT_DIR / 'var' / 'tracker.db'}"
    assert default.reply_timeout_s == 10.0 and default.rates["SSCBOT_WIDGET_RATE_PER_ADDRESS"] == "120/60"


@pytest.mark.parametrize(
    "name, value, error",
    [
        ("SSCBOT_MAX_MESSAGE_CHARS", "a thousand", "SSCBOT_MAX_MESSAGE_CHARS: 'a thousand' is not a whole number"),
        ("SSCBOT_REPLY_TIMEOUT_S", "10s", "SSCBOT_REPLY_TIMEOUT_S: '10s' is not a number"),
        ("SSCBOT_WIDGET_IDLE_DAYS", "0", "SSCBOT_WIDGET_IDLE_DAYS: '0' is below 1"),
        ("SSCBOT_POSTGRES_URL", "mysql://db/sscbot", "SSCBOT_POSTGRES_URL must be a postgresql:// URL, not mysql://"),
        ("SSCBOT_REDIS_URL", "http://cache:6379", "SSCBOT_REDIS_URL must be a redis:// URL, not http://"),
    ],
)
def test_a_bad_value_is_refused_naming_the_variable(name, value, error):
    with pytest.raises(settings.SettingError) as refused:
        settings.Settings.from_environ({name: value})
    assert str(refused.value) == error


def test_sscbot_run_refuses_a_bad_setting_before_starting_anything():
    done = subprocess.run(
        [sys.executable, "-m", "bot.run.cli", "run"],
        cwd=settings.PROJECT_DIR,
        env={**os.environ, "SSCBOT_REPLY_TIMEOUT_S": "soon"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == "Configuration error: SSCBOT_REPLY_TIMEOUT_S: 'soon' is not a number"


def test_the_light_processes_read_the_settings_without_heavy_imports():
    code = (
        "import sys, bot.settings, bot.web.__main__, bot.staff.__main__, bot.run.cli; "
        "bot.settings.current(); "
        "print(sorted(m for m in ('spacy', 'tensorflow', 'rasa') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=settings.PROJECT_DIR, capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr[-2000:]
