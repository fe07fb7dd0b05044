"""Answers medical questions from the content store, keeping follow-up context."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import ContentAction, answered_items, entity_value, entity_values, question_text
from actions.content_client import content_store
from bot.content.files import ContentItem
from bot.content.questions import ENTITY_ORDER, FIXED_ANSWERS, QUESTION_TYPES
from bot.language.question_focus import (
    asks_for_definition,
    asks_for_more,
    asks_for_treatment,
    only_asks_for_more,
    reads_as_follow_up,
)
from bot.language.verdict import Verdict
from bot.names import (
    ASKED_ITEM,
    CONCEPT_SLOT,
    CONTENT_ID,
    GENERAL_CONCEPTS,
    NOT_UNDERSTOOD_ITEM,
    NOTHING_MORE_ITEM,
    QUESTION_TYPE_SLOT,
    VERDICT,
)

MAX_ALSO_NAMED = 2
# A button opens any answer, and these safety texts in their own kind ("What can I ask about?").
SAFETY_KINDS = {"out_of_scope": "out_of_scope", "guardrail": "guardrail", "emergency": "emergency"}


class ActionAnswerQuestion(ContentAction):
    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        question_type = QUESTION_TYPES.get(intent or "") or tracker.get_slot(QUESTION_TYPE_SLOT) or "treatments"
        options = self._options(tracker)
        if options:
            return self.ask_back(dispatcher, options)
        item = self._choose(tracker, intent, question_type)
        item = self._not_again(tracker, item) if item is not None else None
        item, lead = self.about_named(tracker, item) if item is not None else (None, None)
        kind = "answer" if item is None or item.answers != "safety" else SAFETY_KINDS.get(item.topic)
        if item is None or kind is None:
            return self.send(dispatcher, tracker, self.item(NOT_UNDERSTOOD_ITEM), "fallback")
        if kind != "answer":
            return self.send(dispatcher, tracker, item, kind)
        events = [SlotSet(QUESTION_TYPE_SLOT, question_type)]
        if item.concept:
            events.append(SlotSet(CONCEPT_SLOT, item.concept))
        also = self._also_named(tracker, item, question_type)
        return events + self.send(dispatcher, tracker, item, "answer", lead=lead, offer=also)

    def _choose(self, tracker: Tracker, intent: Optional[str], question_type: str) -> Optional[ContentItem]:
        """The item asked for: a button's item, a fixed answer, or the concept the message names;
        the remembered concept only when the message names none and reads as a follow-up."""
        store = content_store()
        verdict = Verdict.read(tracker.latest_message.get(VERDICT))
        chosen = verdict.item if verdict is not None else None
        content_id = entity_value(tracker, CONTENT_ID) or chosen or tracker.latest_message.get(ASKED_ITEM)
        if content_id:
            return store.item(content_id)
        if intent in FIXED_ANSWERS:
            return self.item(FIXED_ANSWERS[intent])
        question = question_text(tracker)
        concept = entity_value(tracker, *ENTITY_ORDER[question_type])
        if concept is None and reads_as_follow_up(question):
            concept = tracker.get_slot(CONCEPT_SLOT)
        if concept in GENERAL_CONCEPTS and question_type == "treatments" and not asks_for_treatment(question):
            question_type = "overview"  # "I have had scleroderma for years, any information?"
        return store.find(concept, question_type) if concept else None

    def _not_again(self, tracker: Tracker, item: ContentItem) -> ContentItem:
        """ "What else can help?" about an item already given, or a question that leads to the
        item of the reply just before ("and tendons?" after arthritis): the next item on its
        subject not yet given, or the reply that the article has nothing more; never the same
        answer twice in a row, unless what it is, or the same question, is asked again. A button
        asks for its item."""
        given = answered_items(tracker)
        question = question_text(tracker)
        repeated = bool(given) and given[-1] == item.id and item.answers != "safety"  # an honest reply may repeat
        explains = item.answers == "definition" and asks_for_definition(question)  # "what are they?": it again
        asked = [e.get("text") for e in tracker.events if e.get("event") == "user"]
        same_words = len(asked) > 1 and asked[-2] == asked[-1]  # asked again as it was: answered again
        again = repeated and not (explains or same_words or entity_value(tracker, CONTENT_ID))
        if not again and (item.id not in given or not (asks_for_more(question) or only_asks_for_more(question))):
            return item
        following = (r for r in content_store().related(item) if r.id not in given and r.answers != "safety")
        return next(following, self.item(NOTHING_MORE_ITEM))

    @staticmethod
    def _options(tracker: Tracker) -> List[ContentItem]:
        """The items to offer when the understanding was unsure (bot.language.verdict); none for a button."""
        if entity_value(tracker, CONTENT_ID):
            return []
        verdict = Verdict.read(tracker.latest_message.get(VERDICT))
        offered = verdict.options if verdict is not None else ()
        return [item for item in map(content_store().item, offered) if item is not None]

    @staticmethod
    def _also_named(tracker: Tracker, answered: ContentItem, question_type: str) -> List[ContentItem]:
        """ "Did you mean ...?": the items about the other conditions and medicines the message names."""
        store = content_store()
        items = [store.find(concept, question_type) for concept in entity_values(tracker, *ENTITY_ORDER[question_type])]
        unique = {
            item.id: item
            for item in items
            if item is not None and item.concept not in (answered.concept, *GENERAL_CONCEPTS)
        }
        return list(unique.values())[:MAX_ALSO_NAMED]
