"""Questions the assistant could not answer, for the content team (`make gaps-report`).

They are read from the replies the tracker store keeps (bot.records.replies): every patient
message whose reply was "the article does not cover this" (kind `out_of_scope`) or "I did
not understand"
(`out_of_scope.not_understood`, `out_of_scope.english_only`). So they are as redacted as
the conversation (bot.safety.redaction runs before anything is stored), and they go with it:
"forget me" and the purge delete them, and nothing else keeps a copy.

Each question stands in one group, named by its most specific term: of the content's
concepts that the NLU step found in it (the entities stored with the message), the one
fewest questions name, the longer name first (calcinosis rather than a medicine many ask
about); else, of its words that are not filler ("next", "safe", "please" ...), the one most
questions share, so that questions about one thing the content lacks meet (the longer word
first); else the general concepts (systemic sclerosis, refractory) that every question here
is about.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Tuple

import sqlalchemy as sa

from bot.records.replies import every_turn

NOT_UNDERSTOOD_IDS = {"out_of_scope.not_understood", "out_of_scope.english_only"}
WORD = re.compile(r"[a-z][a-z'-]{3,}")
STOPWORDS = frozenset(
    "about after again also always anyone anything been before being could does doing done down during each else even "
    "ever every from have having help here into just know like long made make many more most much must need never "
    "only other over really same should since some still such sure take tell than that their them then there these "
    "they thing things think this those through time told very want were what when where which while will with "
    "would your yours doctor doctors thank thanks please hello anybody someone something scleroderma ssc systemic "
    "sclerosis question questions wondering because getting year years month months week weeks".split()
)
# words too general to name a group (the content's concepts are found apart from words)
FILLER = STOPWORDS | frozenset(
    "next safe safely okay fine good best better worse normal possible right wrong going able maybe usually often "
    "people illness disease diseases condition conditions problem problems issue issues kind type sort whether "
    "anyone lots yeah don't can't isn't it's i've what's that's there's won't doesn't medicine medicines "
    "medication medications treatment treatments drug drugs helps helped helping stuff catch later soon cheers "
    "bye goodbye thankyou lovely great".split()
)
CONCEPT_ENTITIES = ("manifestation", "treatment", "term")  # the content's concepts (bot.content.files)
GENERAL_CONCEPTS = frozenset({"systemic_sclerosis", "refractory"})  # what every question here is about
NO_TERM = "(no words)"
MAX_EXAMPLES = 5


@dataclass(frozen=True)
class Unanswered:
    sender_id: str
    text: str
    content_id: str
    timestamp: float
    concepts: Tuple[str, ...] = ()  # the content's concepts the NLU step found in it


@dataclass(frozen=True)
class Group:
    term: str  # a content concept (`named`) or a word
    questions: Tuple[Unanswered, ...]
    named: bool = False

    @property
    def label(self) -> str:
        return f"{self.term.replace('_', ' ')} (named)" if self.named else self.term


def _unanswered(contract: Optional[Dict]) -> bool:
    if not isinstance(contract, dict):
        return False
    return contract.get("kind") == "out_of_scope" or contract.get("content_id") in NOT_UNDERSTOOD_IDS


def _concepts(entities: Iterable[Dict]) -> Tuple[str, ...]:
    """The concepts among the entities the NLU step found in a user message."""
    found = (e.get("value") for e in entities if isinstance(e, dict) and e.get("entity") in CONCEPT_ENTITIES)
    return tuple(dict.fromkeys(value for value in found if isinstance(value, str)))


def unanswered_questions(engine: sa.engine.Engine) -> List[Unanswered]:
    """Every patient message whose reply said it could not be answered, oldest first."""
    found: List[Unanswered] = []
    for turn in every_turn(engine):
        if turn.text is None or turn.text.startswith("/"):
            continue
        contract = next((c for c in turn.contracts if _unanswered(c)), None)
        if contract is not None:
            concepts = _concepts(turn.entities)
            found.append(Unanswered(turn.sender_id, turn.text, contract["content_id"], turn.timestamp, concepts))
    return sorted(found, key=lambda q: q.timestamp)


def _words(text: str) -> List[str]:
    return [word for word in dict.fromkeys(WORD.findall(text.lower())) if word not in FILLER]


def group_by_terms(questions: Iterable[Unanswered]) -> List[Group]:
    """Each question in the group of its most specific term (see above); the largest groups first."""
    asked = [(q, q.concepts, _words(q.text)) for q in questions]
    counts = Counter(term for _, concepts, words in asked for term in {*concepts, *words})
    groups: Dict[Tuple[str, bool], List[Unanswered]] = defaultdict(list)
    for question, concepts, words in asked:
        groups[_most_specific(concepts, words, counts)].append(question)
    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), not kv[0][1], kv[0][0] == NO_TERM, kv[0][0]))
    return [Group(term, tuple(qs), named) for (term, named), qs in ordered]


def _most_specific(concepts: Iterable[str], words: List[str], counts: Counter) -> Tuple[str, bool]:
    """(term, named): of the specific concepts, the one fewest questions name; else of the
    words, the one most questions share; else of the general concepts; the longer first."""
    specific = [c for c in concepts if c not in GENERAL_CONCEPTS]
    general = [c for c in concepts if c in GENERAL_CONCEPTS]
    if specific:
        return min(specific, key=lambda term: (counts[term], -len(term), term)), True
    if words:
        return min(words, key=lambda word: (-counts[word], -len(word), word)), False
    if general:
        return min(general, key=lambda term: (-len(term), term)), True
    return NO_TERM, False


def report_lines(questions: List[Unanswered], groups: List[Group], most: int) -> List[str]:
    if not questions:
        return ["No unanswered questions."]
    shown = min(most, len(groups))
    lines = [f"{len(questions)} unanswered questions; the {shown} largest groups, by their most specific term:"]
    for group in groups[:most]:
        lines.append(f"{group.label}: {len(group.questions)}")
        for question in group.questions[:MAX_EXAMPLES]:
            text = " ".join(question.text.split())
            lines.append(f"    - {text[:140]}{'...' if len(text) > 140 else ''}  [{question.content_id}]")
    return lines
