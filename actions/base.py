"""Behaviour shared by the actions that answer from the content store."""
from __future__ import annotations

import abc
from typing import Any, Dict, List, Optional, Sequence, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.content_client import content_store, safety_texts, term_finder
from bot.content_files import ContentItem
from bot.nlp import find_terms
from bot.replies import item_messages

MAX_TERM_BUTTONS = 2
EXPLAINED = "explained"  # slot: concepts this conversation has explained or offered to explain


class ContentAction(Action, metaclass=abc.ABCMeta):
    """An action that answers with content items (abstract: rasa_sdk skips it)."""

    @abc.abstractmethod
    def name(self) -> Text:
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
    ) -> List[Dict[Text, Any]]:
        """Answer with `item`; returns the event that records newly offered explanations.

        `offer`: items to offer as buttons first, before the item's related items.

        A medical word the answer uses for the first time in the conversation is
        offered as a "What is ...?" button beside the related items (not in an
        emergency, where nothing should distract from the urgent advice).
        """
        store = content_store()
        related = [*offer, *(r for r in store.related(item) if r not in offer)]
        before = set(tracker.get_slot(EXPLAINED) or [])
        explained = set(before)
        if item.answers == "definition" and item.concept:
            explained.add(item.concept)
        offered = 0
        used = find_terms(term_finder(), " ".join(filter(None, (lead, item.answer)))) if kind != "emergency" else []
        for match in used:
            definition = store.find(match.value, "definition")
            if offered == MAX_TERM_BUTTONS or match.value in explained or definition is None:
                continue
            explained.add(match.value)
            if definition not in related:
                related.append(definition)
                offered += 1
        for message in item_messages(item, kind, safety_texts(), related, lead, topic, content_id):
            dispatcher.utter_message(**message)
        return [SlotSet(EXPLAINED, sorted(explained))] if explained != before else []

    @staticmethod
    def item(item_id: str) -> ContentItem:
        item = content_store().item(item_id)
        if item is None:
            raise LookupError(f"content item {item_id!r} is missing from the content store")
        return item


def latest_entities(tracker: Tracker) -> List[Dict[Text, Any]]:
    return tracker.latest_message.get("entities") or []


def entity_value(tracker: Tracker, *entity_types: str) -> Optional[str]:
    """The first value of the first entity type (in the order given) in the last message."""
    entities = latest_entities(tracker)
    for entity_type in entity_types:
        for entity in entities:
            if entity.get("entity") == entity_type and entity.get("value"):
                return str(entity["value"])
    return None
