"""The staff console's tables, in the ratings database; made by the explicit, versioned
schema step (StaffStore.create, run by `sscbot content load`)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import Column, DateTime, Integer, String, Text
from sqlalchemy.orm import declarative_base

Base: Any = declarative_base()  # SQLAlchemy 1.4 has no typed declarative base
SCHEMA_PART, SCHEMA_VERSION = "staff", 2


class StaffRow(Base):
    __tablename__ = "staff_users"

    name = Column(String(64), primary_key=True)
    password_hash = Column(String(200), nullable=False)
    failures = Column(Integer, nullable=False, default=0)  # sign-ins since the last good one
    locked_until = Column(DateTime)  # no password is checked before then (the slow-down)
    last_sign_in = Column(DateTime)


class SessionRow(Base):
    """A signed-in browser; the cookie's HMAC under the staff key, never the cookie itself."""

    __tablename__ = "staff_sessions"

    digest = Column(String(64), primary_key=True)
    name = Column(String(64), nullable=False, index=True)
    expires_at = Column(DateTime, nullable=False)


class RunRow(Base):
    __tablename__ = "staff_runs"

    id = Column(Integer, primary_key=True)
    started_by = Column(String(64), nullable=False)
    started_at = Column(DateTime, nullable=False)
    finished_at = Column(DateTime)
    model = Column(String(200), nullable=False)
    content_version = Column(String(64), nullable=False)
    total = Column(Integer, nullable=False)
    results = Column(Text, nullable=False, default="[]")  # JSON, one entry per finished script


def _last_sign_in(connection: sa.engine.Connection) -> None:
    connection.execute(sa.text("ALTER TABLE staff_users ADD COLUMN last_sign_in TIMESTAMP"))


STEPS = {1: _last_sign_in}  # version 2 also adds staff_sessions (made as a new table)
