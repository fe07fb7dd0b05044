"""Every shared name (bot/names.py) exists where Rasa and the content define it."""

import yaml

from bot import names
from bot.content.repository import content
from bot.settings import PROJECT_DIR

INTENTS = (
    "URGENT",
    "PERSONAL_ADVICE",
    "DEFINITION",
    "TREATMENT",
    "TREATMENT_PURPOSE",
    "FOLLOW_UP",
    "DESCRIBE_SYMPTOM",
    "OUT_OF_SCOPE",
    "WHAT_IS_SSC",
    "REFRACTORY",
    "STANDARD_MEDICINES",
    "CURE",
)
ENTITIES = ("MANIFESTATION", "TREATMENT_ENTITY", "TERM", "RED_FLAG", "CONTENT_ID")
SLOTS = ("CONCEPT_SLOT", "QUESTION_TYPE_SLOT", "EXPLAINED_SLOT")
ITEMS = ("URGENT_ITEM", "NOT_UNDERSTOOD_ITEM", "NOT_COVERED_ITEM", "ENGLISH_ONLY_ITEM")


def test_intents_entities_and_slots_are_in_the_domain():
    domain = yaml.safe_load((PROJECT_DIR / "domain.yml").read_text(encoding="utf-8"))
    assert {getattr(names, n) for n in INTENTS} | set(names.SMALL_TALK) <= set(domain["intents"])
    assert {getattr(names, n) for n in ENTITIES} <= set(domain["entities"])
    assert {getattr(names, n) for n in SLOTS} <= set(domain["slots"])


def test_content_ids_and_concepts_are_in_the_content():
    library = content().library
    assert {getattr(names, n) for n in ITEMS} <= set(library.items)
    assert names.GENERAL_CONCEPTS <= {item.concept for item in library.defining_items()}
    assert any(names.NAME in item.answer for item in library.items.values())
