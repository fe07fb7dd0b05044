"""Rasa NLU component, last in the pipeline: the deterministic rules have the final
word on the intent, so urgent symptoms and medicine questions never rest on the
classifier alone, and a question about something the article covers is never
answered "not covered".

In this order, the first that applies:
- a red flag found by the deterministic layer -> `report_urgent_symptom`;
- the whole message asks to delete the conversation ("delete my chat") -> `request_forget`;
- a dose, medicine-change or diagnosis question (read in the message's question,
  bot.language.question_focus) -> `ask_personal_advice`, also when only the classifier
  thought it urgent; but a question about pregnancy, breastfeeding or trying for a baby
  that asks no dose gets the pregnancy reply;
- a message in another language, or with no words at all (emoji only), that the
  classifier did not think urgent -> `nlu_fallback`, with `language` (`other` /
  `no_words`) for the reply to say so;
- the classifier said urgent or personal advice where the rules found nothing, on a
  message longer than one short sentence, or urgent where the red-flag words were
  negated, in the past or asked about (and nothing is said to happen now) -> its next
  best intent (and the steps below);
- the question is asked the way an item's `asked_as` phrases say ("is it
  contagious?"): the actions answer with that item (`asked_item`); small talk
  becomes `ask_definition` so that an action answers at all, unless the item ranker
  finds no item in it ("catch you later");
- the message is the name of a condition and little else ("joint pain") ->
  `ask_treatment` about it;
- the classifier found a general question (what SSc is, the standard medicines ...)
  but the question names a condition; or it found no medical question (out of
  scope, not understood, small talk) but the message names a condition, medicine or
  test the content knows -> `ask_treatment` or `ask_definition` about it ("what is
  CREST syndrome?" included);
- no medical question found, nothing named, but a question for what helps that points
  back ("what helps it?") -> `ask_treatment`, for the remembered topic;
- an unsure "out of scope" for a message that names nothing -> `nlu_fallback`.

Then the verdict (bot.names.VERDICT), the one decision the actions read: the rule that
decided and the item to answer with, or the items to ask back with. The deterministic
rules above come first (`red_flag`, `forget`, `guardrail`, `language`, `pregnancy`,
`follow_up`, `button`); otherwise the item ranker's items are weighed against the item the
intent and the named concept ask for (bot.language.verdict). Where the classifier's intent
would not run the action that answers the verdict, the intent is routed: `out_of_scope`
for an honest reply, `ask_definition` for an answer or for asking back.
"""

from __future__ import annotations

import logging
import re
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

from bot.content.questions import FIXED_ANSWERS, QUESTION_TYPES
from bot.content.repository import content
from bot.language.detect import LANGUAGE, not_english
from bot.language.item_examples import item_asked_for, rankable
from bot.language.item_ranking import NONE, Ranked
from bot.language.question_focus import (
    asks_for_definition,
    asks_for_more,
    asks_for_treatment,
    is_question,
    is_short,
    question_in,
    reads_as_follow_up,
    refers_back,
)
from bot.language.verdict import AGREE, ASK_BACK, NAMED, RANKED, choose_item
from bot.names import (
    ASKED_ITEM,
    CURE,
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
    SMALL_TALK,
    STANDARD_MEDICINES,
    TERM,
    TREATMENT,
    TREATMENT_ENTITY,
    URGENT,
    VERDICT,
    WHAT_IS_SSC,
)
from bot.rasa_plugins.component_base import ContentCopyComponent
from bot.rasa_plugins.term_extractor import RED_FLAG_SET_ASIDE
from bot.safety.forget_request import asks_to_forget
from bot.safety.guardrails import guardrail_reason

logger = logging.getLogger(__name__)

DEFINITION_WORDS = {"what", "is", "are", "whats", "what's", "a", "an", "the", "explain", "define", "mean", "means"}
SURE = 0.5  # an out-of-scope verdict below this, on a message that names nothing, is "not understood"
# Intents that answer no medical question: a named condition or medicine outweighs them.
NO_ANSWER = {OUT_OF_SCOPE, NOT_UNDERSTOOD, "ask_capabilities"}
NO_MEDICAL_QUESTION = NO_ANSWER | SMALL_TALK
# Intents with one general answer: a condition named in the question is the more specific one.
GENERAL_ANSWERS = {WHAT_IS_SSC, STANDARD_MEDICINES, CURE}
NAMED_THINGS = (MANIFESTATION, TREATMENT_ENTITY, TERM)
# Intents whose rule runs action_answer_question (data/rules/medical_questions.yml).
ANSWERING = {*QUESTION_TYPES, *FIXED_ANSWERS, FOLLOW_UP}
RANKED_RULES = {AGREE, RANKED, NAMED, ASK_BACK}  # the rules of bot.language.verdict that answer or ask back


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SafetyOverride(ContentCopyComponent):
    def __init__(self, config: Dict[str, Any], *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        self.items = rankable(content(self.content_dir).library)  # the saved copy's (ContentCopyComponent)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = self._safe_intent(message)
            if intent is not None:
                message.set(INTENT, {INTENT_NAME_KEY: intent, "confidence": 1.0}, add_to_output=True)
            verdict = self._verdict(message, (message.get(INTENT) or {}).get(INTENT_NAME_KEY))
            routed = self._routed(verdict)
            if routed is not None:
                message.set(INTENT, {INTENT_NAME_KEY: routed, "confidence": 1.0}, add_to_output=True)
            message.set(VERDICT, verdict, add_to_output=True)
            logger.info("verdict: rule %s, item %s, options %s", verdict["rule"], verdict["item"], verdict["options"])
        return messages

    def _routed(self, verdict: Dict[str, Any]) -> Optional[str]:
        """The intent whose rule runs the action that answers the verdict, where the classifier's does
        not: `out_of_scope` for an honest reply (action_out_of_scope), `ask_definition` for an answer or
        for asking back (action_answer_question)."""
        if verdict["rule"] not in RANKED_RULES:
            return None
        item = self.items.get(verdict["item"] or "")
        if item is not None and item.topic == OUT_OF_SCOPE:
            return None if verdict["intent"] in ANSWERING | {OUT_OF_SCOPE} else OUT_OF_SCOPE
        return None if verdict["intent"] in ANSWERING else DEFINITION

    def _verdict(self, message: Message, intent: Optional[str]) -> Dict[str, Any]:
        """The one decision about the message (bot.names.VERDICT): which rule decided, and the
        item to answer with or the items to offer (bot.language.verdict)."""
        text = message.get(TEXT) or ""
        entities = message.get(ENTITIES) or []
        flag = next((e.get(ENTITY_ATTRIBUTE_VALUE) for e in entities if e.get(ENTITY_ATTRIBUTE_TYPE) == RED_FLAG), None)
        question = _question(message)
        decided: Dict[str, Any] = {"intent": intent, "red_flag": flag, "item": None, "options": []}
        if text.startswith("/"):
            return {**decided, "rule": "button"}
        if flag:
            return {**decided, "rule": "red_flag"}
        if (
            intent == PERSONAL_ADVICE
        ):  # which refusal: the rules' reason, a medicine change where only the classifier saw one
            reason = guardrail_reason(question, {e.get(ENTITY_ATTRIBUTE_TYPE) for e in entities}) or "medicine_change"
            return {**decided, "rule": "guardrail", "guardrail": reason}
        if intent in (FORGET, DENY):
            return {**decided, "rule": "forget"}
        if message.get(LANGUAGE):
            return {**decided, "rule": "language"}
        asked = message.get(ASKED_ITEM)
        if asked == PREGNANCY_ITEM:
            return {**decided, "rule": "pregnancy", "item": asked}
        focus = message.get(FOCUS) or {}
        named = {
            e[ENTITY_ATTRIBUTE_TYPE]: str(e.get(ENTITY_ATTRIBUTE_VALUE))
            for e in reversed(entities)
            if e.get(ENTITY_ATTRIBUTE_TYPE) in NAMED_THINGS
            and focus.get("start", 0) <= e.get("start", 0) < focus.get("end", len(text))
        }
        # A follow-up is short, and leans on what was said before ("and Raynaud's?") or names nothing of its
        # own ("what else can help?"); a story that ends in "what can I do about it?" carries its subject.
        names_any = any(e.get(ENTITY_ATTRIBUTE_TYPE) in NAMED_THINGS for e in entities)
        if reads_as_follow_up(text) and (intent == FOLLOW_UP or (refers_back(question) and not names_any)):
            if intent in NO_ANSWER and asks_for_more(question):
                message.set(INTENT, {INTENT_NAME_KEY: FOLLOW_UP, "confidence": 1.0}, add_to_output=True)
            return {**decided, "rule": "follow_up"}
        ranking = [Ranked(r["content_id"], r["score"]) for r in message.get(ITEM_RANKING) or []]
        specific = {entity: value for entity, value in named.items() if value not in GENERAL_CONCEPTS}
        named_item = asked or item_asked_for(intent, None, specific, self.items)
        named_item = named_item if named_item != NONE else None
        names_condition = any(  # SSc itself, or a condition the article covers
            e.get(ENTITY_ATTRIBUTE_TYPE) == MANIFESTATION or e.get(ENTITY_ATTRIBUTE_VALUE) in GENERAL_CONCEPTS
            for e in entities
        )
        medical = intent in ANSWERING or intent == NOT_UNDERSTOOD or bool(specific)  # "not understood": maybe asked
        choice = choose_item(ranking, named_item, medical, names_condition)
        return {**decided, **choice.as_dict()}

    @classmethod
    def _safe_intent(cls, message: Message) -> Optional[str]:
        entities = message.get(ENTITIES) or []
        predicted = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        question = _question(message)
        if any(e.get(ENTITY_ATTRIBUTE_TYPE) == RED_FLAG for e in entities):
            return URGENT
        if asks_to_forget(message.get(TEXT) or ""):
            return FORGET  # "delete my chat": asked back first ("forget me" never reaches the NLU)
        reason = guardrail_reason(question, {e.get(ENTITY_ATTRIBUTE_TYPE) for e in entities})
        if reason and (reason == "dose" or message.get(ASKED_ITEM) != PREGNANCY_ITEM):
            return PERSONAL_ADVICE  # a pregnancy question gets the pregnancy reply unless it asks for a dose
        language = not_english(message.get(TEXT)) if predicted != URGENT else None
        if language:
            message.set(LANGUAGE, language, add_to_output=True)
            return NOT_UNDERSTOOD
        demoted = None
        if _unsupported(message, predicted):
            ranking = message.get(INTENT_RANKING_KEY) or []
            demoted = next(
                (r[INTENT_NAME_KEY] for r in ranking if r[INTENT_NAME_KEY] not in (URGENT, PERSONAL_ADVICE)),
                NOT_UNDERSTOOD,
            )
        return cls._answerable(message, entities, demoted or predicted, question) or demoted

    @staticmethod
    def _answerable(
        message: Message, entities: List[Dict[str, Any]], intent: Optional[str], question: str
    ) -> Optional[str]:
        """A question the content answers, where the classifier saw none (or a general one)."""
        if message.get(ASKED_ITEM) and intent in SMALL_TALK:
            ranking: List[Dict[str, Any]] = message.get(ITEM_RANKING) or []
            if ranking and ranking[0]["content_id"] == NONE:
                message.set(ASKED_ITEM, None, add_to_output=True)  # "catch you later": small talk after all
                return None
            return DEFINITION  # the actions answer with that item (`asked_item`), whatever the intent
        text = message.get(TEXT) or ""
        names = [e for e in entities if e.get(ENTITY_ATTRIBUTE_TYPE) in NAMED_THINGS]
        named = [e for e in names if e.get(ENTITY_ATTRIBUTE_VALUE) not in GENERAL_CONCEPTS]
        focus = message.get(FOCUS) or {}
        about_manifestation = any(
            e.get(ENTITY_ATTRIBUTE_TYPE) == MANIFESTATION
            and focus.get("start", 0) <= e.get("start", 0) < focus.get("end", len(text))
            for e in named
        )
        wants_treatment = asks_for_treatment(question)
        if (
            about_manifestation
            and intent != FOLLOW_UP
            and not asks_for_definition(question)
            and len(_other_words(text, named)) <= 1
        ):
            return TREATMENT  # "joint pain", "my calcinosis?": what helps it
        if intent in GENERAL_ANSWERS and about_manifestation:
            return TREATMENT if wants_treatment else DEFINITION
        if intent not in NO_MEDICAL_QUESTION:
            return None
        if named:
            return TREATMENT if wants_treatment or named[0].get(ENTITY_ATTRIBUTE_TYPE) == MANIFESTATION else DEFINITION
        if names and len([w for w in _other_words(text, names) if w not in DEFINITION_WORDS]) <= 1:
            return DEFINITION  # "what is CREST syndrome?"
        if intent in NO_ANSWER and wants_treatment and is_question(question) and refers_back(question):
            return TREATMENT  # "what helps it?": the remembered topic
        if intent == OUT_OF_SCOPE and not entities and (message.get(INTENT) or {}).get("confidence", 1) < SURE:
            return NOT_UNDERSTOOD  # "purple monkey dishwasher" is not a question about something else
        return None


def _other_words(text: str, named: List[Dict[str, Any]]) -> List[str]:
    """The words of `text` outside the entities `named`, lower case."""
    rest = text
    for entity in sorted(named, key=lambda e: -e.get("start", 0)):
        rest = rest[: entity.get("start", 0)] + " " + rest[entity.get("end", 0) :]
    return re.findall(r"[a-z']+", rest.lower())


def _unsupported(message: Message, predicted: Optional[str]) -> bool:
    """The classifier's urgent or advice verdict where the deterministic layers found nothing,
    on a message longer than the one short sentence it was trained on (real posts tell
    stories in alarming words); urgent words that were set aside; advice for a common
    question that the content answers."""
    if predicted not in (URGENT, PERSONAL_ADVICE):
        return False
    if predicted == PERSONAL_ADVICE and message.get(ASKED_ITEM):
        return True  # a common question the content answers ("can I have children with SSc?")
    return not is_short(message.get(TEXT) or "") or (predicted == URGENT and bool(message.get(RED_FLAG_SET_ASIDE)))


def _question(message: Message) -> str:
    """The question sentence of the message (all of it when it has no question)."""
    return question_in(message.get(TEXT) or "", message.get(FOCUS))
