"""Which content item answers a message, or which to offer when unsure: decided once, in
the NLU step, from the item ranker's scores (bot.language.item_ranking) and the item the
message's intent and named concept ask for (bot.content.questions).

The rules, in order; the first that applies decides, and its name goes with the verdict:
- `other_condition`: the message names another disease by its shape
  (bot.language.other_conditions) and neither SSc nor a condition of the article (an
  organ aside: "can sarcoidosis affect the lungs?");
- `ranked`: another disease is the ranker's best item, and it is sure of it
  (OTHER_CONDITION_SURE: a wrong "not about SSc" keeps the article from a patient; less
  for a message the classifier took for another subject), where the message names neither
  SSc nor a condition of the article (a medicine it names is not what it is about);
- `agree`: the ranker's best item is the one the named concept asks for;
- `ranked`: the ranker is sure of its best item, whatever the question names;
- `named`: the named concept's item is among the ranker's best three;
- `ask_back`: the message asks a medical question (an answering intent, or a concept
  named) and the ranker finds items worth offering, but none is sure: "Do you mean ...?"
  with up to three of them;
- `no_item`: nothing fits: the intent's own reply (small talk, "not covered" ...).
Urgent advice, refusals, pregnancy and short follow-ups are decided before this, by the
deterministic layers; the item of an `asked_as` phrase ("is it contagious?") is weighed here
as the named item.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Mapping, Optional, Sequence, Tuple

from bot.language.item_ranking import NONE, Ranked
from bot.names import OTHER_CONDITION_ITEM

SURE = 0.2  # the ranker's best item at or above this is answered, also over a named concept's or `asked_as` item
WORTH_OFFERING = 0.05  # an item scored below this is not offered
OTHER_CONDITION_SURE = 0.5  # another disease is answered as such at or above this
OTHER_OVER_NONE = 0.5  # ... and where it scores at least half of "no item"
NONE_DECIDES = 2.0  # "no item" scored this many times the best item or more: nothing is offered
MAX_OPTIONS = 3

AGREE, RANKED, NAMED, ASK_BACK, NO_ITEM = "agree", "ranked", "named", "ask_back", "no_item"
OTHER_CONDITION = "other_condition"


@dataclass(frozen=True)
class ItemChoice:
    rule: str
    item: Optional[str] = None  # answer with this item
    options: Tuple[str, ...] = ()  # or ask back with these, best first

    def as_dict(self) -> Dict[str, Any]:
        return {"rule": self.rule, "item": self.item, "options": list(self.options)}


def choose_item(
    ranking: Sequence[Ranked],
    named_item: Optional[str],
    medical: bool,
    names_condition: bool = False,
    names_other: bool = False,
) -> ItemChoice:
    """`named_item`: the item the intent and the concept the question names ask for;
    `medical`: the message asks a medical question (by its intent, or by naming a concept);
    `names_condition`: the message names SSc or a condition the article covers;
    `names_other`: it names another disease, and of the article's at most an organ."""
    if names_other:
        return ItemChoice(OTHER_CONDITION, OTHER_CONDITION_ITEM)  # "does rituximab help lupus?"
    none = next((r.score for r in ranking if r.content_id == NONE), 0.0)
    other = next((r for r in ranking if r.content_id != NONE), None)
    other = other if other is not None and other.content_id == OTHER_CONDITION_ITEM else None
    # Sure, or the best guess for what the classifier took for another subject than SSc ("what is lichen planus?").
    other_bar = OTHER_CONDITION_SURE if medical else SURE
    if other is not None and other.score >= other_bar and other.score >= none * OTHER_OVER_NONE and not names_condition:
        return ItemChoice(RANKED, OTHER_CONDITION_ITEM)  # "does methotrexate help psoriasis?"
    # Below that, or where SSc or one of the article's conditions is named, it is not another disease.
    items = [r for r in ranking if r.content_id not in (NONE, OTHER_CONDITION_ITEM)]
    best = items[0] if items else None
    if best is not None and best.content_id == named_item:
        return ItemChoice(AGREE, named_item)
    if best is not None and best.score >= SURE:
        return ItemChoice(RANKED, best.content_id)
    top_three = [r.content_id for r in items[:MAX_OPTIONS]]
    if named_item is not None and named_item in top_three:
        return ItemChoice(NAMED, named_item)
    offered = [r.content_id for r in items if r.score >= WORTH_OFFERING][: MAX_OPTIONS - bool(named_item)]
    offered += [named_item] if named_item else []
    if offered == [named_item]:
        return ItemChoice(NAMED, named_item)  # nothing else worth offering
    if medical and offered and best is not None and none < NONE_DECIDES * best.score:
        return ItemChoice(ASK_BACK, options=tuple(offered[:MAX_OPTIONS]))
    if names_condition and best is not None and best.score >= SURE / 2 and best.score >= NONE_DECIDES * none:
        return ItemChoice(RANKED, best.content_id)  # "my father has SSc, should I be worried?": not another subject
    return ItemChoice(NO_ITEM)


@dataclass(frozen=True)
class Verdict:
    """The one decision about a message, made in the NLU step (bot.rasa_plugins.safety_override)
    and kept in its parse data (bot.names.VERDICT): the channel and the actions read it and
    decide nothing again."""

    rule: str  # the rule that decided the reply: red_flag, guardrail, ..., or one of this module's
    intent_rule: str = "classifier"  # the rule that decided the intent (bot.language.intent_rules)
    intent: Optional[str] = None
    red_flag: Optional[str] = None  # the red flag found, for urgent advice
    guardrail: Optional[str] = None  # which refusal: dose, diagnosis, medicine_change
    language: Optional[str] = None  # `other` / `no_words`: not English
    focus: Dict[str, int] = field(default_factory=dict)  # where the question is (bot.language.question_focus)
    item: Optional[str] = None  # answer with this item
    options: Tuple[str, ...] = ()  # or ask back with these, best first
    candidates: Tuple[Dict[str, Any], ...] = ()  # the item ranker's best items, {content_id, score}

    def as_dict(self) -> Dict[str, Any]:
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}  # shallow: no deep copy a message
        return {**data, "options": list(self.options), "candidates": list(self.candidates)}

    @classmethod
    def read(cls, data: Optional[Mapping[str, Any]]) -> Optional[Verdict]:
        """The verdict of a message's parse data; None where there is none (a tracker from
        before, or a test story)."""
        if not data or "rule" not in data:
            return None
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        lists = {name: tuple(known.get(name) or ()) for name in ("options", "candidates")}
        return cls(**{**known, **lists})
