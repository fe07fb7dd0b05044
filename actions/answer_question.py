"""Answers medical questions from the content store, keeping follow-up context."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import ContentAction, entity_value
from actions.content_client import content_store

# What kind of item each question intent wants about a concept.
QUESTION_TYPES = {
    "ask_treatment": "treatments",
    "ask_treatment_purpose": "definition",
    "ask_definition": "definition",
    "describe_symptom": "treatments",
}
# Questions with one fixed answer.
FIXED_ANSWERS = {
    "ask_what_is_ssc": "what_is_ssc.overview",
    "ask_refractory": "what_is_refractory.overview",
    "ask_standard_immunosuppressants": "standard_immunosuppressants.overview",
    "ask_cure": "what_is_ssc.cure",
}
# Which entity names the concept, by question type, when a message names several.
ENTITY_ORDER = {
    "treatments": ("manifestation", "term", "treatment"),
    "definition": ("treatment", "manifestation", "term"),
}
NOT_UNDERSTOOD = "out_of_scope.not_understood"
# A button opens any answer, and these safety texts in their own kind ("What can I ask about?").
SAFETY_KINDS = {"out_of_scope": "out_of_scope", "guardrail": "guardrail", "emergency": "emergency"}


class ActionAnswerQuestion(ContentAction):
    def name(self) -> Text:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        question_type = QUESTION_TYPES.get(intent) or tracker.get_slot("question_type") or "treatments"
        item = self._choose(tracker, intent, question_type)
        kind = "answer" if item is None or item.answers != "safety" else SAFETY_KINDS.get(item.topic)
        if item is None or kind is None:
            return self.send(dispatcher, tracker, self.item(NOT_UNDERSTOOD), "fallback")
        if kind != "answer":
            return self.send(dispatcher, tracker, item, kind)
        events = [SlotSet("question_type", question_type)]
        if item.concept:
            events.append(SlotSet("concept", item.concept))
        return events + self.send(dispatcher, tracker, item, "answer")

    def _choose(self, tracker: Tracker, intent: Optional[str], question_type: str):
        store = content_store()
        content_id = entity_value(tracker, "content_id")
        if content_id:
            return store.item(content_id)
        if intent in FIXED_ANSWERS:
            return self.item(FIXED_ANSWERS[intent])
        concept = entity_value(tracker, *ENTITY_ORDER[question_type]) or tracker.get_slot("concept")
        return store.find(concept, question_type) if concept else None
