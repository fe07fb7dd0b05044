"""A store whose tables the explicit, versioned schema step makes (bot.records.schema)."""

from __future__ import annotations

from typing import Any, ClassVar, Mapping, Type, TypeVar

from sqlalchemy.orm import sessionmaker

from bot.content.store import create_db_engine
from bot.records.schema import Step, require, upgrade

T = TypeVar("T", bound="VersionedStore")


class VersionedStore:
    """`create(url)` is the explicit step: the tables made if missing, then the store. The
    constructor only uses them: SchemaError, naming the fix, when they are not there."""

    SCHEMA_PART: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]
    METADATA: ClassVar[Any]
    STEPS: ClassVar[Mapping[int, Step]] = {}  # version n to n + 1

    def __init__(self, url: str):
        self.engine = create_db_engine(url)
        require(self.engine, self.SCHEMA_PART, self.SCHEMA_VERSION)
        self._session = sessionmaker(self.engine, future=True)

    @classmethod
    def create(cls: Type[T], url: str) -> T:
        upgrade(create_db_engine(url), cls.SCHEMA_PART, cls.SCHEMA_VERSION, cls.METADATA, cls.STEPS)
        return cls(url)
