"""Staff accounts: scrypt password hashes (hashlib, OpenSSL's), and a lock after repeated
failures. Kept in the ratings database, made by the explicit schema step."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import select

from bot.records.versioned import VersionedStore
from bot.staff.tables import SCHEMA_PART, SCHEMA_VERSION, Base, StaffRow

NAME = re.compile(r"[A-Za-z0-9._-]{2,64}")
MIN_PASSWORD_CHARS = 12
MAX_FAILURES, LOCK_MINUTES = 5, 15
SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


class AccountError(ValueError):
    """A name or password that cannot be used; the message says why."""


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, **SCRYPT)
    return "scrypt$" + "$".join(base64.b64encode(part).decode("ascii") for part in (salt, digest))


def password_matches(password: str, stored: str) -> bool:
    _, salt, digest = stored.split("$")
    candidate = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), **SCRYPT)
    return hmac.compare_digest(candidate, base64.b64decode(digest))


DUMMY_HASH = hash_password(secrets.token_urlsafe(16))  # an unknown name costs as much as a wrong password


@dataclass(frozen=True)
class SignIn:
    ok: bool
    locked_minutes: int = 0  # > 0: refused whatever the password, for this long


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class StaffStore(VersionedStore):
    SCHEMA_PART, SCHEMA_VERSION, METADATA = SCHEMA_PART, SCHEMA_VERSION, Base.metadata

    def add(self, name: str, password: str) -> None:
        """Add a staff member, or set a new password (which also lifts a lock)."""
        if not NAME.fullmatch(name):
            raise AccountError("a name is 2 to 64 letters, digits, '.', '_' or '-'")
        if len(password) < MIN_PASSWORD_CHARS:
            raise AccountError(f"a password has at least {MIN_PASSWORD_CHARS} characters")
        with self._session.begin() as session:
            row = session.get(StaffRow, name) or StaffRow(name=name)
            row.password_hash, row.failures, row.locked_until = hash_password(password), 0, None
            session.add(row)

    def sign_in(self, name: str, password: str) -> SignIn:
        with self._session.begin() as session:
            row: Optional[StaffRow] = session.execute(select(StaffRow).filter_by(name=name)).scalar_one_or_none()
            if row is None:
                password_matches(password, DUMMY_HASH)
                return SignIn(False)
            if row.locked_until and row.locked_until > _now():
                return SignIn(False, max(1, round((row.locked_until - _now()).total_seconds() / 60)))
            if password_matches(password, row.password_hash):
                row.failures, row.locked_until = 0, None
                return SignIn(True)
            row.failures += 1
            if row.failures >= MAX_FAILURES:
                row.failures, row.locked_until = 0, _now() + dt.timedelta(minutes=LOCK_MINUTES)
                return SignIn(False, LOCK_MINUTES)
            return SignIn(False)
