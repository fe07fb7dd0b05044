"""Honest replies when the article has no answer or the message was not understood."""

from __future__ import annotations

import abc
from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import ContentAction
from bot.language.detect import LANGUAGE, OTHER
from bot.language.verdict import NO_ITEM, Verdict
from bot.names import ASKED_ITEM, ENGLISH_ONLY_ITEM, NOT_COVERED_ITEM, NOT_UNDERSTOOD_ITEM, VERDICT


class FixedReplyAction(ContentAction):
    """Always answers with one content item, in one kind."""

    item_id: str
    kind: str

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        item, lead = self.about_named(tracker, self.item(self.item_for(tracker)))
        return self.send(dispatcher, tracker, item, self.kind if item.answers == "safety" else "answer", lead=lead)

    def item_for(self, tracker: Tracker) -> str:
        return self.item_id


class CommonQuestionAware(FixedReplyAction, metaclass=abc.ABCMeta):
    """A common question the article does not answer ("is it contagious?", `asked_as` in
    content/; or the item the verdict chose: another disease ...) gets its own honest reply
    rather than the general one."""

    def item_for(self, tracker: Tracker) -> str:
        verdict = Verdict.read(tracker.latest_message.get(VERDICT))
        if verdict is not None and verdict.rule == NO_ITEM:
            return super().item_for(tracker)  # the asked-as item was weighed and set aside
        chosen = verdict.item if verdict is not None else None
        return chosen or tracker.latest_message.get(ASKED_ITEM) or super().item_for(tracker)


class ActionOutOfScope(CommonQuestionAware):
    item_id, kind = NOT_COVERED_ITEM, "out_of_scope"

    def name(self) -> str:
        return "action_out_of_scope"


class ActionNotUnderstood(CommonQuestionAware):
    """Says so; for a message in another language, says in English what it can do."""

    item_id, kind = NOT_UNDERSTOOD_ITEM, "fallback"

    def name(self) -> str:
        return "action_not_understood"

    def item_for(self, tracker: Tracker) -> str:
        return ENGLISH_ONLY_ITEM if tracker.latest_message.get(LANGUAGE) == OTHER else super().item_for(tracker)
