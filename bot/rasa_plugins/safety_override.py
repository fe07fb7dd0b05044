"""Rasa NLU component, last in the pipeline: the deterministic rules have the final
word on the intent, so urgent symptoms and medicine questions never rest on the
classifier alone, and a question about something the article covers is never
answered "not covered". The rules are an ordered table of named rules
(bot.language.intent_rules); this component reads the message for them.

Then the verdict (bot.names.VERDICT), the one decision the actions read: the rule that
decided and the item to answer with, or the items to ask back with. The deterministic
rules come first (`red_flag`, `forget`, `guardrail`, `language`, `pregnancy`,
`follow_up`, `button`); otherwise the item ranker's items are weighed against the item the
intent and the named concept ask for (bot.language.verdict). Where the classifier's intent
would not run the action that answers the verdict, the intent is routed: `out_of_scope`
for an honest reply, `ask_definition` for an answer or for asking back. Both rules' names
are logged with each message and kept in the verdict (`intent_rule`, `rule`).
"""

from __future__ import annotations

import functools
import logging
from typing import Any, Dict, List, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.content.repository import content
from bot.language.detect import LANGUAGE
from bot.language.intent_rules import (
    ANSWERING,
    NO_ANSWER,
    SMALL_TALK_AFTER_ALL,
    IntentDecision,
    Reading,
    decide_intent,
)
from bot.language.item_examples import item_asked_for, rankable
from bot.language.item_ranking import NONE, Ranked
from bot.language.other_conditions import OtherConditions
from bot.language.question_focus import (
    asks_for_more,
    question_in,
    reads_as_follow_up,
    refers_back,
)
from bot.language.verdict import AGREE, ASK_BACK, NAMED, OTHER_CONDITION, RANKED, Verdict, choose_item
from bot.names import (
    ASKED_ITEM,
    DEFINITION,
    DENY,
    FOCUS,
    FOLLOW_UP,
    FORGET,
    GENERAL_CONCEPTS,
    ITEM_RANKING,
    MANIFESTATION,
    NOT_UNDERSTOOD,
    OUT_OF_SCOPE,
    PERSONAL_ADVICE,
    PREGNANCY_ITEM,
    RED_FLAG,
    VERDICT,
)
from bot.rasa_plugins.component_base import ContentCopyComponent

logger = logging.getLogger(__name__)

ORGAN = "_involvement"  # the concepts of a whole organ (lung_involvement ...), which other diseases share
# the rules of bot.language.verdict that answer or ask back
RANKED_RULES = {OTHER_CONDITION, AGREE, RANKED, NAMED, ASK_BACK}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SafetyOverride(ContentCopyComponent):
    def __init__(self, config: Dict[str, Any], *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        library = content(self.content_dir).library  # the saved copy's (ContentCopyComponent)
        self.items = rankable(library)
        self.other_conditions = OtherConditions.of_content(library.items.values())

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            reading = _reading(message)
            decision = decide_intent(reading)
            if decision.language:
                message.set(LANGUAGE, decision.language, add_to_output=True)
            if decision.rule == SMALL_TALK_AFTER_ALL:
                message.set(ASKED_ITEM, None, add_to_output=True)
            if decision.intent is not None:
                message.set(INTENT, {INTENT_NAME_KEY: decision.intent, "confidence": 1.0}, add_to_output=True)
            verdict = self._verdict(message, (message.get(INTENT) or {}).get(INTENT_NAME_KEY), decision, reading)
            routed = self._routed(verdict)
            if routed is not None:
                message.set(INTENT, {INTENT_NAME_KEY: routed, "confidence": 1.0}, add_to_output=True)
            message.set(VERDICT, verdict.as_dict(), add_to_output=True)
            logger.info(
                "intent rule %s; verdict: rule %s, item %s, options %s",
                decision.rule,
                verdict.rule,
                verdict.item,
                verdict.options,
            )
        return messages

    def _routed(self, verdict: Verdict) -> Optional[str]:
        """The intent whose rule runs the action that answers the verdict, where the classifier's does
        not: `out_of_scope` for an honest reply (action_out_of_scope), `ask_definition` for an answer or
        for asking back (action_answer_question)."""
        if verdict.rule not in RANKED_RULES:
            return None
        item = self.items.get(verdict.item or "")
        if item is not None and item.topic == OUT_OF_SCOPE:
            return None if verdict.intent in ANSWERING | {OUT_OF_SCOPE} else OUT_OF_SCOPE
        return None if verdict.intent in ANSWERING else DEFINITION

    def _verdict(self, message: Message, intent: Optional[str], decision: IntentDecision, reading: Reading) -> Verdict:
        """The one decision about the message (bot.names.VERDICT): which rule decided, and the
        item to answer with or the items to offer (bot.language.verdict). `reading`: the message
        as the intent's rules read it (its text, entities and question do not change)."""
        text, entities, question = reading.text, reading.entities, reading.question
        flag = next((e.get(ENTITY_ATTRIBUTE_VALUE) for e in entities if e.get(ENTITY_ATTRIBUTE_TYPE) == RED_FLAG), None)
        decided = functools.partial(
            Verdict,
            intent_rule=decision.rule,
            intent=intent,
            red_flag=flag,
            language=message.get(LANGUAGE),
            focus=message.get(FOCUS) or {},
            candidates=tuple(message.get(ITEM_RANKING) or ()),
        )
        if text.startswith("/"):
            return decided(rule="button")
        if flag:
            return decided(rule="red_flag")
        if intent == PERSONAL_ADVICE:  # the rules' reason; a medicine change where only the classifier saw one
            return decided(rule="guardrail", guardrail=decision.guardrail or "medicine_change")
        if intent in (FORGET, DENY):
            return decided(rule="forget")
        if message.get(LANGUAGE):
            return decided(rule="language")
        asked = message.get(ASKED_ITEM)
        if asked == PREGNANCY_ITEM:
            return decided(rule="pregnancy", item=asked)
        named = {
            e[ENTITY_ATTRIBUTE_TYPE]: str(e.get(ENTITY_ATTRIBUTE_VALUE))
            for e in reversed(reading.names)
            if reading.in_focus(e)
        }
        # A follow-up is short, and leans on what was said before ("and Raynaud's?") or names nothing of its
        # own ("what else can help?"); a story that ends in "what can I do about it?" carries its subject.
        if reads_as_follow_up(text) and (intent == FOLLOW_UP or (refers_back(question) and not reading.names)):
            if intent in NO_ANSWER and asks_for_more(question):
                message.set(INTENT, {INTENT_NAME_KEY: FOLLOW_UP, "confidence": 1.0}, add_to_output=True)
            return decided(rule="follow_up")
        ranking = [Ranked(r["content_id"], r["score"]) for r in message.get(ITEM_RANKING) or []]
        specific = {entity: value for entity, value in named.items() if value not in GENERAL_CONCEPTS}
        named_item = asked or item_asked_for(intent, None, specific, self.items)
        named_item = named_item if named_item != NONE else None
        names_condition = any(  # SSc itself, or a condition the article covers
            e.get(ENTITY_ATTRIBUTE_TYPE) == MANIFESTATION or e.get(ENTITY_ATTRIBUTE_VALUE) in GENERAL_CONCEPTS
            for e in entities
        )
        medical = intent in ANSWERING or intent == NOT_UNDERSTOOD or bool(specific)  # "not understood": maybe asked
        # Another disease, where nothing of the article but an organ is named outside its name ("can
        # sarcoidosis affect the lungs?", "is rituximab good for rheumatoid arthritis?")
        others = self.other_conditions.named_in(text)
        names_other = bool(others) and not any(
            e.get(ENTITY_ATTRIBUTE_TYPE) == MANIFESTATION or e.get(ENTITY_ATTRIBUTE_VALUE) in GENERAL_CONCEPTS
            for e in entities
            if not str(e.get(ENTITY_ATTRIBUTE_VALUE)).endswith(ORGAN)
            and not any(start <= e.get("start", -1) < end for start, end in others)
        )
        choice = choose_item(ranking, named_item, medical, names_condition, names_other)
        return decided(rule=choice.rule, item=choice.item, options=choice.options)


def _reading(message: Message) -> Reading:
    intent = message.get(INTENT) or {}
    ranking = message.get(ITEM_RANKING) or []
    return Reading(
        text=message.get(TEXT) or "",
        question=_question(message),
        intent=intent.get(INTENT_NAME_KEY),
        confidence=float(intent.get("confidence", 1)),
        intents=tuple(r[INTENT_NAME_KEY] for r in message.get(INTENT_RANKING_KEY) or []),
        entities=tuple(message.get(ENTITIES) or []),
        focus=message.get(FOCUS) or {},
        asked=message.get(ASKED_ITEM),
        best_item=ranking[0]["content_id"] if ranking else None,
    )


def _question(message: Message) -> str:
    """The question sentence of the message (all of it when it has no question)."""
    return question_in(message.get(TEXT) or "", message.get(FOCUS))
