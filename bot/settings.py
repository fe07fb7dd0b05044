"""Run-time settings, read from the environment with embedded defaults.

Paths are relative to the project folder (where `make run` starts).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Mapping

PROJECT_DIR = Path(__file__).resolve().parent.parent
ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")


def content_dir() -> Path:
    return Path(os.environ.get("SSCBOT_CONTENT_DIR", PROJECT_DIR / "content"))


def postgres_url(environ: Mapping[str, str] = os.environ) -> str:
    """The shared database of a deployment with several replicas (postgresql://user:pw@host/db):
    conversations (Rasa's SQL tracker store), content and ratings. Empty: SQLite files in var/.
    `environ`: another process's environment (the launcher's servers), this one's by default."""
    return environ.get("SSCBOT_POSTGRES_URL", "")


def redis_url(environ: Mapping[str, str] = os.environ) -> str:
    """Redis for the per-conversation lock shared by replicas (redis://host:6379/1); empty:
    Rasa's in-process lock, right for one Rasa server."""
    return environ.get("SSCBOT_REDIS_URL", "")


def database_url(environ: Mapping[str, str] = os.environ) -> str:
    """Where the content store lives: any SQLAlchemy URL; SSCBOT_POSTGRES_URL, else an SQLite file."""
    default = f"sqlite:///{PROJECT_DIR / 'var' / 'content.db'}"
    return environ.get("SSCBOT_DATABASE_URL") or postgres_url(environ) or default


def feedback_database_url(environ: Mapping[str, str] = os.environ) -> str:
    """Where the widget's answer ratings are kept: any SQLAlchemy URL; as database_url() by default."""
    default = f"sqlite:///{PROJECT_DIR / 'var' / 'feedback.db'}"
    return environ.get("SSCBOT_FEEDBACK_DATABASE_URL") or postgres_url(environ) or default


def widget_origins() -> tuple:
    """Other sites allowed to embed the widget and call the servers (CORS), comma-separated;
    none by default. `*` is refused: the sites must be named."""
    origins = tuple(o.strip().rstrip("/") for o in os.environ.get("SSCBOT_WIDGET_ORIGINS", "").split(",") if o.strip())
    for origin in origins:  # no wildcards: sanic-cors would read them as patterns
        if not ORIGIN.fullmatch(origin):
            raise ValueError(
                f"SSCBOT_WIDGET_ORIGINS: {origin!r} is not a site like https://www.clinic.example "
                "(no '*' or other wildcards: list each site)"
            )
    return origins


def api_token() -> str:
    """Rasa's HTTP API (trackers, models) is off unless a token (or a JWT secret) is set."""
    return os.environ.get("SSCBOT_API_TOKEN", "")


def api_jwt_secret() -> str:
    return os.environ.get("SSCBOT_API_JWT_SECRET", "")


def webhook_token() -> str:
    """When set, every request to the REST webhook must carry it (Authorization: Bearer).
    Set it whenever the webhook can be reached from outside this machine."""
    return os.environ.get("SSCBOT_WEBHOOK_TOKEN", "")


def public_url() -> str:
    """Where patients open the assistant (https://chat.clinic.example): requests that change
    anything must come from this origin or a listed site. Empty: the widget server's own address."""
    return os.environ.get("SSCBOT_PUBLIC_URL", "").strip()


def conversation_key() -> str:
    """The key that signs conversation tokens; empty: conversation_key_file()."""
    return os.environ.get("SSCBOT_CONVERSATION_KEY", "")


def conversation_key_file() -> Path:
    """Generated (0600) on first run when SSCBOT_CONVERSATION_KEY is not set."""
    return Path(os.environ.get("SSCBOT_CONVERSATION_KEY_FILE", PROJECT_DIR / "var" / "conversation.key"))


def dialogues_dir() -> Path:
    """The support staff's scripts (the console runs them and saves new ones there)."""
    return Path(os.environ.get("SSCBOT_DIALOGUES_DIR", PROJECT_DIR / "dialogues"))


def staff_url() -> str:
    """Where staff open the console, when it is reached through a proxy
    (https://staff.clinic.example); empty: its own address (loopback by default)."""
    return os.environ.get("SSCBOT_STAFF_URL", "").strip().rstrip("/")


def staff_key() -> str:
    """The key that signs staff session cookies; empty: staff_key_file()."""
    return os.environ.get("SSCBOT_STAFF_KEY", "")


def staff_key_file() -> Path:
    """Generated (0600) on first run when SSCBOT_STAFF_KEY is not set."""
    return Path(os.environ.get("SSCBOT_STAFF_KEY_FILE", PROJECT_DIR / "var" / "staff.key"))


def trusted_proxies() -> tuple:
    """Addresses of proxies whose X-Forwarded-For is believed, comma-separated; none by default."""
    return tuple(a.strip() for a in os.environ.get("SSCBOT_TRUSTED_PROXIES", "").split(",") if a.strip())


def rate_setting(name: str) -> str:
    """A rate limit as "requests/seconds" or "off". The widget API is limited by default;
    the webhook, on loopback for back-end tools, is not unless set."""
    return os.environ.get(name, RATE_DEFAULTS[name])


RATE_DEFAULTS = {
    "SSCBOT_WIDGET_RATE_PER_CONVERSATION": "20/60",
    "SSCBOT_WIDGET_RATE_PER_ADDRESS": "120/60",
    "SSCBOT_WEBHOOK_RATE_PER_CONVERSATION": "off",
    "SSCBOT_WEBHOOK_RATE_PER_ADDRESS": "off",
    "SSCBOT_STAFF_SIGN_IN_RATE_PER_ADDRESS": "10/60",
}


def review_max_age_days() -> int:
    """Content reviewed longer ago than this is listed as overdue by `make content-report`."""
    return int(os.environ.get("SSCBOT_REVIEW_MAX_AGE_DAYS", "730"))


def max_message_chars() -> int:
    """Longer messages are not answered: the patient is asked to shorten them."""
    return int(os.environ.get("SSCBOT_MAX_MESSAGE_CHARS", "1000"))


def max_request_bytes() -> int:
    """Larger request bodies to the Rasa server are refused with HTTP 413."""
    return int(os.environ.get("SSCBOT_MAX_REQUEST_BYTES", str(64 * 1024)))


def reply_timeout_s() -> float:
    """After this long without a reply the patient gets the try-again fallback."""
    return float(os.environ.get("SSCBOT_REPLY_TIMEOUT_S", "10"))


def client_timeout_s() -> float:
    """A client's request line and headers, and then its body, must each arrive within this
    long on the aiohttp servers (slowloris), else 408; late headers also close the connection.
    The Rasa server's is Sanic's REQUEST_TIMEOUT (bot.rasa_plugins.channel)."""
    return float(os.environ.get("SSCBOT_CLIENT_TIMEOUT_S", "10"))


def widget_idle_days() -> int:
    """The widget forgets the conversation it keeps in the browser after this many days unused."""
    return int(os.environ.get("SSCBOT_WIDGET_IDLE_DAYS", "30"))


def endpoints_file() -> Path:
    """Rasa's endpoints.yml: the action server and the tracker store."""
    return Path(os.environ.get("SSCBOT_ENDPOINTS", PROJECT_DIR / "endpoints.yml"))
