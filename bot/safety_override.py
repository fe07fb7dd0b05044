"""Rasa NLU component, last in the pipeline: the deterministic rules have the final
word on the intent, so urgent symptoms and medicine questions never rest on the
classifier alone, and a question about something the article covers is never
answered "not covered".

In this order, the first that applies:
- a red flag found by the deterministic layer -> `report_urgent_symptom`;
- a dose, medicine-change or diagnosis question (read in the message's question,
  bot.question_focus) -> `ask_personal_advice`, also when only the classifier
  thought it urgent;
- a message in another language, or with no words at all (emoji only), that the
  classifier did not think urgent -> `nlu_fallback`, with `language` (`other` /
  `no_words`) for the reply to say so;
- the classifier said urgent but the red-flag words were negated, in the past or
  asked about (and nothing is said to happen now), or the message is longer than one
  short sentence; or it said personal advice where the rules found none -> its next
  best intent (and the steps below);
- the question is asked the way an item's `asked_as` phrases say ("is it
  contagious?") -> `ask_definition` with that item as `content_id`;
- the message is the name of a condition and little else ("joint pain") ->
  `ask_treatment` about it;
- the classifier found a general question (what SSc is, the standard medicines ...)
  but the question names a condition; or it found no medical question (out of
  scope, not understood, small talk) but the message names a condition, medicine or
  test the content knows -> `ask_treatment` or `ask_definition` about it ("what is
  CREST syndrome?" included);
- no medical question found, nothing named, but a question that points back ("what
  helps it?") -> `ask_treatment` or `follow_up`, for the remembered topic;
- an unsure "out of scope" for a message that names nothing -> `nlu_fallback`.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.components import UntrainedComponent
from bot.guardrails import guardrail_reason
from bot.language import LANGUAGE, not_english
from bot.question_focus import asks_for_treatment, is_question, is_short, question_in, refers_back
from bot.names import ASKED_ITEM, FOCUS, GENERAL_CONCEPTS
from bot.term_extractor import RED_FLAG, RED_FLAG_SET_ASIDE

URGENT = "report_urgent_symptom"
PERSONAL_ADVICE = "ask_personal_advice"
NOT_UNDERSTOOD = "nlu_fallback"
DEFINITION = "ask_definition"
FOLLOW_UP = "follow_up"
DEFINITION_WORDS = {"what", "is", "are", "whats", "what's", "a", "an", "the", "explain", "define", "mean", "means"}
SURE = 0.5  # an out-of-scope verdict below this, on a message that names nothing, is "not understood"
TREATMENT = "ask_treatment"
# Intents that answer no medical question: a named condition or medicine outweighs them.
NO_MEDICAL_QUESTION = {"out_of_scope", NOT_UNDERSTOOD, "greet", "thank", "goodbye", "bot_challenge",
                       "ask_capabilities"}
# Intents with one general answer: a condition named in the question is the more specific one.
GENERAL_ANSWERS = {"ask_what_is_ssc", "ask_standard_immunosuppressants", "ask_refractory", "ask_cure"}
NAMED_THINGS = ("manifestation", "treatment", "term")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SafetyOverride(UntrainedComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = self._safe_intent(message)
            if intent is not None:
                message.set(INTENT, {INTENT_NAME_KEY: intent, "confidence": 1.0}, add_to_output=True)
        return messages

    @classmethod
    def _safe_intent(cls, message: Message) -> Optional[str]:
        entities = message.get(ENTITIES) or []
        predicted = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        question = _question(message)
        if any(e.get(ENTITY_ATTRIBUTE_TYPE) == RED_FLAG for e in entities):
            return URGENT
        if guardrail_reason(question, {e.get(ENTITY_ATTRIBUTE_TYPE) for e in entities}):
            return PERSONAL_ADVICE
        language = not_english(message.get(TEXT)) if predicted != URGENT else None
        if language:
            message.set(LANGUAGE, language, add_to_output=True)
            return NOT_UNDERSTOOD
        demoted = None
        if _unsupported(message, predicted):
            ranking = message.get(INTENT_RANKING_KEY) or []
            demoted = next((r[INTENT_NAME_KEY] for r in ranking if r[INTENT_NAME_KEY] not in (URGENT, PERSONAL_ADVICE)),
                           NOT_UNDERSTOOD)
        return cls._answerable(message, entities, demoted or predicted, question) or demoted

    @staticmethod
    def _answerable(message: Message, entities: List[Dict[str, Any]], intent: Optional[str],
                    question: str) -> Optional[str]:
        """A question the content answers, where the classifier saw none (or a general one)."""
        asked = message.get(ASKED_ITEM)
        if asked and intent != PERSONAL_ADVICE:
            entities.append({ENTITY_ATTRIBUTE_TYPE: "content_id", ENTITY_ATTRIBUTE_VALUE: asked,
                             "extractor": SafetyOverride.__name__})
            message.set(ENTITIES, entities, add_to_output=True)
            return DEFINITION
        text = message.get(TEXT) or ""
        names = [e for e in entities if e.get(ENTITY_ATTRIBUTE_TYPE) in NAMED_THINGS]
        named = [e for e in names if e.get(ENTITY_ATTRIBUTE_VALUE) not in GENERAL_CONCEPTS]
        focus = message.get(FOCUS) or {}
        about_manifestation = any(
            e.get(ENTITY_ATTRIBUTE_TYPE) == "manifestation"
            and focus.get("start", 0) <= e.get("start", 0) < focus.get("end", len(text))
            for e in named)
        wants_treatment = asks_for_treatment(question)
        if about_manifestation and intent != FOLLOW_UP and len(_other_words(text, named)) <= 1:
            return TREATMENT  # "joint pain", "my calcinosis?": what helps it
        if intent in GENERAL_ANSWERS and about_manifestation:
            return TREATMENT if wants_treatment else DEFINITION
        if intent not in NO_MEDICAL_QUESTION:
            return None
        if named:
            return TREATMENT if wants_treatment or named[0].get(ENTITY_ATTRIBUTE_TYPE) == "manifestation" else DEFINITION
        if names and len([w for w in _other_words(text, names) if w not in DEFINITION_WORDS]) <= 1:
            return DEFINITION  # "what is CREST syndrome?"
        if is_question(question) and refers_back(question):
            return TREATMENT if wants_treatment else FOLLOW_UP  # "what helps it?"
        if intent == "out_of_scope" and not entities and (message.get(INTENT) or {}).get("confidence", 1) < SURE:
            return NOT_UNDERSTOOD  # "purple monkey dishwasher" is not a question about something else
        return None


def _other_words(text: str, named: List[Dict[str, Any]]) -> List[str]:
    """The words of `text` outside the entities `named`, lower case."""
    rest = text
    for entity in sorted(named, key=lambda e: -e.get("start", 0)):
        rest = rest[:entity.get("start", 0)] + " " + rest[entity.get("end", 0):]
    return re.findall(r"[a-z']+", rest.lower())


def _unsupported(message: Message, predicted: Optional[str]) -> bool:
    """The classifier's urgent or advice verdict where the deterministic layers found nothing:
    advice always (its rules are complete for doses, changes and diagnosis); urgent when the
    red-flag words were set aside, or when the message is longer than the one short
    sentence the classifier was trained on (real posts tell stories in alarming words)."""
    if predicted == PERSONAL_ADVICE:
        return True
    return predicted == URGENT and (bool(message.get(RED_FLAG_SET_ASIDE)) or not is_short(message.get(TEXT) or ""))


def _question(message: Message) -> str:
    """The question sentence of the message (all of it when it has no question)."""
    return question_in(message.get(TEXT) or "", message.get(FOCUS))
