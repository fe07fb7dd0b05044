"""Urgent symptoms and personal medicine or diagnosis questions."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import ContentAction, entity_value, latest_entities, question_text
from actions.content_client import content_store, red_flag_replies
from bot.language.verdict import Verdict
from bot.names import ASKED_ITEM, MANIFESTATION, PREGNANCY_ITEM, RED_FLAG, TERM, TREATMENT_ENTITY, URGENT_ITEM, VERDICT
from bot.safety.guardrails import guardrail_for

ARTICLE_SAYS = "What the article says about this (not advice for you):"


class ActionUrgentAdvice(ContentAction):
    """Leads with urgent advice; nothing else comes before it."""

    def name(self) -> str:
        return "action_urgent_advice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        flag = entity_value(tracker, RED_FLAG)
        reply = red_flag_replies().get(flag, URGENT_ITEM) if flag else URGENT_ITEM
        return self.send(dispatcher, tracker, self.item(reply), "emergency")


class ActionGuardrail(ContentAction):
    """No advice on doses, medicine changes or diagnosis; what the article says instead."""

    def name(self) -> str:
        return "action_guardrail"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        concept = entity_value(tracker, TREATMENT_ENTITY, MANIFESTATION, TERM)
        entity_types = {str(e.get("entity")) for e in latest_entities(tracker)}
        verdict = Verdict.read(tracker.latest_message.get(VERDICT))
        reason = verdict.guardrail if verdict is not None else None  # decided in the NLU step
        guardrail = self.item(f"guardrail.{reason}" if reason else guardrail_for(question_text(tracker), entity_types))
        if tracker.latest_message.get(ASKED_ITEM) == PREGNANCY_ITEM:  # a dose in pregnancy: both replies
            lead = guardrail.answer
            return self.send(
                dispatcher, tracker, self.item(PREGNANCY_ITEM), "guardrail", lead, "guardrail", guardrail.id
            )
        about = content_store().find(concept, "definition") if concept else None
        if about is None:
            return self.send(dispatcher, tracker, guardrail, "guardrail")
        lead = f"{guardrail.answer}\n{ARTICLE_SAYS}"
        return self.send(dispatcher, tracker, about, "guardrail", lead=lead, topic="guardrail", content_id=guardrail.id)
