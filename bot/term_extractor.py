"""Rasa NLU component around the project's spaCy term matcher.

It sets `manifestation`, `treatment` and `term` entities whose values are the
content's canonical concept ids ("CellCept" -> mycophenolate). The lexicon is
read from `content/` when the component is created, so the live content and the
matcher never disagree, and no training is needed.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot import settings
from bot.content_files import load_library
from bot.nlp import build_pipeline, find_terms, lexicon_terms


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class MedicalTermExtractor(GraphComponent, EntityExtractorMixin):
    """Finds medical terms (names, lay words, brand names) with canonical values."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # None: the content folder from bot.settings (SSCBOT_CONTENT_DIR or ./content)
        return {"content_dir": None}

    def __init__(self, config: Dict[Text, Any]) -> None:
        library = load_library(config.get("content_dir") or settings.content_dir())
        self.nlp = build_pipeline(lexicon_terms(library))

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MedicalTermExtractor:
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            found = [
                {
                    ENTITY_ATTRIBUTE_TYPE: match.entity,
                    ENTITY_ATTRIBUTE_VALUE: match.value,
                    ENTITY_ATTRIBUTE_START: match.start,
                    ENTITY_ATTRIBUTE_END: match.end,
                    "text": match.text,
                    "confidence_entity": 1.0,
                }
                for match in find_terms(self.nlp, text)
            ]
            found = self.add_extractor_name(found)
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages
