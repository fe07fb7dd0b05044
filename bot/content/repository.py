"""The content as each process reads it: `content/` read and checked once (the items and
settings, and the red-flag rules), shared by the NLU components, the REST channel, the
actions, the CLI and the reports. Nothing is read at import, and nothing here loads spaCy:
the red-flag rules are read and checked here, matched by bot.safety.red_flags.

The content store (bot.content.store) is written only by `load_into_store`: the
explicit load step of `sscbot content load`, of `sscbot run` and of the tests, before any
server starts. The servers only read it.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from bot import settings
from bot.content.files import ContentLibrary, load_library
from bot.content.store import ContentStore
from bot.safety.red_flag_rules import RedFlagRules, load_red_flags


@dataclass(frozen=True)
class Content:
    library: ContentLibrary
    red_flags: RedFlagRules
    digest: str  # of the content files: the stored copy is replaced only when it changes


def content(content_dir: Optional[Path] = None) -> Content:
    """The content of `content_dir` (default: SSCBOT_CONTENT_DIR or ./content), read once per process."""
    return _read(_folder(content_dir))


def library(content_dir: Optional[Path] = None) -> ContentLibrary:
    """The items and settings of `content_dir`, read once per process (the same as content()'s)."""
    return _library(_folder(content_dir))


def _folder(content_dir: Optional[Path]) -> Path:
    return Path(content_dir or settings.content_dir()).resolve()


@functools.cache
def _library(content_dir: Path) -> ContentLibrary:
    return load_library(content_dir)


@functools.cache
def _read(content_dir: Path) -> Content:
    digest = hashlib.sha256()
    for path in sorted(content_dir.glob("*.yml")):
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return Content(_library(content_dir), load_red_flags(content_dir), digest.hexdigest())


def load_into_store(database_url: str, content_dir: Optional[Path] = None) -> ContentStore:
    """Check the content and make it the content store's copy (one transaction, only when it
    changed); the store's `changed` says whether it did."""
    read = content(content_dir)
    store = ContentStore(database_url)
    store.load(read.library, read.digest)
    return store
