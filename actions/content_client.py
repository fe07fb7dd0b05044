"""The actions' one way to the content store (validated content in the database)."""
from __future__ import annotations

import functools
import logging

from bot import settings
from bot.replies import SafetyTexts
from bot.store import ContentStore

logger = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1)
def content_store() -> ContentStore:
    store = ContentStore(settings.database_url())
    library = store.load_dir(settings.content_dir())
    logger.info("Loaded %d content items into the content store", len(library.items))
    return store


def safety_texts() -> SafetyTexts:
    return SafetyTexts.from_settings(content_store().setting)
