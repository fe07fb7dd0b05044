"""Whole conversations in the tracker store's database: forgotten, purged or read.

This is the part of our tracker store (bot/rasa_plugins/tracker_store.py, which inherits it)
that needs no Rasa, so that `sscbot purge` starts in well under a second. Rasa's `events`
table is read as the database has it (reflected, not copied by hand); the replies given are
the project's own table (bot.records.replies), kept and deleted with the events.
"""

from __future__ import annotations

import itertools
import json
import time
from typing import Any, Dict, Iterable, List, Optional

import sqlalchemy as sa

from bot.records.conversations import checkpoint, erase, transaction
from bot.records.replies import LISTEN, METADATA, REPLIES, SCHEMA_PART, SCHEMA_VERSION, replies_to, turn_rows
from bot.records.schema import upgrade

EVENTS = "events"  # Rasa's SQLTrackerStore table


class ConversationRecords:
    """The conversations of one tracker store database: its engine and Rasa's `events` table."""

    def __init__(self, engine: sa.engine.Engine, events: sa.Table) -> None:
        self.engine = engine
        self.events = events
        self._everything = (
            sa.select(events.c.data).where(events.c.sender_id == sa.bindparam("sender")).order_by(events.c.id)
        )
        upgrade(engine, SCHEMA_PART, SCHEMA_VERSION, METADATA, {0: self._copy_replies})

    @staticmethod
    def at(url: str) -> Optional[ConversationRecords]:
        """The records of the database at this SQLAlchemy URL, without Rasa; None when no
        conversation was ever stored there (Rasa makes the table when its server starts)."""
        engine = sa.create_engine(url)
        with transaction(engine) as connection:
            if not sa.inspect(connection).has_table(EVENTS):
                return None
            events = sa.Table(EVENTS, sa.MetaData(), autoload_with=connection)
        return ConversationRecords(engine, events)

    def replies_to(self, sender: str, message_id: str) -> Optional[List[Dict[str, Any]]]:
        """The messages sent for the message with this client-given id; None if it is new."""
        return replies_to(self.engine, sender, message_id)

    def forget(self, senders: Iterable[str]) -> int:
        """Delete these conversations, their events and replies, leaving nothing readable; the
        number of events deleted."""
        senders, deleted = list(senders), 0
        with transaction(self.engine) as connection:
            erase(self.engine, connection)
            for start in range(0, len(senders), 500):  # SQLite limits the parameters of one statement
                chunk = senders[start : start + 500]
                connection.execute(sa.delete(REPLIES).where(REPLIES.c.sender_id.in_(chunk)))
                deleted += connection.execute(sa.delete(self.events).where(self.events.c.sender_id.in_(chunk))).rowcount
        checkpoint(self.engine)
        return deleted

    def purge(self, days: float, now: Optional[float] = None) -> List[str]:
        """Delete, in one transaction, every conversation whose last event is older than
        `days`, leaving nothing readable; their sender ids."""
        cutoff = (time.time() if now is None else now) - days * 86400
        events = self.events
        old = (
            sa.select(events.c.sender_id).group_by(events.c.sender_id).having(sa.func.max(events.c.timestamp) < cutoff)
        )
        with transaction(self.engine) as connection:
            erase(self.engine, connection)
            senders = [row[0] for row in connection.execute(old)]
            connection.execute(sa.delete(REPLIES).where(REPLIES.c.sender_id.in_(old.scalar_subquery())))
            connection.execute(sa.delete(events).where(events.c.sender_id.in_(old.scalar_subquery())))
        checkpoint(self.engine)
        self._reclaim()
        return senders

    def events_of(self, sender: str) -> List[Dict[str, Any]]:
        """Every stored event of one conversation, in order, as Rasa's event dicts."""
        with transaction(self.engine) as connection:
            return [json.loads(data) for (data,) in connection.execute(self._everything, {"sender": sender})]

    def _reclaim(self) -> None:
        """On PostgreSQL, VACUUM the tables now: deleted rows stay in their files until then
        (autovacuum would come later). SQLite's secure_delete overwrote them already."""
        if self.engine.dialect.name == "postgresql":
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql(f"VACUUM {self.events.name}, {REPLIES.name}")

    def _copy_replies(self, connection: sa.engine.Connection) -> None:
        """Schema step 0: the replies of the conversations stored before their table existed."""
        REPLIES.create(connection, checkfirst=True)
        events = self.events
        query = (
            sa.select(events.c.sender_id, events.c.data)
            .where(sa.or_(events.c.type_name.in_(("user", "bot")), events.c.action_name == LISTEN))
            .order_by(events.c.sender_id, events.c.id)
        )
        for sender, rows in itertools.groupby(connection.execute(query).all(), key=lambda row: row[0]):
            turns = turn_rows(sender, (json.loads(data) for _, data in rows))
            if turns:
                connection.execute(REPLIES.insert(), turns)
