"""Urgent symptoms and personal medicine or diagnosis questions."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import ContentAction, entity_value
from actions.content_client import content_store
from bot.guardrails import guardrail_for


class ActionUrgentAdvice(ContentAction):
    """Leads with urgent advice; nothing else comes before it."""

    def name(self) -> Text:
        return "action_urgent_advice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        self.send(dispatcher, self.item("emergency.urgent"), "emergency")
        return []


class ActionGuardrail(ContentAction):
    """No advice on doses, medicine changes or diagnosis; what the article says instead."""

    def name(self) -> Text:
        return "action_guardrail"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        guardrail = self.item(guardrail_for(tracker.latest_message.get("text")))
        concept = entity_value(tracker, "treatment", "manifestation", "term")
        about = content_store().find(concept, "definition") if concept else None
        if about is None:
            self.send(dispatcher, guardrail, "guardrail")
        else:
            lead = f"{guardrail.answer}\n\nWhat the article says about this:"
            self.send(dispatcher, about, "guardrail", lead=lead, topic="guardrail")
        return []
