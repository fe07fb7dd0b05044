"""Transactions on the tracker store's database (its URL: `tracker_url` in bot.settings).
Only the tracker store (bot/rasa_plugins/tracker_store.py) reads or deletes Rasa's `events`
table; the replies given are in bot.records.replies."""

from __future__ import annotations

import contextlib
from typing import Iterator

import sqlalchemy as sa

# Our tracker store's `type` in endpoints.yml (bot/rasa_plugins/tracker_store.py): the store
# that keeps the replies given beside Rasa's events.
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
