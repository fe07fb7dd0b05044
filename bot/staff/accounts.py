"""Staff accounts: scrypt password hashes (hashlib, OpenSSL's), and sign-ins that slow down
after repeated failures. Kept in the ratings database, made by the explicit schema step.

Each sign-in is counted before its password is checked, in one atomic update: of 100
guesses sent at once, FREE_TRIES are checked and the rest wait. After FREE_TRIES failures
each further try must wait twice as long as the one before (1 s, 2 s, 4 s ... at most
MAX_WAIT_S), so nobody can lock a name for long from many addresses. An unknown name
slows down the same way, counted in this process only: no row is stored for it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import math
import re
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import List, Optional, Tuple

from sqlalchemy import delete, or_, select, update

from bot.records.versioned import VersionedStore
from bot.staff.tables import SCHEMA_PART, SCHEMA_VERSION, STEPS, Base, SessionRow, StaffRow

NAME = re.compile(r"[A-Za-z0-9._-]{2,64}")
MIN_PASSWORD_CHARS = 12
FREE_TRIES, MAX_WAIT_S = 5, 300
MAX_UNKNOWN_NAMES = 10_000
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


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"a password has at least {MIN_PASSWORD_CHARS} characters")


def wait_after(failures: int) -> float:
    """Seconds before the next try may be checked, after `failures` failed tries in a row."""
    return 0.0 if failures < FREE_TRIES else float(min(2 ** (failures - FREE_TRIES), MAX_WAIT_S))


@dataclass(frozen=True)
class SignIn:
    ok: bool
    wait_s: int = 0  # > 0: not checked, try again after this many seconds


@dataclass(frozen=True)
class Account:
    name: str
    last_sign_in: Optional[dt.datetime]
    failures: int
    slowed_until: Optional[dt.datetime]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _seconds_until(moment: dt.datetime, now: dt.datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds()))


class UnknownNames:
    """The failures of names that have no account, in this process (the oldest dropped)."""

    def __init__(self) -> None:
        self._tries: OrderedDict[str, Tuple[int, dt.datetime]] = OrderedDict()
        self._lock = threading.Lock()

    def claim(self, name: str, now: dt.datetime) -> int:
        """0 if this try counts and may be checked; else the seconds to wait."""
        with self._lock:
            failures, until = self._tries.pop(name, (0, now))
            if until > now:
                self._tries[name] = (failures, until)
                return _seconds_until(until, now)
            failures += 1
            self._tries[name] = (failures, now + dt.timedelta(seconds=wait_after(failures)))
            while len(self._tries) > MAX_UNKNOWN_NAMES:
                self._tries.popitem(last=False)
            return 0


class StaffStore(VersionedStore):
    SCHEMA_PART, SCHEMA_VERSION, METADATA, STEPS = SCHEMA_PART, SCHEMA_VERSION, Base.metadata, STEPS

    def __init__(self, url: str):
        super().__init__(url)
        self._unknown = UnknownNames()

    def add(self, name: str, password: str) -> None:
        """Add a staff member, or set a new password: that lifts the slow-down and ends
        every session of the name."""
        if not NAME.fullmatch(name):
            raise AccountError("a name is 2 to 64 letters, digits, '.', '_' or '-'")
        check_password(password)
        with self._session.begin() as session:
            row = session.get(StaffRow, name) or StaffRow(name=name)
            row.password_hash, row.failures, row.locked_until = hash_password(password), 0, None
            session.add(row)
            session.execute(delete(SessionRow).where(SessionRow.name == name))

    def remove(self, name: str) -> bool:
        """Remove a staff member and end their sessions; False if there is no such name."""
        with self._session.begin() as session:
            session.execute(delete(SessionRow).where(SessionRow.name == name))
            return session.execute(delete(StaffRow).where(StaffRow.name == name)).rowcount > 0

    def accounts(self) -> List[Account]:
        with self._session() as session:
            rows = session.execute(select(StaffRow).order_by(StaffRow.name)).scalars().all()
            now = _now()
            return [
                Account(
                    r.name,
                    r.last_sign_in,
                    r.failures,
                    r.locked_until if r.locked_until and r.locked_until > now else None,
                )
                for r in rows
            ]

    def sign_in(self, name: str, password: str) -> SignIn:
        now = _now()
        wait, stored = self._claim(name, now)
        if wait:
            return SignIn(False, wait)
        if not password_matches(password, stored or DUMMY_HASH) or stored is None:
            return SignIn(False)
        with self._session.begin() as session:
            session.execute(
                update(StaffRow).where(StaffRow.name == name).values(failures=0, locked_until=None, last_sign_in=now)
            )
        return SignIn(True)

    def _claim(self, name: str, now: dt.datetime) -> Tuple[int, Optional[str]]:
        """Count this try in one atomic update: (seconds to wait, 0 if it may be checked; the
        stored hash, None for an unknown name)."""
        with self._session.begin() as session:
            counted = session.execute(
                update(StaffRow)
                .where(StaffRow.name == name, or_(StaffRow.locked_until.is_(None), StaffRow.locked_until <= now))
                .values(failures=StaffRow.failures + 1)
                .execution_options(synchronize_session=False)
            ).rowcount
            row: Optional[StaffRow] = session.get(StaffRow, name, populate_existing=True)
            if row is None:
                return self._unknown.claim(name, now), None
            if not counted:
                return _seconds_until(row.locked_until, now), None
            if row.failures >= FREE_TRIES:
                row.locked_until = now + dt.timedelta(seconds=wait_after(row.failures))
            return 0, row.password_hash
