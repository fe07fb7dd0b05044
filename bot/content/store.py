"""The content store: validated content kept in a database through SQLAlchemy.

SQLite is the embedded default; any SQLAlchemy URL works. Actions read answers
only through `ContentStore`. Reads are served from a snapshot taken after each
load, so a question costs no database round trip.

Loading is explicit and idempotent: the tables are made by the versioned schema step
(bot.records.schema), and the content is replaced in one transaction only when its
digest differs from the stored one, so a reader sees the old content or the new,
never half of it, and loaders starting together take turns.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Dict, List, Optional

from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, String, Text, create_engine, delete, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import declarative_base, relationship, selectinload, sessionmaker

from bot.content.files import ContentItem, ContentLibrary
from bot.content.questions import find_item
from bot.records.schema import exclusive, require, upgrade

Base: Any = declarative_base()  # SQLAlchemy 1.4 has no typed declarative base
SCHEMA_PART, SCHEMA_VERSION = "content", 1


class ItemRow(Base):
    __tablename__ = "content_items"

    id = Column(String(120), primary_key=True)
    topic = Column(String(40), nullable=False, index=True)
    answers = Column(String(20), nullable=False)
    concept = Column(String(80), index=True)
    entity = Column(String(20))
    title = Column(String(200), nullable=False)
    answer = Column(Text, nullable=False)
    section = Column(String(200))
    reviewed = Column(Date, nullable=False)
    source_file = Column(String(200), nullable=False)
    related = relationship("RelatedRow", order_by="RelatedRow.position", foreign_keys="RelatedRow.item_id")
    terms = relationship("TermRow", order_by="TermRow.position")


class RelatedRow(Base):
    __tablename__ = "content_related"

    item_id = Column(String(120), ForeignKey("content_items.id"), primary_key=True)
    position = Column(Integer, primary_key=True)
    related_id = Column(String(120), ForeignKey("content_items.id"), nullable=False)


class TermRow(Base):
    __tablename__ = "content_terms"

    item_id = Column(String(120), ForeignKey("content_items.id"), primary_key=True)
    position = Column(Integer, primary_key=True)
    term = Column(String(120), nullable=False)


class SettingRow(Base):
    __tablename__ = "content_settings"

    key = Column(String(60), primary_key=True)
    value = Column(Text, nullable=False)


class LoadedRow(Base):
    """The digest of the content files last loaded (one row)."""

    __tablename__ = "content_loaded"

    id = Column(Integer, primary_key=True)
    digest = Column(String(64), nullable=False)
    loaded_at = Column(DateTime, nullable=False)


def create_db_engine(url: str):
    """An engine for `url`; the folder of an SQLite file is created if missing."""
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite") and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    return create_engine(url, future=True, pool_pre_ping=True)


def unreachable(url: str) -> Optional[str]:
    """Why the database at `url` cannot be used (connected to), or None if it can."""
    try:
        engine = create_db_engine(url)
        try:
            engine.connect().close()
        finally:
            engine.dispose()
    except (SQLAlchemyError, OSError) as error:
        return str(getattr(error, "orig", None) or error).splitlines()[0]
    return None


class ContentStore:
    def __init__(self, url: str):
        self.engine = create_db_engine(url)
        self._session = sessionmaker(self.engine, future=True)
        self._items: Dict[str, ContentItem] = {}
        self._settings: Dict[str, str] = {}
        self.changed: Optional[bool] = None  # by the last load: replaced, or already current

    def load(self, library: ContentLibrary, digest: str) -> bool:
        """Make `library` (its files' `digest`) the stored content, in one transaction;
        False when it already was."""
        upgrade(self.engine, SCHEMA_PART, SCHEMA_VERSION, Base.metadata)
        with exclusive(self.engine, "content"):
            self.changed = self._replace(library, digest)
        self.refresh()
        return self.changed

    def loaded_digest(self) -> Optional[str]:
        with self._session() as session:
            row = session.get(LoadedRow, 1)
            return row.digest if row else None

    def _replace(self, library: ContentLibrary, digest: str) -> bool:
        if self.loaded_digest() == digest:
            return False
        with self._session.begin() as session:
            for table in (RelatedRow, TermRow, SettingRow, ItemRow, LoadedRow):
                session.execute(delete(table))
            session.flush()
            for item in library.items.values():
                session.add(_to_row(item))
            session.flush()
            for item in library.items.values():
                session.add_all(
                    RelatedRow(item_id=item.id, position=i, related_id=r) for i, r in enumerate(item.related)
                )
            session.add_all(SettingRow(key=k, value=v) for k, v in library.settings.items())
            session.add(LoadedRow(id=1, digest=digest, loaded_at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)))
        return True

    def refresh(self) -> None:
        """Take a fresh snapshot of the stored content; SchemaError if it was never loaded."""
        require(self.engine, SCHEMA_PART, SCHEMA_VERSION)
        with self._session() as session:
            query = select(ItemRow).options(selectinload(ItemRow.related), selectinload(ItemRow.terms))
            rows = session.execute(query).scalars().all()
            self._items = {row.id: _from_row(row) for row in rows}
            settings = session.execute(select(SettingRow)).scalars().all()
            self._settings = {row.key: row.value for row in settings}

    def item(self, item_id: str) -> Optional[ContentItem]:
        return self._items.get(item_id)

    def items(self) -> List[ContentItem]:
        return list(self._items.values())

    def find(self, concept: str, answers: str) -> Optional[ContentItem]:
        """The item answering `answers` about `concept`, else the concept's definition."""
        return find_item(self._items.values(), concept, answers)

    def related(self, item: ContentItem) -> List[ContentItem]:
        return [self._items[r] for r in item.related if r in self._items]

    def setting(self, key: str) -> str:
        return self._settings[key]


def _to_row(item: ContentItem) -> ItemRow:
    row = ItemRow(
        id=item.id,
        topic=item.topic,
        answers=item.answers,
        concept=item.concept,
        entity=item.entity,
        title=item.title,
        answer=item.answer,
        section=item.section,
        reviewed=item.reviewed,
        source_file=Path(item.file).name,
    )
    row.terms = [TermRow(position=i, term=t) for i, t in enumerate(item.terms)]
    return row


def _from_row(row: ItemRow) -> ContentItem:
    return ContentItem(
        id=row.id,
        topic=row.topic,
        answers=row.answers,
        title=row.title,
        answer=row.answer,
        reviewed=row.reviewed if isinstance(row.reviewed, dt.date) else dt.date.fromisoformat(row.reviewed),
        section=row.section,
        concept=row.concept,
        entity=row.entity,
        terms=tuple(t.term for t in row.terms),
        related=tuple(r.related_id for r in row.related),
        file=row.source_file,
    )
