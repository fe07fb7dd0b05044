"""Unanswered questions are read from the tracker store, go with their conversation, and
are grouped by the terms they name."""
import json

import sqlalchemy as sa

from bot.records.conversations import forget
from bot.records.unanswered import group_by_terms, report_lines, unanswered_questions


def tracker_db(tmp_path, conversations):
    """A tracker store `events` table with (sender, [(user text, reply contract), ...])."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, "
                                   "timestamp REAL, intent_name TEXT, action_name TEXT, data TEXT)"))
        clock = 1.0
        for sender, turns in conversations:
            for text, contract in turns:
                clock += 1
                for kind, data in (("user", {"event": "user", "text": text, "timestamp": clock}),
                                   ("bot", {"event": "bot", "text": "reply", "data": {"custom": contract}})):
                    connection.execute(sa.text("INSERT INTO events (sender_id, type_name, timestamp, data) "
                                               "VALUES (:s, :t, :ts, :d)"),
                                       {"s": sender, "t": kind, "ts": clock, "d": json.dumps(data)})
    return engine


NOT_COVERED = {"kind": "out_of_scope", "content_id": "out_of_scope.not_covered"}
DIET = {"kind": "out_of_scope", "content_id": "out_of_scope.diet"}
NOT_UNDERSTOOD = {"kind": "fallback", "content_id": "out_of_scope.not_understood"}
ANSWER = {"kind": "answer", "content_id": "skin.calcinosis_treatments"}


def test_only_unanswered_questions_are_listed_and_forget_me_removes_them(tmp_path):
    engine = tracker_db(tmp_path, [
        ("a", [("what helps calcinosis", ANSWER), ("does reflux medicine hurt my teeth", NOT_COVERED)]),
        ("b", [("asdfgh", NOT_UNDERSTOOD), ("/ask_definition{\"content_id\": \"x\"}", NOT_COVERED),
               ("best diet for reflux", DIET)]),
    ])
    found = unanswered_questions(engine)
    assert [(q.sender_id, q.text, q.content_id) for q in found] == [
        ("a", "does reflux medicine hurt my teeth", "out_of_scope.not_covered"),
        ("b", "asdfgh", "out_of_scope.not_understood"),
        ("b", "best diet for reflux", "out_of_scope.diet"),
    ]
    forget(engine, "a")
    assert [q.sender_id for q in unanswered_questions(engine)] == ["b", "b"]


def test_groups_by_named_concepts_then_recurring_words():
    from bot.records.unanswered import Unanswered

    questions = [Unanswered("a", t, "out_of_scope.not_covered", 0) for t in (
        "does reflux medicine hurt my teeth", "is reflux part of scleroderma", "calcinosis and reflux together",
        "why is my calcinosis worse in winter")]
    groups = group_by_terms(questions, lambda text: ["calcinosis"] if "calcinosis" in text else [])
    assert [(g.key, len(g.questions)) for g in groups[:2]] == [("reflux", 3), ("calcinosis (named)", 2)]
    lines = report_lines(questions, groups, most=2)
    assert lines[0] == "4 unanswered questions; the 2 most frequent terms:"
    assert lines[1] == "reflux: 3" and "    - does reflux medicine hurt my teeth  [out_of_scope.not_covered]" in lines
    assert report_lines([], [], 5) == ["No unanswered questions."]
