"""bot/rasa_plugins/tracker_store.py keeps conversations exactly as Rasa's SQL tracker store does:
the same rows, the same latest session, readable by either store."""

import asyncio
import json
import sqlite3
import threading
import time

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_plugins.tracker_store import PreparedSQLTrackerStore
from bot.settings import PROJECT_DIR

COLUMNS = "sender_id, type_name, timestamp, intent_name, action_name, data"


@pytest.fixture(scope="module")
def domain():
    return Domain.load(PROJECT_DIR / "domain.yml")


def stores(domain, path):
    """Rasa's store and ours on the same SQLite file."""
    return (
        SQLTrackerStore(domain, dialect="sqlite", db=str(path)),
        PreparedSQLTrackerStore(domain, dialect="sqlite", db=str(path)),
    )


def turn(text, intent, start):
    """One question and answer, timestamped from `start` on."""
    return [
        UserUttered(text, {"name": intent, "confidence": 0.9}, timestamp=start),
        SlotSet("concept", "calcinosis", timestamp=start + 0.1),
        ActionExecuted("action_answer_question", timestamp=start + 0.2),
        BotUttered(
            "Calcinosis is ...", {"custom": {"content_id": "skin.calcinosis_treatments"}}, timestamp=start + 0.3
        ),
        ActionExecuted("action_listen", timestamp=start + 0.4),
    ]


def session(start):
    return [
        ActionExecuted("action_session_start", timestamp=start),
        SessionStarted(timestamp=start + 0.01),
        ActionExecuted("action_listen", timestamp=start + 0.02),
    ]


def conversation(domain, sender, events):
    return DialogueStateTracker.from_events(sender, events, domain.slots)


def rows(path, sender):
    with sqlite3.connect(path) as db:
        return db.execute(f"SELECT {COLUMNS} FROM events WHERE sender_id = ? ORDER BY id", (sender,)).fetchall()


def dicts(tracker):
    return [event.as_dict() for event in tracker.events] if tracker else None


def test_a_conversation_saved_turn_by_turn_gives_rasas_rows(domain, tmp_path):
    """As the Rasa server does: each turn read back, added to and saved."""
    rasa_store, ours = stores(domain, tmp_path / "tracker.db")
    first = session(1000.0) + turn("what helps calcinosis?", "ask_treatment", 1001.0)
    second = turn("what is that?", "ask_definition", 1002.0)
    for store, sender in ((rasa_store, "by-rasa"), (ours, "by-ours")):
        asyncio.run(store.save(conversation(domain, sender, first)))
        tracker = asyncio.run(store.retrieve(sender))
        for event in second:
            tracker.update(event)
        asyncio.run(store.save(tracker))
        asyncio.run(store.save(tracker))  # nothing new: nothing written
    ours_rows, rasa_rows = rows(tmp_path / "tracker.db", "by-ours"), rows(tmp_path / "tracker.db", "by-rasa")
    assert [row[1:] for row in ours_rows] == [row[1:] for row in rasa_rows]
    assert [json.loads(row[-1]) for row in ours_rows] == [event.as_dict() for event in first + second]


def test_either_store_reads_the_latest_session_or_all_of_them_as_rasa_does(domain, tmp_path):
    rasa_store, ours = stores(domain, tmp_path / "tracker.db")
    first = session(1000.0) + turn("what is ssc?", "ask_definition", 1001.0)
    second = session(5000.0) + turn("what helps calcinosis?", "ask_treatment", 5001.0)
    asyncio.run(rasa_store.save(conversation(domain, "two-sessions", first + second)))
    latest = dicts(asyncio.run(ours.retrieve("two-sessions")))
    assert latest[0]["event"] == "session_started" and len(latest) == len(second) - 1
    assert dicts(asyncio.run(ours.retrieve("two-sessions"))) == dicts(asyncio.run(rasa_store.retrieve("two-sessions")))
    everything = asyncio.run(ours.retrieve_full_tracker("two-sessions"))
    assert dicts(everything) == dicts(asyncio.run(rasa_store.retrieve_full_tracker("two-sessions")))
    assert len(everything.events) == len(first + second)
    assert asyncio.run(ours.retrieve("nobody")) is None


def test_a_turn_that_starts_a_new_session_stores_only_its_new_events(domain, tmp_path):
    _, ours = stores(domain, tmp_path / "tracker.db")
    asyncio.run(ours.save(conversation(domain, "returning", session(1000.0) + turn("hi", "greet", 1001.0))))
    tracker = asyncio.run(ours.retrieve("returning"))
    for event in session(5000.0) + turn("what helps calcinosis?", "ask_treatment", 5001.0):
        tracker.update(event)
    asyncio.run(ours.save(tracker))
    stored = rows(tmp_path / "tracker.db", "returning")
    assert len(stored) == 16 and [row[1] for row in stored].count("session_started") == 2
    assert len(asyncio.run(ours.retrieve("returning")).events) == 7  # from the new session's start


def test_a_save_waits_for_another_writer_instead_of_failing(domain, tmp_path):
    """Another connection (a forget-me, a purge) holds the write lock: the save
    waits until it commits, and both writes are kept."""
    path = tmp_path / "tracker.db"
    _, ours = stores(domain, path)
    tracker = conversation(domain, "waiting", session(1000.0))
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute(f"INSERT INTO events ({COLUMNS}) VALUES ('other', 'slot', 1.0, NULL, NULL, '{{}}')")

    def commit_later():
        time.sleep(0.5)
        other.execute("COMMIT")

    writer = threading.Thread(target=commit_later)
    writer.start()
    asyncio.run(ours.save(tracker))
    writer.join()
    assert len(rows(path, "waiting")) == 3 and len(rows(path, "other")) == 1


def test_the_endpoints_files_name_this_store():
    from bot.records.conversations import TRACKER_STORE_TYPE

    module, _, name = TRACKER_STORE_TYPE.rpartition(".")
    assert getattr(__import__(module, fromlist=[name]), name) is PreparedSQLTrackerStore
    assert f"type: {TRACKER_STORE_TYPE}" in (PROJECT_DIR / "endpoints.yml").read_text()


def test_sqlite_commits_are_durable_and_connections_kept(domain, tmp_path):
    _, ours = stores(domain, tmp_path / "tracker.db")
    asyncio.run(ours.save(conversation(domain, "kept", session(1000.0))))
    with ours.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    assert ours.engine.pool.checkedin() == 1  # the connection stays open for the next turn


def test_an_in_memory_sqlite_store_keeps_what_it_saves(domain):
    ours = PreparedSQLTrackerStore(domain, dialect="sqlite", db="")
    asyncio.run(ours.save(conversation(domain, "memory", session(1000.0))))
    assert len(asyncio.run(ours.retrieve("memory")).events) == 2
