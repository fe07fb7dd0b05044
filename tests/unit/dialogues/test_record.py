"""A conversation recorded as a script keeps every check the answers allow, the items a
"Do you mean ...?" reply offered included."""

import json

import sqlalchemy as sa

from bot.dialogues.record import record_script

CLARIFY = {
    "topic": "vascular",
    "kind": "clarify",
    "content_id": None,
    "disclaimer": False,
    "options": [
        {"content_id": "vascular.raynauds_treatments", "topic": "vascular", "title": "What helps?"},
        {"content_id": "glossary.raynauds", "topic": "vascular", "title": "What is it?"},
    ],
}


def test_a_reply_that_asks_back_is_recorded_with_the_items_it_offered(tmp_path):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    engine = sa.create_engine(url)
    events = [
        ("user", {"event": "user", "text": "white fingers"}),
        (
            "bot",
            {
                "event": "bot",
                "text": "Do you mean one of these?",
                "data": {"buttons": [{"title": "What helps?", "payload": "/ask"}]},
            },
        ),
        ("bot", {"event": "bot", "data": {"custom": CLARIFY}}),
    ]
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, "
                "timestamp REAL, data TEXT)"
            )
        )
        for type_name, data in events:
            connection.execute(
                sa.text("INSERT INTO events (sender_id, type_name, data) VALUES ('s', :t, :d)"),
                {"t": type_name, "d": json.dumps(data)},
            )
    engine.dispose()
    turn = record_script(url, "s")["turns"][0]
    assert turn == {
        "user": "white fingers",
        "topic": "vascular",
        "kind": "clarify",
        "disclaimer": False,
        "emergency": False,
        "offers": ["vascular.raynauds_treatments", "glossary.raynauds"],
        "buttons": ["What helps?"],
    }
