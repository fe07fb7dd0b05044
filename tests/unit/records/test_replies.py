"""The replies given, read without Rasa: one row per turn; a clear error before the Rasa
server has made the table."""

import json

import pytest
import sqlalchemy as sa

from bot.records.conversations import TrackerStoreError
from bot.records.replies import NO_TABLE, as_sent, turn_rows, turns_of

WELCOME = {"event": "bot", "text": "Hello", "data": {"custom": {"content_id": "welcome"}}, "timestamp": 1.0}
BUTTONS = [{"title": "A", "payload": "/a"}]
LISTEN = {"event": "action", "name": "action_listen"}


def test_a_turn_is_a_message_with_what_was_sent_until_the_assistant_listened_again():
    rows = turn_rows(
        "s",
        [
            WELCOME,
            LISTEN,
            {"event": "user", "text": "hi", "message_id": "m1", "timestamp": 2.0, "parse_data": {"entities": []}},
            {"event": "action", "name": "action_greet"},
            {"event": "bot", "text": "Hi!", "data": {"buttons": BUTTONS, "image": None}},
            LISTEN,
            {"event": "bot", "text": "A reminder", "timestamp": 9.0},  # sent with no message (Rasa's API)
        ],
    )
    assert [(r["text"], r["message_id"], r["timestamp"], json.loads(r["messages"])) for r in rows] == [
        ("hi", "m1", 2.0, [{"text": "Hello", **WELCOME["data"]}, {"text": "Hi!", "buttons": BUTTONS}]),
        (None, None, 9.0, [{"text": "A reminder"}]),
    ]


def test_a_database_without_the_table_says_who_makes_it(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    with pytest.raises(TrackerStoreError, match=NO_TABLE):
        turns_of(engine, "s")


def test_urgent_advice_is_sent_and_kept_without_a_new_conversations_welcome():
    welcome = [{"text": "Hello"}, {"custom": {"kind": "smalltalk", "content_id": "welcome"}}]
    urgent = [{"text": "Call now"}, {"custom": {"kind": "emergency", "content_id": "emergency.urgent"}}]
    answer = [{"text": "Calcinosis ..."}, {"custom": {"kind": "answer", "content_id": "skin.calcinosis"}}]
    assert as_sent(welcome + urgent) == urgent
    assert as_sent(welcome + answer) == welcome + answer
    assert as_sent(urgent) == urgent
    events = [
        {"event": "bot", "text": "Hello", "data": {}},
        {"event": "bot", "text": None, "data": {"custom": welcome[1]["custom"]}},
        {"event": "user", "text": "crushing chest pain now", "message_id": "m1"},
        {"event": "bot", "text": "Call now", "data": {}},
        {"event": "bot", "text": None, "data": {"custom": urgent[1]["custom"]}},
        {"event": "action", "name": "action_listen"},
    ]
    assert [json.loads(row["messages"]) for row in turn_rows("s", events)] == [urgent]
