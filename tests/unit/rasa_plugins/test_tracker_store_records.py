"""The replies given, kept by the tracker store in the project's own table when a turn ends
(bot.records.replies); forget and purge on the store; an old database's conversations
copied into the table once."""

import asyncio

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_plugins.tracker_store import PreparedSQLTrackerStore
from bot.records.replies import received, replies_to, turns_of
from bot.records.schema import SCHEMA
from bot.records.tracker_records import ConversationRecords
from bot.settings import PROJECT_DIR

WELCOME = {"custom": {"content_id": "welcome", "kind": "smalltalk"}}
CALCINOSIS = {"custom": {"content_id": "skin.calcinosis_treatments", "kind": "answer", "topic": "skin"}}
BUTTONS = {"buttons": [{"title": "What is calcinosis?", "payload": "/ask_definition"}]}


@pytest.fixture(scope="module")
def domain():
    return Domain.load(PROJECT_DIR / "domain.yml")


def session(start):
    """A new session, as Rasa starts it, with the welcome."""
    return [
        ActionExecuted("action_session_start", timestamp=start),
        SessionStarted(timestamp=start + 0.01),
        BotUttered("Hello, I answer questions about SSc.", WELCOME, timestamp=start + 0.02),
        ActionExecuted("action_listen", timestamp=start + 0.03),
    ]


def turn(text, message_id, start, *replies):
    """A question and its replies (text, data), timestamped from `start` on."""
    user = UserUttered(text, {"name": "ask_treatment", "confidence": 0.9}, timestamp=start, message_id=message_id)
    bots = [BotUttered(reply, data, timestamp=start + 0.1) for reply, data in replies]
    return [
        user,
        ActionExecuted("action_answer_question", timestamp=start),
        *bots,
        ActionExecuted("action_listen", timestamp=start + 0.2),
    ]


def save(store, domain, sender, events):
    """As the Rasa server does: the tracker read back, the turn added and saved."""
    tracker = asyncio.run(store.retrieve(sender)) or DialogueStateTracker.from_events(sender, [], domain.slots)
    for event in events:
        tracker.update(event)
    asyncio.run(store.save(tracker))


def calcinosis_conversation(store, domain, sender, start=1000.0):
    save(
        store,
        domain,
        sender,
        session(start) + turn("what helps calcinosis?", "m1", start + 1, ("Paraffin ...", BUTTONS)),
    )
    save(store, domain, sender, turn("and Raynaud's?", "m2", start + 2, ("Calcinosis is ...", CALCINOSIS)))


def test_each_turns_replies_are_kept_as_the_channel_sends_them(domain, tmp_path):
    store = PreparedSQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    calcinosis_conversation(store, domain, "kept")
    save(store, domain, "kept", turn("what helps calcinosis?", "m1", 1003.0))  # a retry the channel let through
    assert replies_to(store.engine, "kept", "m1") == [  # a new conversation's welcome comes with its first answer
        {"text": "Hello, I answer questions about SSc.", **WELCOME},
        {"text": "Paraffin ...", **BUTTONS},
    ]
    assert store.replies_to("kept", "m2") == [{"text": "Calcinosis is ...", **CALCINOSIS}]
    assert store.replies_to("kept", "m3") is None and store.replies_to("other", "m1") is None
    assert [t.text for t in turns_of(store.engine, "kept")] == ["what helps calcinosis?", "and Raynaud's?"] + [
        "what helps calcinosis?"
    ]
    assert received(store.engine, "kept", "skin.calcinosis_treatments")
    assert not received(store.engine, "kept", "welcome") and not received(store.engine, "other", "skin.calcinosis")


def test_forget_deletes_the_events_and_replies_of_a_conversation_and_leaves_nothing_readable(domain, tmp_path):
    path = tmp_path / "tracker.db"
    store = PreparedSQLTrackerStore(domain, dialect="sqlite", db=str(path))
    calcinosis_conversation(store, domain, "forget-me")
    calcinosis_conversation(store, domain, "keep-me")
    save(store, domain, "forget-me", turn("my secret question", "m3", 1005.0, ("secret reply", {})))
    assert store.forget(["forget-me"]) == 16
    assert store.events_of("forget-me") == [] and turns_of(store.engine, "forget-me") == []
    assert len(store.events_of("keep-me")) == 12 and len(turns_of(store.engine, "keep-me")) == 2
    assert b"secret" not in path.read_bytes() and not path.with_name("tracker.db-wal").read_bytes()
    assert store.forget([]) == 0


def test_purge_deletes_the_conversations_last_active_before_the_cutoff(domain, tmp_path):
    store = PreparedSQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    now = 100 * 86400.0
    calcinosis_conversation(store, domain, "old", start=now - 40 * 86400)
    calcinosis_conversation(store, domain, "recent", start=now - 40 * 86400)
    save(store, domain, "recent", turn("hi again", "m9", now - 86400, ("Hello", {})))
    assert store.purge(30, now=now) == ["old"]
    assert store.events_of("old") == [] and turns_of(store.engine, "old") == []
    assert [t.text for t in turns_of(store.engine, "recent")][-1] == "hi again"
    assert store.purge(30, now=now) == []


def test_an_old_databases_conversations_are_copied_into_the_replies_once(domain, tmp_path):
    """A database written before the replies table existed (here by Rasa's own store): the store's
    schema step 0 copies its replies, so a retry or a rating of an earlier answer still works."""
    path = tmp_path / "tracker.db"
    rasa_store = SQLTrackerStore(domain, dialect="sqlite", db=str(path))
    calcinosis_conversation(rasa_store, domain, "before")
    save(rasa_store, domain, "before", session(9000.0) + turn("hi", "m3", 9001.0, ("Hello", {})))
    fresh = PreparedSQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "fresh.db"))
    calcinosis_conversation(fresh, domain, "before")
    save(fresh, domain, "before", session(9000.0) + turn("hi", "m3", 9001.0, ("Hello", {})))

    ours = PreparedSQLTrackerStore(domain, dialect="sqlite", db=str(path))
    assert turns_of(ours.engine, "before") == turns_of(fresh.engine, "before")
    assert ours.replies_to("before", "m3") == [{"text": "Hello, I answer questions about SSc.", **WELCOME}] + [
        {"text": "Hello"}
    ]
    assert received(ours.engine, "before", "skin.calcinosis_treatments")
    PreparedSQLTrackerStore(domain, dialect="sqlite", db=str(path))  # the step ran once: nothing copied again
    assert len(turns_of(ours.engine, "before")) == 3
    with ours.engine.connect() as connection:
        assert connection.execute(sa.select(SCHEMA.c.version).where(SCHEMA.c.part == "replies")).scalar() == 1


def test_the_store_opens_by_url_outside_the_rasa_server(domain, tmp_path):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    calcinosis_conversation(
        PreparedSQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "tracker.db")), domain, "a"
    )
    store = PreparedSQLTrackerStore.from_url(url)
    assert [event["event"] for event in store.events_of("a")][:3] == ["action", "session_started", "bot"]
    assert store.forget(["a"]) == 12


def test_the_records_open_without_rasa_on_what_the_store_wrote(domain, tmp_path):
    """`sscbot purge` reads Rasa's table as the database has it: the same columns as Rasa's,
    and the same conversations forgotten and purged; no table yet is no conversation."""
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    assert ConversationRecords.at(url) is None
    store = PreparedSQLTrackerStore.from_url(url)
    calcinosis_conversation(store, domain, "old", start=1000.0)
    calcinosis_conversation(store, domain, "kept", start=50 * 86400.0)
    records = ConversationRecords.at(url)
    assert records is not None
    assert [c.name for c in records.events.columns] == [c.name for c in store.SQLEvent.__table__.columns]
    assert records.events_of("old") == store.events_of("old") != []
    assert records.purge(30, now=60 * 86400.0) == ["old"]
    assert store.events_of("old") == [] and turns_of(store.engine, "old") == []
    assert records.forget(["kept"]) == 12 and store.events_of("kept") == []
