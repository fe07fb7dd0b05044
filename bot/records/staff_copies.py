"""Which staff conversations were started from a patient's question ("Try it" in the staff
console), so that the patient's "forget me" and the purge delete those copies too.

The patient's conversation id is kept only as its SHA-256; the staff conversation's id as
it is. Kept in the ratings database, made by the explicit schema step.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any, Iterable, List

from sqlalchemy import Column, DateTime, Integer, String, delete, select
from sqlalchemy.orm import declarative_base

from bot.records.versioned import VersionedStore

Base: Any = declarative_base()  # SQLAlchemy 1.4 has no typed declarative base


class CopyRow(Base):
    __tablename__ = "staff_copies"

    id = Column(Integer, primary_key=True)
    patient = Column(String(64), nullable=False, index=True)  # SHA-256 of the patient's conversation id
    staff_sender = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False)


def _hash(sender: str) -> str:
    return hashlib.sha256(sender.encode("utf-8")).hexdigest()


class StaffCopies(VersionedStore):
    SCHEMA_PART, SCHEMA_VERSION, METADATA = "staff_copies", 1, Base.metadata

    def link(self, patient_sender: str, staff_sender: str) -> None:
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        with self._session.begin() as session:
            session.add(CopyRow(patient=_hash(patient_sender), staff_sender=staff_sender, created_at=now))

    def forget(self, patient_senders: Iterable[str]) -> List[str]:
        """Drop the links of these patients' conversations; the staff conversations to delete
        (with the tracker store's `forget`)."""
        hashes = [_hash(sender) for sender in patient_senders]
        found: List[str] = []
        with self._session.begin() as session:
            for start in range(0, len(hashes), 500):  # SQLite limits the parameters of one statement
                chunk = CopyRow.patient.in_(hashes[start : start + 500])
                found += session.execute(select(CopyRow.staff_sender).where(chunk)).scalars().all()
                session.execute(delete(CopyRow).where(chunk))
        return sorted(set(found))
