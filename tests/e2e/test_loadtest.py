"""The load test's own check, on a small load against the real servers: every message
answered, and the tracker store holds exactly what was sent and received."""

import pytest
import sqlalchemy as sa

from bench.loadtest import Conversation, _mismatch, run_load

pytestmark = pytest.mark.e2e


def test_a_small_load_is_answered_and_stored_exactly(assistant):
    tracker = f"sqlite:///{assistant.config.tracker_db}"
    result = run_load(assistant.config.rasa_url, tracker, conversations=20, messages=("hi", "what helps calcinosis?"))
    assert result.passed, result.errors + result.mismatches
    assert len(result.latencies) == 40
    assert "20 conversations x 2 messages: 40 answered" in result.summary()

    engine = sa.create_engine(tracker)
    talk = result.conversations[0]
    lost = Conversation(talk.sender, talk.sent[:1], talk.bot_texts)  # as if a message had not been stored
    assert "1 sent" in _mismatch(engine, lost) and "2 user messages stored" in _mismatch(engine, lost)
    engine.dispose()
