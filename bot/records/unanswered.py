"""Questions the assistant could not answer, for the content team (`make gaps-report`).

They are read from the tracker store itself: every patient message whose reply was
"the article does not cover this" (kind `out_of_scope`) or "I did not understand"
(`out_of_scope.not_understood`, `out_of_scope.english_only`). So they are as redacted as
the conversation (bot.safety.redaction runs before anything is stored), and they go with it:
"forget me" and the purge delete them, and nothing else keeps a copy.

The report groups them by the terms they name: the content's own concepts first (a
named thing the article covers that still went unanswered is worth a look), then the
other words that recur, most frequent first.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Dict, Iterable, List, Optional, Tuple

import sqlalchemy as sa

from bot.records.conversations import EVENTS, transaction

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
MAX_EXAMPLES = 5


@dataclass(frozen=True)
class Unanswered:
    sender_id: str
    text: str
    content_id: str
    timestamp: float


@dataclass(frozen=True)
class Group:
    key: str  # "calcinosis (named)" or a recurring word
    questions: Tuple[Unanswered, ...]


def _unanswered(contract: Optional[Dict]) -> bool:
    if not isinstance(contract, dict):
        return False
    return contract.get("kind") == "out_of_scope" or contract.get("content_id") in NOT_UNDERSTOOD_IDS


def unanswered_questions(engine: sa.engine.Engine) -> List[Unanswered]:
    """Every patient message whose reply said it could not be answered, oldest first."""
    query = (
        sa.select(EVENTS.c.sender_id, EVENTS.c.type_name, EVENTS.c.data)
        .where(EVENTS.c.type_name.in_(("user", "bot")))
        .order_by(EVENTS.c.sender_id, EVENTS.c.id)
    )
    found: List[Unanswered] = []
    asked: Optional[Unanswered] = None
    with transaction(engine) as connection:
        for sender_id, type_name, data in connection.execute(query):
            event = json.loads(data)
            if type_name == "user":
                text = event.get("text") or ""
                asked = None if text.startswith("/") else Unanswered(sender_id, text, "", event.get("timestamp", 0))
            elif asked is not None and asked.sender_id == sender_id:
                contract = (event.get("data") or {}).get("custom")
                if contract is not None and _unanswered(contract):
                    found.append(Unanswered(asked.sender_id, asked.text, contract["content_id"], asked.timestamp))
                    asked = None
    return sorted(found, key=lambda q: q.timestamp)


def group_by_terms(questions: Iterable[Unanswered], concepts_of: Callable[[str], List[str]]) -> List[Group]:
    """Groups of questions by the content concepts they name (`concepts_of`), then by the
    other words they share; the largest first. A question stands in each of its groups."""
    groups: Dict[str, List[Unanswered]] = defaultdict(list)
    for question in questions:
        keys = [f"{concept} (named)" for concept in dict.fromkeys(concepts_of(question.text))]
        keys += [w for w in dict.fromkeys(WORD.findall(question.text.lower())) if w not in STOPWORDS]
        for key in keys or ["(no words)"]:
            groups[key].append(question)
    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), not kv[0].endswith("(named)"), kv[0]))
    return [Group(key, tuple(qs)) for key, qs in ordered]


def report_lines(questions: List[Unanswered], groups: List[Group], most: int) -> List[str]:
    if not questions:
        return ["No unanswered questions."]
    lines = [f"{len(questions)} unanswered questions; the {min(most, len(groups))} most frequent terms:"]
    for group in groups[:most]:
        lines.append(f"{group.key}: {len(group.questions)}")
        for question in group.questions[:MAX_EXAMPLES]:
            text = " ".join(question.text.split())
            lines.append(f"    - {text[:140]}{'...' if len(text) > 140 else ''}  [{question.content_id}]")
    return lines
