"""Rasa's SQL tracker store (the same `events` table, rows and sessions) with its
statements built once.

Rasa 3.6 builds an ORM query with a subquery for every retrieve, counts the stored
events with another before every save and adds new events one ORM object at a
time; with SQLAlchemy's cache keys that was a quarter of the Rasa server's time per
message in `make bench`'s profile. Here a retrieve is one prepared query, a save one
prepared count and one multi-row insert.

An SQLite file is opened as SQLAlchemy 2.0 opens one (connections kept open in a
pool, not one per statement) in write-ahead-log mode with a full sync: each commit
is one sync of the log, still durable, instead of the rollback journal's several.
An in-memory SQLite database keeps Rasa's engine (one connection per thread).

The replies given are kept beside the events, in the project's own table
(bot.records.replies), written in the same transaction when a turn ends. Forgetting,
purging and reading whole conversations is inherited from bot.records.tracker_records,
which needs no Rasa (for `sscbot purge`): no other code reads or deletes Rasa's `events`
table.

Use it in endpoints.yml with Rasa's SQL settings:
    tracker_store:
      type: bot.rasa_plugins.tracker_store.PreparedSQLTrackerStore
      dialect: sqlite
      db: var/tracker.db
"""

from __future__ import annotations

import itertools
import json
import logging
from typing import Any, Dict, Optional

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.rasa_plugins import patches
from bot.records.replies import REPLIES, turn_rows
from bot.records.tracker_records import ConversationRecords

logger = logging.getLogger(__name__)


def _latest_session(table: sa.Table) -> sa.sql.ColumnElement:
    """The condition Rasa puts on the events of a sender's latest session: from the
    last `session_started` event's timestamp on, or all events when there is none."""
    start = (
        sa.select(sa.func.max(table.c.timestamp))
        .where(table.c.sender_id == sa.bindparam("sender"), table.c.type_name == SessionStarted.type_name)
        .scalar_subquery()
    )
    return sa.and_(table.c.sender_id == sa.bindparam("sender"), sa.or_(table.c.timestamp >= start, start.is_(None)))


class PreparedSQLTrackerStore(SQLTrackerStore, ConversationRecords):
    """SQLTrackerStore whose retrieve and save run statements made once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        patches.check_rasa_version()  # `_retrieve` replaces a private method of Rasa 3.6.21's store
        super().__init__(*args, **kwargs)
        with self.session_scope():  # Rasa's check that a PostgreSQL schema it is told to use exists
            pass
        engine: sa.engine.Engine = self.engine  # set by Rasa's __init__
        if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
            engine.dispose()
            self.engine = _pooled_sqlite(engine.url)
            self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)
        table = self.SQLEvent.__table__
        ConversationRecords.__init__(self, self.engine, table)
        self._latest = sa.select(table.c.data).where(_latest_session(table)).order_by(table.c.id)
        self._stored = sa.select(sa.func.count()).select_from(table).where(_latest_session(table))
        self._insert = table.insert()

    @classmethod
    def from_url(cls, url: str) -> PreparedSQLTrackerStore:
        """The store on a database named by an SQLAlchemy URL, without a domain: for forgetting,
        purging and reading conversations outside the Rasa server."""
        parts = sa.engine.make_url(url)
        return cls(
            None,
            dialect=parts.drivername,
            host=parts.host,
            port=parts.port,
            db=parts.database,
            username=parts.username,
            password=parts.password,
        )

    @staticmethod
    def inside(store: TrackerStore) -> Optional[PreparedSQLTrackerStore]:
        """This store as the agent holds it (inside Rasa's AwaitableTrackerStore); None if another."""
        found = getattr(store, "_tracker_store", store)
        return found if isinstance(found, PreparedSQLTrackerStore) else None

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        query = self._everything if fetch_events_from_all_sessions else self._latest
        with self.engine.connect() as connection:
            events = [json.loads(data) for (data,) in connection.execute(query, {"sender": sender_id})]
        if not events or not self.domain:
            return None
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the events of the tracker's latest session that are not stored yet, and the
        replies of the turns among them."""
        await self.stream_events(tracker)
        sender = tracker.sender_id
        with self.engine.begin() as connection:
            stored = connection.execute(self._stored, {"sender": sender}).scalar()
            events = [event.as_dict() for event in itertools.islice(tracker.events, stored, None)]
            if events:
                connection.execute(self._insert, [_row(sender, event) for event in events])
            turns = turn_rows(sender, events)
            if turns:
                connection.execute(REPLIES.insert(), turns)


def _pooled_sqlite(url: sa.engine.URL) -> sa.engine.Engine:
    """An SQLite engine that keeps its connections, in write-ahead-log mode with a full sync."""
    engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False})

    @sa.event.listens_for(engine, "connect")
    def full_sync(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA synchronous=FULL")

    try:
        with engine.connect() as connection:  # the mode stays with the file, for every connection
            mode = connection.exec_driver_sql("PRAGMA journal_mode=WAL").scalar()
    except sa.exc.OperationalError as error:  # another process holds the file
        mode = f"unchanged ({error.orig})"
    if mode != "wal":
        logger.warning("The tracker store %s is not in write-ahead-log mode: %s", url.database, mode)
    return engine


def _row(sender_id: str, data: Dict[str, Any]) -> Dict[str, Any]:
    """The `events` row Rasa's SQLTrackerStore writes for an event (as its dict)."""
    return {
        "sender_id": sender_id,
        "type_name": data["event"],
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }
