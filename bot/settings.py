"""Run-time settings: one typed, frozen object (`Settings`) built from the environment, with
embedded defaults and a clear error, naming the variable, for a bad value. `current()` is
this process's, built once for each state of its environment; the functions below read it
for the callers that ask for one setting. No heavy imports: the light processes (the widget
server, the staff console, the CLI) read it too.

Paths are relative to the project folder (where `make run` starts).
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Mapping, Tuple, TypeVar

PROJECT_DIR = Path(__file__).resolve().parent.parent
ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")
RATE_DEFAULTS = {  # "requests/seconds" or "off" (bot.access.rate_limits); the webhook is on loopback
    "SSCBOT_WIDGET_RATE_PER_CONVERSATION": "20/60",
    "SSCBOT_WIDGET_RATE_PER_ADDRESS": "120/60",
    "SSCBOT_WEBHOOK_RATE_PER_CONVERSATION": "off",
    "SSCBOT_WEBHOOK_RATE_PER_ADDRESS": "off",
    "SSCBOT_STAFF_SIGN_IN_RATE_PER_ADDRESS": "10/60",
}
Number = TypeVar("Number", int, float)


class SettingError(ValueError):
    """A setting with a value it cannot take; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    # Where the content YAML is read from.
    content_dir: Path
    # The shared database of a deployment with several replicas (postgresql://user:pw@host/db):
    # conversations, content and ratings. Empty: SQLite files in var/.
    postgres_url: str
    # Redis for the per-conversation lock and the rate limits shared by replicas; empty: in-process.
    redis_url: str
    # The conversations (Rasa's SQL tracker store, `${SSCBOT_TRACKER_URL}` in endpoints.yml), for
    # every process that reads them; any SQLAlchemy URL.
    tracker_url: str
    # The action server's webhook, for the Rasa server (`${SSCBOT_ACTION_URL}` in endpoints.yml).
    action_url: str
    # The content store and the widget's answer ratings: any SQLAlchemy URL.
    database_url: str
    feedback_database_url: str
    # Other sites allowed to embed the widget and call the servers (CORS); each named, no wildcards.
    widget_origins: Tuple[str, ...]
    # Rasa's HTTP API (trackers, models) is off unless a token (or a JWT secret) is set.
    api_token: str
    api_jwt_secret: str
    # When set, every request to the REST webhook must carry it (Authorization: Bearer); set it
    # whenever the webhook can be reached from outside this machine.
    webhook_token: str
    # Where patients open the assistant (https://chat.clinic.example): requests that change
    # anything must come from this origin or a listed site. Empty: the widget server's address.
    public_url: str
    # The key that signs conversation tokens; empty: the file, generated (0600) on first run.
    conversation_key: str
    conversation_key_file: Path
    # The support staff's scripts (the console runs them and saves new ones there).
    dialogues_dir: Path
    # Where staff open the console through a proxy; empty: its own address (loopback by default).
    staff_url: str
    # The key that signs staff session cookies; empty: the file, generated (0600) on first run.
    staff_key: str
    staff_key_file: Path
    # Addresses of proxies whose X-Forwarded-For is believed.
    trusted_proxies: Tuple[str, ...]
    # Each rate limit of RATE_DEFAULTS, by its variable.
    rates: Mapping[str, str]
    # Content reviewed longer ago than this is listed as overdue by `make content-report`.
    review_max_age_days: int
    # Longer messages are not answered: the patient is asked to shorten them.
    max_message_chars: int
    # Larger request bodies to the Rasa server are refused with HTTP 413.
    max_request_bytes: int
    # After this long without a reply the patient gets the try-again fallback.
    reply_timeout_s: float
    # A client's request line and headers, and then its body, must each arrive within this long on
    # the aiohttp servers (slowloris), else 408. The Rasa server's is Sanic's REQUEST_TIMEOUT.
    client_timeout_s: float
    # The widget forgets the conversation it keeps in the browser after this many days unused.
    widget_idle_days: int
    # Rasa's endpoints.yml, the one for every way of running (its `${...}`: bot.run.stores).
    endpoints_file: Path

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> Settings:
        """The settings of `environ` (another process's, or this one's); SettingError for a bad value."""

        def text(name: str, default: str = "") -> str:
            return environ.get(name, default)

        def path(name: str, default: Path) -> Path:
            return Path(environ.get(name) or default)

        def listed(name: str) -> Tuple[str, ...]:
            return tuple(part.strip() for part in environ.get(name, "").split(",") if part.strip())

        def number(name: str, default: Number, kind: Callable[[str], Number], least: Number) -> Number:
            raw = environ.get(name, "").strip()
            try:
                value = kind(raw) if raw else default
            except ValueError:
                raise SettingError(f"{name}: {raw!r} is not a {_KINDS[kind]}") from None
            if value < least:
                raise SettingError(f"{name}: {raw!r} is below {least}")
            return value

        postgres = _url(text("SSCBOT_POSTGRES_URL"), "SSCBOT_POSTGRES_URL", ("postgresql",))
        var = PROJECT_DIR / "var"
        return cls(
            content_dir=path("SSCBOT_CONTENT_DIR", PROJECT_DIR / "content"),
            postgres_url=postgres,
            redis_url=_url(text("SSCBOT_REDIS_URL"), "SSCBOT_REDIS_URL", ("redis", "rediss")),
            tracker_url=text("SSCBOT_TRACKER_URL") or postgres or f"sqlite:///{var / 'tracker.db'}",
            action_url=text("SSCBOT_ACTION_URL") or "http://127.0.0.1:5055/webhook",
            database_url=text("SSCBOT_DATABASE_URL") or postgres or f"sqlite:///{var / 'content.db'}",
            feedback_database_url=text("SSCBOT_FEEDBACK_DATABASE_URL")
            or postgres
            or f"sqlite:///{var / 'feedback.db'}",
            widget_origins=_origins(listed("SSCBOT_WIDGET_ORIGINS")),
            api_token=text("SSCBOT_API_TOKEN"),
            api_jwt_secret=text("SSCBOT_API_JWT_SECRET"),
            webhook_token=text("SSCBOT_WEBHOOK_TOKEN"),
            public_url=text("SSCBOT_PUBLIC_URL").strip(),
            conversation_key=text("SSCBOT_CONVERSATION_KEY"),
            conversation_key_file=path("SSCBOT_CONVERSATION_KEY_FILE", var / "conversation.key"),
            dialogues_dir=path("SSCBOT_DIALOGUES_DIR", PROJECT_DIR / "dialogues"),
            staff_url=text("SSCBOT_STAFF_URL").strip().rstrip("/"),
            staff_key=text("SSCBOT_STAFF_KEY"),
            staff_key_file=path("SSCBOT_STAFF_KEY_FILE", var / "staff.key"),
            trusted_proxies=listed("SSCBOT_TRUSTED_PROXIES"),
            rates={name: text(name, default) for name, default in RATE_DEFAULTS.items()},
            review_max_age_days=number("SSCBOT_REVIEW_MAX_AGE_DAYS", 730, int, 0),
            max_message_chars=number("SSCBOT_MAX_MESSAGE_CHARS", 1000, int, 1),
            max_request_bytes=number("SSCBOT_MAX_REQUEST_BYTES", 64 * 1024, int, 1),
            reply_timeout_s=number("SSCBOT_REPLY_TIMEOUT_S", 10.0, float, 0.1),
            client_timeout_s=number("SSCBOT_CLIENT_TIMEOUT_S", 10.0, float, 0.1),
            widget_idle_days=number("SSCBOT_WIDGET_IDLE_DAYS", 30, int, 1),
            endpoints_file=path("SSCBOT_ENDPOINTS", PROJECT_DIR / "endpoints.yml"),
        )


_KINDS: Dict[Callable, str] = {int: "whole number", float: "number"}


def _url(value: str, name: str, schemes: Tuple[str, ...]) -> str:
    scheme = value.split("://", 1)[0].split("+", 1)[0]
    if value and scheme not in schemes:
        raise SettingError(f"{name} must be a {schemes[0]}:// URL, not {scheme}://")
    return value


def _origins(origins: Tuple[str, ...]) -> Tuple[str, ...]:
    origins = tuple(origin.rstrip("/") for origin in origins)
    for origin in origins:  # no wildcards: sanic-cors would read them as patterns
        if not ORIGIN.fullmatch(origin):
            raise SettingError(
                f"SSCBOT_WIDGET_ORIGINS: {origin!r} is not a site like https://www.clinic.example "
                "(no '*' or other wildcards: list each site)"
            )
    return origins


def current() -> Settings:
    """This process's settings, built once for each state of its environment (tests change it)."""
    return _built(tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("SSCBOT_"))))


@functools.lru_cache(maxsize=16)
def _built(environ: Tuple[Tuple[str, str], ...]) -> Settings:
    return Settings.from_environ(dict(environ))


# One setting each, for the callers that ask for one.
def content_dir() -> Path:
    return current().content_dir


def redis_url() -> str:
    return current().redis_url


def tracker_url() -> str:
    return current().tracker_url


def database_url() -> str:
    return current().database_url


def feedback_database_url() -> str:
    return current().feedback_database_url


def widget_origins() -> Tuple[str, ...]:
    return current().widget_origins


def webhook_token() -> str:
    return current().webhook_token


def public_url() -> str:
    return current().public_url


def conversation_key() -> str:
    return current().conversation_key


def conversation_key_file() -> Path:
    return current().conversation_key_file


def dialogues_dir() -> Path:
    return current().dialogues_dir


def staff_url() -> str:
    return current().staff_url


def staff_key() -> str:
    return current().staff_key


def staff_key_file() -> Path:
    return current().staff_key_file


def trusted_proxies() -> Tuple[str, ...]:
    return current().trusted_proxies


def rate_setting(name: str) -> str:
    """A rate limit of RATE_DEFAULTS, as "requests/seconds" or "off"."""
    return current().rates[name]


def review_max_age_days() -> int:
    return current().review_max_age_days


def max_message_chars() -> int:
    return current().max_message_chars


def max_request_bytes() -> int:
    return current().max_request_bytes


def reply_timeout_s() -> float:
    return current().reply_timeout_s


def client_timeout_s() -> float:
    return current().client_timeout_s


def widget_idle_days() -> int:
    return current().widget_idle_days


def endpoints_file() -> Path:
    return current().endpoints_file
