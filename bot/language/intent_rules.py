"""The deterministic rules that have the last word on a message's intent, as an ordered
table of named rules: the first that decides wins, and its name goes with the verdict
(bot.rasa_plugins.safety_override reads the message into a `Reading` and applies them).

Urgent symptoms and medicine questions never rest on the classifier alone, and a
question about something the article covers is never answered "not covered". In order:
- `red_flag`: the deterministic layer found a red flag -> urgent advice;
- `forget`: the whole message asks to delete the conversation ("delete my chat");
- `guardrail`: a dose, medicine-change or diagnosis question in the message's question
  (a pregnancy question that asks no dose gets the pregnancy reply instead);
- `language`: another language, or no words at all, where the classifier saw nothing urgent;
- `demoted`: a verdict the classifier alone may not make: urgent advice (only a red flag
  makes an emergency), a refusal (only the guardrail's reasons refuse: "can actemra help
  scleroderma?" is a question, not a request for advice), or a "no" or a deletion that
  asks a question ("do i need another x-ray?", "a holter test, what is that?") -> its next
  intent, and the rules below go on with it;
- `more_of_it`: the whole message asks for more ("anything more?", "tell me more", "is that
  all?") -> a follow-up on the subject, whatever small talk the classifier took it for;
- `small_talk`: small talk that holds an `asked_as` phrase, where the item ranker finds no
  item ("catch you later") -> small talk after all;
- `asked_as`: small talk that asks a common question ("is it contagious?") -> answered;
- `condition_alone`: the name of a condition and little else ("joint pain") -> what helps it;
- `general_with_condition`: a general question (what SSc is, the standard medicines ...)
  whose question names a condition -> the condition's answer;
- `named_thing`: no medical question found, but a condition, medicine or test is named;
- `name_alone`: a name and a question word ("what is CREST syndrome?");
- `what_helps_it`: nothing named, but a question for what helps that points back;
- `unsure_out_of_scope`: an unsure "out of scope" for a message that names nothing ->
  "not understood".
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from typing import Any, Callable, Dict, List, Optional, Tuple

from bot.content.questions import FIXED_ANSWERS, QUESTION_TYPES
from bot.language.detect import not_english
from bot.language.item_ranking import NONE
from bot.language.question_focus import (
    asks_for_definition,
    asks_for_treatment,
    is_question,
    only_asks_for_more,
    refers_back,
)
from bot.names import (
    CURE,
    DEFINITION,
    DENY,
    FOLLOW_UP,
    FORGET,
    GENERAL_CONCEPTS,
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
    WHAT_IS_SSC,
)
from bot.safety.forget_request import asks_to_forget
from bot.safety.guardrails import guardrail_reason

DEFINITION_WORDS = {"what", "is", "are", "whats", "what's", "a", "an", "the", "explain", "define", "mean", "means"}
WH_QUESTION = re.compile(r"\b(what|how|why|who|when)\s+(is|are|was|does|do)\b", re.I)  # anywhere in a message
SURE = 0.5  # an out-of-scope verdict below this, on a message that names nothing, is "not understood"
# Intents that answer no medical question: a named condition or medicine outweighs them.
NO_ANSWER = {OUT_OF_SCOPE, NOT_UNDERSTOOD, "ask_capabilities"}
NO_MEDICAL_QUESTION = NO_ANSWER | SMALL_TALK
# Intents with one general answer: a condition named in the question is the more specific one.
GENERAL_ANSWERS = {WHAT_IS_SSC, STANDARD_MEDICINES, CURE}
NAMED_THINGS = (MANIFESTATION, TREATMENT_ENTITY, TERM)
# Intents whose rule runs action_answer_question (data/rules/medical_questions.yml).
ANSWERING = {*QUESTION_TYPES, *FIXED_ANSWERS, FOLLOW_UP}


@dataclass(frozen=True)
class Reading:
    """What the NLU components found in one message, as the rules read it."""

    text: str
    question: str  # the question sentence (all of the text when it has none)
    intent: Optional[str]  # the classifier's, or the one a rule demoted it to
    confidence: float
    intents: Tuple[str, ...]  # the classifier's intents, best first
    entities: Tuple[Dict[str, Any], ...]
    focus: Dict[str, int]
    asked: Optional[str]  # the item whose `asked_as` phrase the question uses
    best_item: Optional[str]  # the item ranker's first

    @functools.cached_property
    def entity_types(self) -> set:
        return {e.get("entity") for e in self.entities}

    @functools.cached_property
    def names(self) -> List[Dict[str, Any]]:
        return [e for e in self.entities if e.get("entity") in NAMED_THINGS]

    @functools.cached_property
    def specific_names(self) -> List[Dict[str, Any]]:
        return [e for e in self.names if e.get("value") not in GENERAL_CONCEPTS]

    def in_focus(self, entity: Dict[str, Any]) -> bool:
        return self.focus.get("start", 0) <= entity.get("start", 0) < self.focus.get("end", len(self.text))


@dataclass(frozen=True)
class IntentDecision:
    rule: str  # the name of the rule that decided; "classifier" where none did
    intent: Optional[str]  # the intent to use; None: the classifier's stands
    guardrail: Optional[str] = None  # which refusal, for `guardrail`
    language: Optional[str] = None  # `other` / `no_words`, for `language`


Rule = Callable[[Reading], Optional[IntentDecision]]


def decide_intent(reading: Reading) -> IntentDecision:
    """The first rule of RULES that decides; `demoted` lets the rules after it go on."""
    demoted: Optional[IntentDecision] = None
    for name, rule in RULES:
        decision = rule(reading)
        if decision is None:
            continue
        if name != DEMOTED:
            return decision
        demoted = decision
        reading = replace(reading, intent=decision.intent)
    return demoted or IntentDecision("classifier", None)


def _red_flag(r: Reading) -> Optional[IntentDecision]:
    return IntentDecision("red_flag", URGENT) if RED_FLAG in r.entity_types else None


def _forget(r: Reading) -> Optional[IntentDecision]:
    return IntentDecision("forget", FORGET) if asks_to_forget(r.text) else None  # "forget me" never gets here


def _guardrail(r: Reading) -> Optional[IntentDecision]:
    reason = guardrail_reason(r.question, r.entity_types)
    if reason and (reason == "dose" or r.asked != PREGNANCY_ITEM):
        return IntentDecision("guardrail", PERSONAL_ADVICE, guardrail=reason)
    return None


def _language(r: Reading) -> Optional[IntentDecision]:
    language = not_english(r.text) if r.intent != URGENT else None
    return IntentDecision("language", NOT_UNDERSTOOD, language=language) if language else None


def _demoted(r: Reading) -> Optional[IntentDecision]:
    if r.intent == DENY:
        unsupported = is_question(r.text)
    elif r.intent == FORGET:
        asks = is_question(r.text) or WH_QUESTION.search(r.text) is not None
        unsupported = bool(r.names) and asks  # "a holter test, what is that about"
    elif r.intent == URGENT:
        unsupported = True  # urgent advice needs a red flag of the deterministic layer (`red_flag`, above)
    elif r.intent == PERSONAL_ADVICE:
        unsupported = True  # a refusal needs the deterministic guardrail's reason (`guardrail`, above)
    else:
        unsupported = False
    if not unsupported:
        return None
    after = next((i for i in r.intents if i not in (URGENT, PERSONAL_ADVICE, DENY, FORGET)), NOT_UNDERSTOOD)
    return IntentDecision(DEMOTED, after)


def _more_of_it(r: Reading) -> Optional[IntentDecision]:
    return IntentDecision("more_of_it", FOLLOW_UP) if only_asks_for_more(r.text) else None


def _small_talk(r: Reading) -> Optional[IntentDecision]:
    if r.asked and r.intent in SMALL_TALK and r.best_item == NONE:
        return IntentDecision(SMALL_TALK_AFTER_ALL, r.intent)  # "catch you later": its `asked_as` item is dropped
    return None


def _asked_as(r: Reading) -> Optional[IntentDecision]:
    if r.asked and r.intent in SMALL_TALK:
        return IntentDecision("asked_as", DEFINITION)  # the actions answer with that item
    return None


def _about_condition(r: Reading) -> bool:
    return any(e.get("entity") == MANIFESTATION and r.in_focus(e) for e in r.specific_names)


def _condition_alone(r: Reading) -> Optional[IntentDecision]:
    if (
        _about_condition(r)
        and r.intent != FOLLOW_UP
        and not asks_for_definition(r.question)
        and len(_other_words(r.text, r.specific_names)) <= 1
    ):
        return IntentDecision("condition_alone", TREATMENT)  # "joint pain", "my calcinosis?"
    return None


def _general_with_condition(r: Reading) -> Optional[IntentDecision]:
    if r.intent in GENERAL_ANSWERS and _about_condition(r):
        return IntentDecision("general_with_condition", TREATMENT if asks_for_treatment(r.question) else DEFINITION)
    return None


def _named_thing(r: Reading) -> Optional[IntentDecision]:
    named = r.specific_names
    if r.intent in NO_MEDICAL_QUESTION and named:
        treatment = asks_for_treatment(r.question) or named[0].get("entity") == MANIFESTATION
        return IntentDecision("named_thing", TREATMENT if treatment else DEFINITION)
    return None


def _name_alone(r: Reading) -> Optional[IntentDecision]:
    others = [w for w in _other_words(r.text, r.names) if w not in DEFINITION_WORDS]
    if r.intent in NO_MEDICAL_QUESTION and r.names and len(others) <= 1:
        return IntentDecision("name_alone", DEFINITION)  # "what is CREST syndrome?"
    return None


def _what_helps_it(r: Reading) -> Optional[IntentDecision]:
    q = r.question
    if r.intent in NO_ANSWER and asks_for_treatment(q) and is_question(q) and refers_back(q):
        return IntentDecision("what_helps_it", TREATMENT)  # the remembered topic
    return None


def _unsure_out_of_scope(r: Reading) -> Optional[IntentDecision]:
    if r.intent == OUT_OF_SCOPE and not r.entities and r.confidence < SURE:
        return IntentDecision("unsure_out_of_scope", NOT_UNDERSTOOD)  # "purple monkey dishwasher"
    return None


def _other_words(text: str, named: List[Dict[str, Any]]) -> List[str]:
    """The words of `text` outside the entities `named`, lower case."""
    rest = text
    for entity in sorted(named, key=lambda e: -e.get("start", 0)):
        rest = rest[: entity.get("start", 0)] + " " + rest[entity.get("end", 0) :]
    return re.findall(r"[a-z']+", rest.lower())


DEMOTED = "demoted"
SMALL_TALK_AFTER_ALL = "small_talk"
RULES: Tuple[Tuple[str, Rule], ...] = (
    ("red_flag", _red_flag),
    ("forget", _forget),
    ("guardrail", _guardrail),
    ("language", _language),
    (DEMOTED, _demoted),
    ("more_of_it", _more_of_it),
    (SMALL_TALK_AFTER_ALL, _small_talk),
    ("asked_as", _asked_as),
    ("condition_alone", _condition_alone),
    ("general_with_condition", _general_with_condition),
    ("named_thing", _named_thing),
    ("name_alone", _name_alone),
    ("what_helps_it", _what_helps_it),
    ("unsure_out_of_scope", _unsure_out_of_scope),
)
