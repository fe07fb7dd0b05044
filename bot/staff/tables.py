"""The staff console's tables, in the ratings database; made by the explicit, versioned
schema step (StaffStore.create, run by `sscbot content load`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, DateTime, Integer, String, Text
from sqlalchemy.orm import declarative_base

Base: Any = declarative_base()  # SQLAlchemy 1.4 has no typed declarative base
SCHEMA_PART, SCHEMA_VERSION = "staff", 1


class StaffRow(Base):
    __tablename__ = "staff_users"

    name = Column(String(64), primary_key=True)
    password_hash = Column(String(200), nullable=False)
    failures = Column(Integer, nullable=False, default=0)
    locked_until = Column(DateTime)


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
