"""The actions' one way to the content store (validated content in the database)."""
from __future__ import annotations

import functools
import logging
from typing import Dict, Iterable

from spacy.language import Language

from bot import settings
from bot.nlp import build_pipeline, lexicon_terms
from bot.red_flags import load_red_flags
from bot.replies import SafetyTexts
from bot.store import ContentStore

logger = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1)
def content_store() -> ContentStore:
    store = ContentStore(settings.database_url())
    library = store.load_dir(settings.content_dir())
    logger.info("Loaded %d content items into the content store", len(library.items))
    return store


@functools.lru_cache(maxsize=1)
def red_flag_replies() -> Dict[str, str]:
    return load_red_flags(settings.content_dir()).replies()


@functools.lru_cache(maxsize=1)
def term_finder() -> Language:
    """The term matcher, to find the medical words an answer uses."""
    return build_pipeline(lexicon_terms(content_store().items()))


def safety_texts() -> SafetyTexts:
    return SafetyTexts.from_settings(content_store().setting)


def check_items_exist(item_ids: Iterable[str]) -> None:
    """Raise with the missing ids if the content store lacks any of `item_ids`."""
    missing = sorted(i for i in item_ids if content_store().item(i) is None)
    if missing:
        raise LookupError(f"content/ lacks items the actions send: {', '.join(missing)}")
