"""Where the conversations are: the SQL tracker store named in endpoints.yml, and the
transactions on its database. Only the tracker store (bot/rasa_plugins/tracker_store.py)
reads or deletes Rasa's `events` table; the replies given are in bot.records.replies."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa
import yaml

from bot import settings
from bot.settings import PROJECT_DIR

# Our tracker store's `type` in endpoints.yml (bot/rasa_plugins/tracker_store.py): the store
# that keeps the replies given beside Rasa's events.
TRACKER_STORE_TYPE = "bot.rasa_plugins.tracker_store.PreparedSQLTrackerStore"


class TrackerStoreError(RuntimeError):
    """The tracker store is not configured as SQL, or cannot be read; the message says why."""


def tracker_db_url(endpoints: Path | None = None) -> str:
    """The SQLAlchemy URL of our SQL tracker store as endpoints.yml configures it."""
    endpoints = endpoints or settings.endpoints_file()
    config = (yaml.safe_load(endpoints.read_text(encoding="utf-8")) or {}).get("tracker_store") or {}
    if str(config.get("type", "")).lower() != TRACKER_STORE_TYPE.lower():
        raise TrackerStoreError(f"{endpoints}: the tracker store is not {TRACKER_STORE_TYPE}")
    values = {k: os.path.expandvars(str(v)) for k, v in config.items() if v is not None}
    dialect = values.get("dialect", "sqlite")
    if dialect == "sqlite":
        return f"sqlite:///{PROJECT_DIR / values.get('db', 'rasa.db')}"
    return sa.engine.URL.create(
        dialect,
        username=values.get("username"),
        password=values.get("password"),
        host=values.get("url"),
        port=int(values["port"]) if "port" in values else None,
        database=values.get("db"),
    ).render_as_string(hide_password=False)


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
