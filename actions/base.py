"""Behaviour shared by the actions that answer from the content store."""

from __future__ import annotations

import abc
import dataclasses
from typing import Any, Dict, List, Optional, Sequence, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.content_client import content_store, safety_texts, terms_used
from bot.content.files import ContentItem
from bot.content.replies import clarify_messages, item_messages
from bot.language.question_focus import question_in
from bot.names import EXPLAINED_SLOT, FOCUS, NAME, OTHER_QUESTIONS, SOMETHING_ELSE_ITEM, TREATMENT_ENTITY

MAX_TERM_BUTTONS = 2  # "What is ...?" buttons in one answer
MAX_SUGGESTIONS = 3  # follow-up buttons in one answer ("You also asked" not counted)
UNNAMED = "these medicines"  # {name} in an answer when the message names no medicine


class ContentAction(Action, metaclass=abc.ABCMeta):
    """An action that answers with content items (abstract: rasa_sdk skips it)."""

    @abc.abstractmethod
    def name(self) -> str:
        """The action's name in the domain."""

    @staticmethod
    def send(
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        item: ContentItem,
        kind: str,
        lead: Optional[str] = None,
        topic: Optional[str] = None,
        content_id: Optional[str] = None,
        offer: Sequence[ContentItem] = (),
    ) -> List[Dict[str, Any]]:
        """Answer with `item`; returns the event that records newly offered explanations.

        At most MAX_SUGGESTIONS follow-up buttons: `offer` first (items to offer), then the
        item's related items (the content puts "What is ...?" items first where an answer's
        words need them), then, while there is room, "What is ...?" buttons for medical words
        the answer uses for the first time in the conversation (at most MAX_TERM_BUTTONS; none
        in an emergency, where nothing should distract from the urgent advice). A word counts
        as explained once its "What is ...?" was offered. The message's
        other questions (bot.language.question_focus) come before them all, as "You also
        asked: ..." buttons, not counted.
        """
        store = content_store()
        before = set(tracker.get_slot(EXPLAINED_SLOT) or [])
        explained = set(before)
        if item.answers == "definition" and item.concept:
            explained.add(item.concept)
        suggested = [*offer, *(r for r in store.related(item) if r not in offer)][:MAX_SUGGESTIONS]
        used = terms_used(" ".join(filter(None, (lead, item.answer)))) if kind != "emergency" else ()
        new_words = {word: store.find(word, "definition") for word in used if word not in explained}
        definitions = list(dict.fromkeys(d for d in new_words.values() if d is not None and d not in suggested))
        suggested += definitions[: min(MAX_SUGGESTIONS - len(suggested), MAX_TERM_BUTTONS)]
        explained |= {word for word, definition in new_words.items() if definition in suggested}
        also_asked = tracker.latest_message.get(OTHER_QUESTIONS) or [] if kind != "emergency" else []
        for message in item_messages(item, kind, safety_texts(), suggested, lead, topic, content_id, also_asked):
            dispatcher.utter_message(**message)
        return [SlotSet(EXPLAINED_SLOT, sorted(explained))] if explained != before else []

    def ask_back(self, dispatcher: CollectingDispatcher, options: List[ContentItem]) -> List[Dict[str, Any]]:
        """ "Do you mean ...?" with `options` and "Something else"."""
        for message in clarify_messages(options, self.item(SOMETHING_ELSE_ITEM), safety_texts()):
            dispatcher.utter_message(**message)
        return []

    @staticmethod
    def about_named(tracker: Tracker, item: ContentItem) -> Tuple[ContentItem, Optional[str]]:
        """(item to answer with, lead). An item that speaks of the medicine named ("side effects
        of {name}") is said before what the article says about that medicine; alone, about
        "these medicines", when none is named. Any other item: itself, no lead."""
        if NAME not in item.answer:
            return item, None
        named = named_entity(tracker, TREATMENT_ENTITY)
        about = content_store().find(named["value"], "definition") if named else None
        if named is None or about is None:
            return dataclasses.replace(item, answer=item.answer.replace(NAME, UNNAMED)), None
        return about, item.answer.replace(NAME, named.get("text") or about.title)

    @staticmethod
    def item(item_id: str) -> ContentItem:
        item = content_store().item(item_id)
        if item is None:
            raise LookupError(f"content item {item_id!r} is missing from the content store")
        return item


def latest_entities(tracker: Tracker) -> List[Dict[str, Any]]:
    return tracker.latest_message.get("entities") or []


def _in_question(tracker: Tracker, entity: Dict[str, Any]) -> bool:
    focus = tracker.latest_message.get(FOCUS)
    start = entity.get("start")
    if not focus or start is None:
        return True
    return focus["start"] <= start and entity.get("end", start) <= focus["end"]


def entity_values(tracker: Tracker, *entity_types: str) -> List[str]:
    """The values of these entity types in the last message, without repeats: those in its
    question first (bot.language.question_focus), then those in the rest; each by type in the order given."""
    entities = latest_entities(tracker)
    values: List[str] = []
    for in_question in (True, False):
        for entity_type in entity_types:
            for entity in entities:
                value = entity.get("value")
                if (
                    entity.get("entity") == entity_type
                    and value
                    and str(value) not in values
                    and _in_question(tracker, entity) == in_question
                ):
                    values.append(str(value))
    return values


def entity_value(tracker: Tracker, *entity_types: str) -> Optional[str]:
    """The first of `entity_values`."""
    return next(iter(entity_values(tracker, *entity_types)), None)


def named_entity(tracker: Tracker, *entity_types: str) -> Optional[Dict[str, Any]]:
    """The entity whose value is `entity_value`: with the words the patient used (`text`)."""
    value = entity_value(tracker, *entity_types)
    return next((e for e in latest_entities(tracker) if e.get("value") == value), None) if value else None


def answered_items(tracker: Tracker) -> List[str]:
    """The content items of the conversation's replies so far, in order (their answer contracts)."""
    contracts = [((e.get("data") or {}).get("custom") or {}) for e in tracker.events if e.get("event") == "bot"]
    return [str(c["content_id"]) for c in contracts if c.get("content_id")]


def question_text(tracker: Tracker) -> str:
    """The question sentence of the last message (all of it when it has one sentence)."""
    return question_in(tracker.latest_message.get("text") or "", tracker.latest_message.get(FOCUS))
