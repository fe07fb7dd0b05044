"""Which content item a kind of question asks for: shared by the actions, which answer
with it, and the item ranker's training (bot.language.item_examples), which learns from
the NLU examples labelled this way."""

from __future__ import annotations

from typing import Iterable, Optional

from bot.content.files import ContentItem
from bot.names import (
    CURE,
    DEFINITION,
    DESCRIBE_SYMPTOM,
    MANIFESTATION,
    REFRACTORY,
    STANDARD_MEDICINES,
    TERM,
    TREATMENT,
    TREATMENT_ENTITY,
    TREATMENT_PURPOSE,
    WHAT_IS_SSC,
)

# What kind of item each question intent wants about a concept.
QUESTION_TYPES = {
    TREATMENT: "treatments",
    TREATMENT_PURPOSE: "definition",
    DEFINITION: "definition",
    DESCRIBE_SYMPTOM: "treatments",
}
# Questions with one fixed answer.
FIXED_ANSWERS = {
    WHAT_IS_SSC: "what_is_ssc.overview",
    REFRACTORY: "what_is_refractory.overview",
    STANDARD_MEDICINES: "standard_immunosuppressants.overview",
    CURE: "what_is_ssc.cure",
}
# Which entity names the concept, by question type, when a message names several.
ENTITY_ORDER = {
    "treatments": (MANIFESTATION, TERM, TREATMENT_ENTITY),
    "definition": (TREATMENT_ENTITY, MANIFESTATION, TERM),
}


def find_item(items: Iterable[ContentItem], concept: str, answers: str) -> Optional[ContentItem]:
    """The item answering `answers` about `concept`, else the concept's definition."""
    matches = [i for i in items if i.concept == concept]
    for wanted in (answers, "definition"):
        for item in matches:
            if item.answers == wanted:
                return item
    return matches[0] if matches else None
