"""A conversation recorded as a script keeps every check the answers allow, the items a
"Do you mean ...?" reply offered included."""

import asyncio

from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.dialogues.record import record_script
from bot.rasa_plugins.tracker_store import PreparedSQLTrackerStore

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
    events = [
        UserUttered("white fingers", parse_data={"intent": {}, "entities": []}),
        BotUttered("Do you mean one of these?", {"buttons": [{"title": "What helps?", "payload": "/ask"}]}),
        BotUttered(None, {"custom": CLARIFY}),
    ]
    store = PreparedSQLTrackerStore.from_url(url)  # as the Rasa server keeps a conversation
    asyncio.run(store.save(DialogueStateTracker.from_events("s", events)))
    store.engine.dispose()
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
