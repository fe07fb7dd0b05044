"""The conversations Rasa keeps in its SQL tracker store (`events` table): find,
read, forget one, purge old ones."""

from __future__ import annotations

import contextlib
import json
import time
from typing import Any, Dict, Iterator, List, Optional, Tuple

import sqlalchemy as sa

EVENTS = sa.table(
    "events", sa.column("sender_id"), sa.column("type_name"), sa.column("timestamp"), sa.column("data"), sa.column("id")
)


# Our tracker store's `type` in endpoints.yml (bot/rasa_plugins/tracker_store.py).
TRACKER_STORE_TYPE = "bot.rasa_plugins.tracker_store.PreparedSQLTrackerStore"


class TrackerStoreError(RuntimeError):
    """The tracker store is not configured as SQL, or cannot be read; the message says why."""


@contextlib.contextmanager
def transaction(engine: sa.engine.Engine) -> Iterator[sa.engine.Connection]:
    """One transaction; a database error becomes a TrackerStoreError that names the store."""
    try:
        with engine.begin() as connection:
            yield connection
    except sa.exc.SQLAlchemyError as error:
        where = engine.url.render_as_string(hide_password=True)
        raise TrackerStoreError(
            f"cannot use the tracker store ({where}): {error.__class__.__name__}: " f"{getattr(error, 'orig', error)}"
        ) from None


def events_of(engine: sa.engine.Engine, sender: str) -> List[Tuple[str, Dict[str, Any]]]:
    """(type, event) of one conversation, in order."""
    query = sa.select(EVENTS.c.type_name, EVENTS.c.data).where(EVENTS.c.sender_id == sender).order_by(EVENTS.c.id)
    with transaction(engine) as connection:
        return [(type_name, json.loads(data)) for type_name, data in connection.execute(query)]


def has_user_message(engine: sa.engine.Engine, sender: str, message_id: str) -> bool:
    """Whether the conversation has a patient message with this client-given id (it came again)."""
    query = (
        sa.select(EVENTS.c.id)
        .where(
            EVENTS.c.sender_id == sender,
            EVENTS.c.type_name == "user",
            EVENTS.c.data.contains(f'"message_id": {json.dumps(message_id)}', autoescape=True),
        )
        .limit(1)
    )
    with transaction(engine) as connection:
        return connection.execute(query).first() is not None


def received(engine: sa.engine.Engine, sender: str, content_id: str) -> bool:
    """Whether the conversation `sender` was answered with the content item `content_id`
    (an answer, not the welcome or small talk): only such an answer can be rated."""
    query = sa.select(EVENTS.c.data).where(
        EVENTS.c.sender_id == sender, EVENTS.c.type_name == "bot", EVENTS.c.data.contains(json.dumps(content_id))
    )
    with transaction(engine) as connection:
        for (data,) in connection.execute(query):
            contract = (json.loads(data).get("data") or {}).get("custom") or {}
            if contract.get("content_id") == content_id and contract.get("kind") not in (None, "smalltalk"):
                return True
    return False


def erase(engine: sa.engine.Engine, connection: sa.engine.Connection) -> None:
    """Make this connection's deletes leave nothing readable: SQLite overwrites deleted
    content with zeros (secure_delete); PostgreSQL's VACUUM (run by autovacuum) reclaims it."""
    if engine.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA secure_delete=ON")


def checkpoint(engine: sa.engine.Engine) -> None:
    """Copy SQLite's write-ahead log into the database file and empty it: the log still held
    the deleted rows as they were written."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def reclaim(engine: sa.engine.Engine) -> None:
    """On PostgreSQL, VACUUM the events table now: deleted rows stay in its files until then
    (autovacuum would come later). SQLite's secure_delete overwrote them already."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM events")


def forget(engine: sa.engine.Engine, sender: str) -> int:
    """Delete one conversation, leaving nothing readable; the number of events deleted."""
    with transaction(engine) as connection:
        erase(engine, connection)
        deleted = connection.execute(sa.delete(EVENTS).where(EVENTS.c.sender_id == sender)).rowcount
    checkpoint(engine)
    return deleted


def purge(engine: sa.engine.Engine, days: float, now: Optional[float] = None) -> List[str]:
    """Delete, in one transaction, every conversation whose last event is older than
    `days`; their sender ids."""
    cutoff = (time.time() if now is None else now) - days * 86400
    old = sa.select(EVENTS.c.sender_id).group_by(EVENTS.c.sender_id).having(sa.func.max(EVENTS.c.timestamp) < cutoff)
    with transaction(engine) as connection:
        erase(engine, connection)
        senders = [row[0] for row in connection.execute(old)]
        connection.execute(sa.delete(EVENTS).where(EVENTS.c.sender_id.in_(old.scalar_subquery())))
    checkpoint(engine)
    return senders
