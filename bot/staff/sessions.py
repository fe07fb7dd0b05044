"""Staff sessions, kept on the server so that they can be ended: the cookie is 256 random
bits; the database keeps only its HMAC under the staff key, the name and the expiry.
Sign-out ends one session; a new password and `sscbot staff remove` end all of a name's."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Optional

from sqlalchemy import delete, select

from bot.records.versioned import VersionedStore
from bot.staff.tables import SCHEMA_PART, SCHEMA_VERSION, STEPS, Base, SessionRow

COOKIE = "sscbot_staff"
LIFETIME_S = 8 * 3600
MIN_KEY_BYTES = 32
MAX_COOKIE_CHARS = 100


def check_key(key: bytes) -> bytes:
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"the staff key must be at least {MIN_KEY_BYTES} characters")
    return key


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class SessionStore(VersionedStore):
    SCHEMA_PART, SCHEMA_VERSION, METADATA, STEPS = SCHEMA_PART, SCHEMA_VERSION, Base.metadata, STEPS

    def __init__(self, url: str, key: bytes):
        super().__init__(url)
        self.key = check_key(key)

    def _digest(self, cookie: str) -> str:
        return hmac.new(self.key, cookie.encode("utf-8"), hashlib.sha256).hexdigest()

    def start(self, name: str) -> str:
        """A new session of `name`: its cookie."""
        cookie = secrets.token_urlsafe(32)
        with self._session.begin() as session:
            session.execute(delete(SessionRow).where(SessionRow.expires_at <= _now()))
            expires = _now() + dt.timedelta(seconds=LIFETIME_S)
            session.add(SessionRow(digest=self._digest(cookie), name=name, expires_at=expires))
        return cookie

    def name_of(self, cookie: Optional[str]) -> Optional[str]:
        """The signed-in name, or None for a missing, unknown, ended or expired session."""
        if not cookie or len(cookie) > MAX_COOKIE_CHARS:
            return None
        query = select(SessionRow.name).where(SessionRow.digest == self._digest(cookie), SessionRow.expires_at > _now())
        with self._session() as session:
            return session.execute(query).scalar_one_or_none()

    def end(self, cookie: Optional[str]) -> None:
        if cookie and len(cookie) <= MAX_COOKIE_CHARS:
            with self._session.begin() as session:
                session.execute(delete(SessionRow).where(SessionRow.digest == self._digest(cookie)))
