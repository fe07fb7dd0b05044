"""Our tables (content, ratings) are created and upgraded by an explicit, versioned step,
never as a side effect of starting a server.

`upgrade` records each part's schema version in `sscbot_schema`, creating the tables the
first time; servers call `require` and refuse a database whose version is not theirs,
naming the fix. Several processes may run the step at once (replicas starting together):
they take turns, on PostgreSQL by an advisory lock, on SQLite by a lock file beside the
database.
"""

from __future__ import annotations

import contextlib
import fcntl
import zlib
from pathlib import Path
from typing import Callable, Iterator, Mapping, Optional

import sqlalchemy as sa

SCHEMA = sa.Table(
    "sscbot_schema",
    sa.MetaData(),
    sa.Column("part", sa.String(40), primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
)
FIX = "load it once with `sscbot content load`, which creates the tables"


class SchemaError(RuntimeError):
    """The database's tables are missing or of another version; the message names the fix."""


@contextlib.contextmanager
def exclusive(engine: sa.engine.Engine, name: str) -> Iterator[None]:
    """One process at a time in this block, for this database and `name`."""
    if engine.dialect.name == "postgresql":
        key = zlib.crc32(name.encode("utf-8"))
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": key})
            try:
                yield
            finally:
                connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": key})
        return
    database = engine.url.database
    if engine.dialect.name != "sqlite" or database in (None, "", ":memory:"):
        yield  # one process only
        return
    with open(Path(f"{database}.{name}.lock"), "a", encoding="utf-8") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def stored_version(connection: sa.engine.Connection, part: str) -> int | None:
    if not sa.inspect(connection).has_table(SCHEMA.name):
        return None
    return connection.execute(sa.select(SCHEMA.c.version).where(SCHEMA.c.part == part)).scalar()


Step = Callable[[sa.engine.Connection], None]


def upgrade(
    engine: sa.engine.Engine, part: str, version: int, metadata: sa.MetaData, steps: Optional[Mapping[int, Step]] = None
) -> bool:
    """Bring `part`'s tables to `version`: created if the database has none, else each step
    `steps[n]` (version n to n + 1) run in turn, new tables made; True if anything changed.
    A version with no step to `version` is refused. A step 0 runs when the part has no
    tables yet: it fills them from data kept before they existed."""
    steps = steps or {}
    with exclusive(engine, "schema"), engine.begin() as connection:
        stored = stored_version(connection, part)
        if stored == version:
            return False
        if stored is not None and not (stored < version and all(n in steps for n in range(stored, version))):
            raise SchemaError(
                f"{_where(engine)}: the {part} tables are at version {stored}, this code needs {version} "
                "and has no step between them"
            )
        SCHEMA.create(connection, checkfirst=True)
        for n in range(stored if stored is not None else 0 if 0 in steps else version, version):
            steps[n](connection)
        metadata.create_all(connection)
        if stored is None:
            connection.execute(SCHEMA.insert().values(part=part, version=version))
        else:
            connection.execute(SCHEMA.update().where(SCHEMA.c.part == part).values(version=version))
        return True


def require(engine: sa.engine.Engine, part: str, version: int) -> None:
    """SchemaError unless `part`'s tables are at `version`."""
    try:
        with engine.connect() as connection:
            stored = stored_version(connection, part)
    except sa.exc.SQLAlchemyError as error:
        raise SchemaError(f"{_where(engine)} cannot be read ({error.__class__.__name__}): {FIX}") from None
    if stored != version:
        found = "no tables" if stored is None else f"version {stored}"
        raise SchemaError(f"{_where(engine)}: the {part} tables need version {version}, found {found}: {FIX}")


def _where(engine: sa.engine.Engine) -> str:
    return engine.url.render_as_string(hide_password=True)
