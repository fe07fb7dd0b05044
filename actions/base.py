"""Behaviour shared by the actions that answer from the content store."""
from __future__ import annotations

import abc
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.content_client import content_store, safety_texts
from bot.content_files import ContentItem
from bot.replies import item_messages


class ContentAction(Action, metaclass=abc.ABCMeta):
    """An action that answers with content items (abstract: rasa_sdk skips it)."""

    @staticmethod
    def send(
        dispatcher: CollectingDispatcher,
        item: ContentItem,
        kind: str,
        lead: Optional[str] = None,
        topic: Optional[str] = None,
    ) -> None:
        related = content_store().related(item)
        for message in item_messages(item, kind, safety_texts(), related, lead, topic):
            dispatcher.utter_message(**message)

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
