"""Honest replies when the article has no answer or the message was not understood."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_question import NOT_UNDERSTOOD
from actions.base import ContentAction


class FixedReplyAction(ContentAction):
    """Always answers with one content item, in one kind."""

    item_id: str
    kind: str

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        return self.send(dispatcher, tracker, self.item(self.item_id), self.kind)


class ActionOutOfScope(FixedReplyAction):
    item_id, kind = "out_of_scope.not_covered", "out_of_scope"

    def name(self) -> Text:
        return "action_out_of_scope"


class ActionNotUnderstood(FixedReplyAction):
    item_id, kind = NOT_UNDERSTOOD, "fallback"

    def name(self) -> Text:
        return "action_not_understood"
