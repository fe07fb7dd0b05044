"""What patients ask, for the staff console: questions per topic per week, the answers most
rated not helpful, and the unanswered questions grouped by their most specific term
(bot.records.unanswered, as `make gaps-report`). Only the
stored (redacted) text; a forgotten conversation is gone from the tracker store's replies already.

Each unanswered question carries a ref, an HMAC of its conversation id under the staff key:
a try of the question names it, so that the patient's "forget me" deletes the try too,
without the console ever showing a patient's conversation id."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections import Counter
from typing import Any, Dict, List, Optional

import sqlalchemy as sa

from bot.content.repository import library
from bot.records.ratings import FeedbackStore
from bot.records.replies import every_turn
from bot.records.unanswered import Unanswered, group_by_terms, unanswered_questions

MOST = 10
# conversations tried in the console, scripted runs, `make eval` and `make bench`
NOT_PATIENTS = ("staff-", "dialogue-", "eval-", "bench-")


def week_of(timestamp: float) -> str:
    day = dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).date()
    return (day - dt.timedelta(days=day.weekday())).isoformat()  # the Monday


def questions_per_topic_per_week(engine: sa.engine.Engine) -> List[Dict[str, Any]]:
    """One row per (week, topic): the answers the assistant gave, by the topic of the answer."""
    counts: Counter = Counter()
    for turn in every_turn(engine):
        if turn.sender_id.startswith(NOT_PATIENTS):
            continue
        for contract in turn.contracts:
            if contract.get("topic") and contract.get("content_id") != "welcome":
                counts[(week_of(turn.timestamp), contract["topic"])] += 1
    return [{"week": week, "topic": topic, "questions": n} for (week, topic), n in sorted(counts.items())]


def least_helpful(feedback: FeedbackStore) -> List[Dict[str, Any]]:
    rated = [r for r in feedback.per_item() if r.not_helpful]
    rated.sort(key=lambda r: (-r.not_helpful, r.content_id))
    items = library().items
    return [
        {
            "content_id": r.content_id,
            "title": getattr(items.get(r.content_id), "title", r.content_id),
            "topic": getattr(items.get(r.content_id), "topic", ""),
            "not_helpful": r.not_helpful,
            "helpful": r.helpful,
        }
        for r in rated[:MOST]
    ]


def ref_of(key: bytes, sender: str) -> str:
    return hmac.new(key, sender.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def _patients_questions(engine: sa.engine.Engine) -> List[Unanswered]:
    return [q for q in unanswered_questions(engine) if not q.sender_id.startswith(NOT_PATIENTS)]


def sender_of(engine: sa.engine.Engine, key: bytes, ref: str) -> Optional[str]:
    """The conversation of the unanswered question with this ref; None once it is gone."""
    return next(
        (q.sender_id for q in _patients_questions(engine) if hmac.compare_digest(ref_of(key, q.sender_id), ref)), None
    )


def _concept_names() -> Dict[str, str]:
    """Each content concept's name as its item first lists it ("ACE inhibitors")."""
    return {item.concept: item.terms[0] for item in library().defining_items() if item.concept and item.terms}


def unanswered_groups(engine: sa.engine.Engine, key: bytes, containing: str = "") -> List[Dict[str, Any]]:
    """The largest groups, each question with its ref; with `containing`, only the questions
    with those words in them (each in the group it has among all questions)."""
    words = containing.lower().split()
    found = [
        (group, [q for q in group.questions if all(word in q.text.lower() for word in words)])
        for group in group_by_terms(_patients_questions(engine))
    ]
    found = sorted((pair for pair in found if pair[1]), key=lambda pair: -len(pair[1]))  # stable: as grouped
    names = _concept_names()
    return [
        {
            "term": names.get(group.term, group.term) if group.named else group.term,
            "named": group.named,
            "count": len(questions),
            "questions": [{"text": q.text, "ref": ref_of(key, q.sender_id)} for q in questions[:MOST]],
        }
        for group, questions in found[:MOST]
    ]
