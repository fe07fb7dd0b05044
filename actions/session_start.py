"""Starts each conversation with the welcome and the disclaimer, up front."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted
from rasa_sdk.executor import CollectingDispatcher

from actions.content_client import content_store
from bot.content.replies import welcome_messages


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        for message in welcome_messages(content_store().setting):
            dispatcher.utter_message(**message)
        return [SessionStarted(), ActionExecuted("action_listen")]
