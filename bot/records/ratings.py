"""Answer ratings from the chat widget, kept through SQLAlchemy.

One rating per answer and conversation: rating the same answer again replaces
the earlier rating, so the report counts people, not clicks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, List

from sqlalchemy import Column, DateTime, Integer, String, UniqueConstraint, case, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import declarative_base

from bot.records.conversations import erase
from bot.records.versioned import VersionedStore

RATINGS = ("helpful", "not_helpful")
SCHEMA_PART, SCHEMA_VERSION = "ratings", 1

Base: Any = declarative_base()  # SQLAlchemy 1.4 has no typed declarative base


class FeedbackRow(Base):
    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("conversation_id", "content_id"),)

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(64), nullable=False, index=True)
    content_id = Column(String(120), nullable=False, index=True)
    rating = Column(String(20), nullable=False)
    created_at = Column(DateTime, nullable=False)


@dataclass(frozen=True)
class ItemRatings:
    content_id: str
    helpful: int
    not_helpful: int

    @property
    def total(self) -> int:
        return self.helpful + self.not_helpful


class FeedbackStore(VersionedStore):
    SCHEMA_PART, SCHEMA_VERSION, METADATA = SCHEMA_PART, SCHEMA_VERSION, Base.metadata

    def rate(self, conversation_id: str, content_id: str, rating: str) -> None:
        """Store (or replace) this conversation's rating of one answer."""
        if rating not in RATINGS:
            raise ValueError(f"rating must be one of {', '.join(RATINGS)}, not {rating!r}")
        try:
            self._upsert(conversation_id, content_id, rating)
        except IntegrityError:  # the same rating arrived twice at once: the second one updates
            self._upsert(conversation_id, content_id, rating)

    def _upsert(self, conversation_id: str, content_id: str, rating: str) -> None:
        with self._session.begin() as session:
            row = session.execute(
                select(FeedbackRow).filter_by(conversation_id=conversation_id, content_id=content_id)
            ).scalar_one_or_none()
            if row is None:
                row = FeedbackRow(conversation_id=conversation_id, content_id=content_id)
                session.add(row)
            row.rating = rating
            row.created_at = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)

    def forget(self, conversation_ids: Iterable[str]) -> int:
        """Delete every rating of these conversations; how many were deleted."""
        ids = list(conversation_ids)
        deleted = 0
        with self._session.begin() as session:
            erase(self.engine, session.connection())
            for start in range(0, len(ids), 500):  # SQLite limits the parameters of one statement
                chunk = ids[start : start + 500]
                deleted += session.execute(delete(FeedbackRow).where(FeedbackRow.conversation_id.in_(chunk))).rowcount
        return deleted

    def purge(self, days: float) -> int:
        """Delete ratings given more than `days` ago; how many were deleted."""
        cutoff = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) - dt.timedelta(days=days)
        with self._session.begin() as session:
            erase(self.engine, session.connection())
            return session.execute(delete(FeedbackRow).where(FeedbackRow.created_at < cutoff)).rowcount

    def per_item(self) -> List[ItemRatings]:
        """Helpful / not helpful counts per content item, most rated first."""
        helpful = func.sum(case((FeedbackRow.rating == "helpful", 1), else_=0))
        not_helpful = func.sum(case((FeedbackRow.rating == "not_helpful", 1), else_=0))
        query = (
            select(FeedbackRow.content_id, helpful, not_helpful)
            .group_by(FeedbackRow.content_id)
            .order_by(func.count().desc(), FeedbackRow.content_id)
        )
        with self._session() as session:
            return [ItemRatings(*row) for row in session.execute(query)]


def report_lines(ratings: List[ItemRatings]) -> List[str]:
    if not ratings:
        return ["No ratings yet."]
    width = max(len("content item"), *(len(r.content_id) for r in ratings))
    lines = [f"{'content item':<{width}}  helpful  not helpful  total"]
    lines += [f"{r.content_id:<{width}}  {r.helpful:>7}  {r.not_helpful:>11}  {r.total:>5}" for r in ratings]
    total = sum(r.total for r in ratings)
    lines.append(f"Total: {total} ratings, {len(ratings)} items.")
    return lines
