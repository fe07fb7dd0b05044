"""Rasa NLU component around the project's spaCy term matcher.

It sets `manifestation`, `treatment` and `term` entities whose values are the
content's canonical concept ids ("CellCept" -> mycophenolate), and a `red_flag`
entity when the deterministic red-flag layer (bot.safety.red_flags) finds one. The lexicon and
the red-flag rules are read from the copy of `content/` saved in the model when it was
trained (bot.rasa_plugins.component_base).

In a message of several sentences only the tokens of its question (bot.language.question_focus)
go on to the intent featurizers; where the question is, and the other questions, go
into the parse data for the actions.

It also masks the tokens of each term for the intent featurizers that follow
(their lemma becomes e.g. `termtreatment`), in training and at run time alike:
"can I combine tocilizumab and abatacept" and "can I combine CellCept and
Imuran" then look the same to the intent classifier, which generalises much
better than learning every drug name.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import TOKENS_NAMES
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
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language.pipeline import TermMatch
from bot.language.question_focus import Focus
from bot.language.understanding import shared_understanding
from bot.names import ASKED_ITEM, FOCUS, MANIFESTATION, OTHER_QUESTIONS, RED_FLAG, TREATMENT_ENTITY
from bot.rasa_plugins.component_base import ContentCopyComponent

MASKED_ENTITIES = (TREATMENT_ENTITY, MANIFESTATION)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER],
    is_trainable=True,
)
class MedicalTermExtractor(ContentCopyComponent, EntityExtractorMixin):
    """Finds medical terms (names, lay words, brand names) with canonical values."""

    def __init__(self, config: Dict[str, Any], *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        self.understanding = shared_understanding(self.content_dir)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            if example.get(TEXT):
                analysis = self.understanding.analyse(example.get(TEXT))
                _mask_tokens(example, analysis.terms)
                _keep_focus_tokens(example, analysis.focus)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            analysis = self.understanding.analyse(text)
            # The question's own terms first: what the patient asks about outranks the story.
            matches = sorted(analysis.terms, key=lambda m: not analysis.focus.covers(m.start, m.end))
            red_flag = analysis.red_flag
            if red_flag.flag is not None:
                matches.append(TermMatch(RED_FLAG, red_flag.flag.id, red_flag.text, red_flag.start, red_flag.end))
            focus = analysis.focus
            message.set(
                FOCUS, {"start": focus.start, "end": focus.end, "question_start": focus.question[0]}, add_to_output=True
            )
            message.set(OTHER_QUESTIONS, list(analysis.focus.other_questions), add_to_output=True)
            message.set(ASKED_ITEM, analysis.asked, add_to_output=True)
            _mask_tokens(message, analysis.terms)
            _keep_focus_tokens(message, analysis.focus)
            found = [
                {
                    ENTITY_ATTRIBUTE_TYPE: match.entity,
                    ENTITY_ATTRIBUTE_VALUE: match.value,
                    ENTITY_ATTRIBUTE_START: match.start,
                    ENTITY_ATTRIBUTE_END: match.end,
                    "text": match.text,
                    "confidence_entity": 1.0,
                }
                for match in matches
            ]
            found = self.add_extractor_name(found)
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages


def _mask_tokens(message: Message, matches: List[TermMatch]) -> None:
    """Give the tokens inside each medicine or condition the lemma `term<entity type>`.

    `term` entities (systemic sclerosis, refractory, ...) stay as they are: they
    tell questions like "what is SSc?" and "what does refractory mean?" apart.
    """
    masked = [m for m in matches if m.entity in MASKED_ENTITIES]
    for token in message.get(TOKENS_NAMES[TEXT]) or []:
        for match in masked:
            if token.start < match.end and match.start < token.end:
                token.lemma = f"term{match.entity}"


def _keep_focus_tokens(message: Message, focus: Focus) -> None:
    """Only the question's tokens go on to the intent featurizers: in a long message the
    story before the question must not decide what kind of answer it gets."""
    tokens = message.get(TOKENS_NAMES[TEXT]) or []
    kept = [t for t in tokens if focus.covers(t.start, t.end)]
    if kept and len(kept) < len(tokens):
        message.set(TOKENS_NAMES[TEXT], kept)
