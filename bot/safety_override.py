"""Rasa NLU component, last in the pipeline: safety rules have the final word on
the intent, so urgent symptoms and medicine questions never rest on the
classifier alone.

- a red flag found by the deterministic layer -> `report_urgent_symptom`;
- else a dose, medicine-change or diagnosis question -> `ask_personal_advice`,
  also when only the classifier thought it urgent;
- else a message in another language, or with no words at all (emoji only),
  that the classifier did not think urgent -> `nlu_fallback`, with `language`
  (`other` / `no_words`) for the reply to say so;
- else, when the classifier said urgent but the red-flag words were negated, in
  the past or asked about, and nothing is said to happen now -> the classifier's
  next best intent.
"""
from __future__ import annotations

from typing import List, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components import UntrainedComponent
from bot.guardrails import guardrail_reason
from bot.language import LANGUAGE, not_english
from bot.term_extractor import RED_FLAG, RED_FLAG_SET_ASIDE

URGENT = "report_urgent_symptom"
PERSONAL_ADVICE = "ask_personal_advice"
NOT_UNDERSTOOD = "nlu_fallback"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SafetyOverride(UntrainedComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = self._safe_intent(message)
            if intent is not None:
                message.set(INTENT, {INTENT_NAME_KEY: intent, "confidence": 1.0}, add_to_output=True)
        return messages

    @staticmethod
    def _safe_intent(message: Message) -> Optional[str]:
        entities = message.get(ENTITIES) or []
        predicted = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        if any(e.get("entity") == RED_FLAG for e in entities):
            return URGENT
        if guardrail_reason(message.get(TEXT), {e.get("entity") for e in entities}):
            return PERSONAL_ADVICE
        language = not_english(message.get(TEXT)) if predicted != URGENT else None
        if language:
            message.set(LANGUAGE, language, add_to_output=True)
            return NOT_UNDERSTOOD
        if predicted == URGENT and message.get(RED_FLAG_SET_ASIDE):
            ranking = message.get(INTENT_RANKING_KEY) or []
            return next((r[INTENT_NAME_KEY] for r in ranking if r[INTENT_NAME_KEY] != URGENT), NOT_UNDERSTOOD)
        return None
