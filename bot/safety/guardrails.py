"""Personal medicine and diagnosis questions: which guardrail, if any, a message needs.

Deterministic, so the bot never gives dose, change or diagnosis advice even when
the intent classifier misses such a question. `entity_types` are the types the
term matcher found in the message ("treatment", "manifestation", "term").
"""

import re
from typing import Collection, Optional

from bot.language.question_focus import is_question, sentences
from bot.language.text import plain_quotes

REASONS = ("dose", "diagnosis", "medicine_change")
GUARDRAIL_ITEMS = tuple(f"guardrail.{reason}" for reason in REASONS)

MEDICINE_WORDS = re.compile(
    r"\b(medicines?|medications?|meds|tablets?|pills?|drugs?|injections?|infusions?|steroids?|supplements?|"
    r"i take|to take|taking|i am on|im on|i'm on)\b",
    re.I,
)
DOSE = re.compile(r"\b(doses?|dosage|dosing|mg|\d+(\.\d+)? ?mg|milligrams?|safe amount)\b", re.I)
# These need a medicine and the person themselves: "how often is rituximab given" is not one.
DOSE_IF_MEDICINE = re.compile(r"\b(how much|how many|how often|amount|strength|strenth)\b", re.I)
FIRST_PERSON = re.compile(r"\b(i|i'm|im|my|me)\b", re.I)
IS_IT_OK = r"\b(is|would) it (be )?(ok|okay|safe|fine|alright|dangerous|bad)\b"
ASKING_ME = r"(\b(should|can|could|may|must|shall|do) i\b|\bi (should|can|could)\b|" + IS_IT_OK + ")"
# Without a medicine named, only a question asks it: "should I stop?", not "if I could change how I look".
ASKED_BY_ME = r"(\b(should|can|could|may|must|shall|do) i\b|" + IS_IT_OK + ")"
CHANGE_WORDS = (
    r"\b(stop|skip|double|halve|increase|decrease|reduce|lower|raise|change|switch|swap|"
    r"come off|go off|get off|quit|miss|combine|mix|cut down)\b"
)
CHANGE_VERBS = r".{0,40}?" + CHANGE_WORDS
CHANGE_BY_ME = re.compile(r"\bi\b.{0,20}" + CHANGE_WORDS, re.I)  # "I want to double it"
CHANGE = re.compile(ASKED_BY_ME + CHANGE_VERBS, re.I)
CHANGE_OF_MEDICINE = re.compile(ASKING_ME + CHANGE_VERBS, re.I)
CHANGE_IF_MEDICINE = re.compile(
    ASKING_ME + r".{0,40}?\b(take|taking|start|try|go back on)\b|\btogether\b|\bat the same time\b"
    r"|\b(should|do|shall) i (be on|need|go on|get|ask for|have|say yes)\b|\bwhich\b.{0,30}\b(better|best) for me\b"
    r"|\b(stop|stopping|quit|quitting|skip|skipping|double|doubling|halve|halving|switch|switching|come off|"
    r"coming off)\b.{0,20}\b(my|taking)\b",
    re.I,
)
DIAGNOSIS = re.compile(
    r"\b(do|could|might|may|would) i (have|got|be getting)\b|\bhave i got\b|\bdo you think i\b"
    r"|\b(do|does|could|can)\b.{0,30}\b(mean|show|prove)\b.{0,10}\b(i|i've|ive|that i)\b"
    r"|\b(do|does) my\b.{0,30}\bshow\b|\bam i (getting|developing|at risk)\b|\bis mine\b",
    re.I,
)
IS_THIS = re.compile(
    r"(^|[.?!,;]\s*)(is|are|could|might) (this|that|these|those|my|mine|(the|these)( \w+){1,3} (on|in) my)\b"
    r"(?!\s+(true|right|correct|so|the case)\b)",  # "is this true?" checks a fact, not a diagnosis
    re.I,
)
CONDITION_WORDS = re.compile(
    r"\b(sign|symptom|lupus|scleroderma|ssc|morphea|dermatomyositis|limited|diffuse|caused by|early)\b", re.I
)


def guardrail_reason(text: str, entity_types: Collection[str] = ()) -> Optional[str]:
    """'dose', 'diagnosis', 'medicine_change' or None."""
    text = plain_quotes(text or "")
    about_medicine = "treatment" in entity_types or bool(MEDICINE_WORDS.search(text))
    asks_dose = about_medicine and DOSE_IF_MEDICINE.search(text) and FIRST_PERSON.search(text)
    if (DOSE.search(text) and not _story(text)) or asks_dose:
        return "dose"
    names_condition = bool({"manifestation", "term"} & set(entity_types)) or bool(CONDITION_WORDS.search(text))
    if DIAGNOSIS.search(text) or (IS_THIS.search(text) and names_condition and not about_medicine):
        return "diagnosis"
    if CHANGE.search(text) or (about_medicine and (CHANGE_OF_MEDICINE.search(text) or CHANGE_IF_MEDICINE.search(text))):
        return "medicine_change"
    return None


def _story(text: str) -> bool:
    """Several sentences, none asks anything and none speaks of a change: a dose told in a story
    ("I take 7 milligrams of methotrexate a week. The pain is intense.") is not a dose question."""
    spans = sentences(text)
    return (
        len(spans) > 1
        and not any(is_question(text[start:end]) for start, end in spans)
        and not CHANGE_BY_ME.search(text)
    )


def guardrail_for(text: str, entity_types: Collection[str] = ()) -> str:
    """The id of the guardrail item that answers `text` (a medicine change when unclear)."""
    return f"guardrail.{guardrail_reason(text, entity_types) or 'medicine_change'}"
