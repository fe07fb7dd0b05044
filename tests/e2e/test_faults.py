"""Faults with the real servers: the action server slow or down, a database
unreachable or content invalid at start, and old conversations purged."""
import os
import signal
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa

from bot.conversations import events_of
from bot.feedback import FeedbackStore
from bot.launcher import Assistant, free_port
from bot.rest_client import RestClient
from bot.settings import PROJECT_DIR
from tests.conftest import assistant_config

pytestmark = pytest.mark.e2e
REPLY_TIMEOUT_S = 3


@pytest.fixture(scope="module")
def fragile(tmp_path_factory):
    """An assistant of its own, whose action server these tests stop."""
    config = assistant_config(tmp_path_factory.mktemp("fragile"))
    config.env["SSCBOT_REPLY_TIMEOUT_S"] = str(REPLY_TIMEOUT_S)
    with Assistant(config) as running:
        yield running


def user_texts(assistant, sender):
    engine = sa.create_engine(f"sqlite:///{assistant.config.tracker_db}")
    try:
        return [e["text"] for kind, e in events_of(engine, sender) if kind == "user"]
    finally:
        engine.dispose()


def timed(client, sender, message):
    started = time.monotonic()
    turn = client.send(sender, message)
    return turn, time.monotonic() - started


def assert_try_again(turn):
    assert turn.answer["kind"] == "fallback" and turn.answer["content_id"] == "out_of_scope.try_again"
    assert "Please try again" in turn.text
    assert "not medical advice" in turn.text and "talk to your doctor" in turn.text


def test_a_slow_then_a_stopped_action_server_still_gets_safe_replies(fragile):
    client = RestClient(fragile.config.rasa_url)
    actions = fragile.processes["actions"]
    assert client.send("patient", "what helps calcinosis?").answer["kind"] == "answer"

    os.killpg(actions.pid, signal.SIGSTOP)  # hangs: slow beyond any patience
    try:
        turn, seconds = timed(client, "patient", "what is raynaud's?")
        assert_try_again(turn)
        assert seconds < REPLY_TIMEOUT_S + 5
        urgent, _ = timed(client, "patient-2", "I have crushing chest pain right now")
        assert urgent.answer["kind"] == "emergency" and urgent.text.startswith("This may need urgent care")
    finally:
        os.killpg(actions.pid, signal.SIGCONT)
    deadline = time.monotonic() + 30  # the slow turn finishes and is kept: nothing is lost
    while "what is raynaud's?" not in user_texts(fragile, "patient") and time.monotonic() < deadline:
        time.sleep(0.5)
    assert user_texts(fragile, "patient") == ["what helps calcinosis?", "what is raynaud's?"]
    assert client.send("patient", "and calcinosis?").answer["kind"] == "answer"

    os.killpg(actions.pid, signal.SIGTERM)  # down
    actions.wait(20)
    turn, seconds = timed(client, "patient", "what is a digital ulcer?")
    assert_try_again(turn)
    assert seconds < REPLY_TIMEOUT_S + 5
    crisis = client.send("patient-3", "i want to end my life")
    assert crisis.answer["kind"] == "emergency" and crisis.answer["content_id"] == "emergency.crisis"
    assert user_texts(fragile, "patient")[-1] == "what is a digital ulcer?"


def start(env_changes, tmp_path):
    """`sscbot run` on free ports with changed settings; its exit code, output and ports."""
    ports = [free_port() for _ in range(3)]
    env = {**os.environ, "SSCBOT_FEEDBACK_DATABASE_URL": f"sqlite:///{tmp_path / 'feedback.db'}",
           "SSCBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'content.db'}", **env_changes}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "run", "--port", str(ports[0]), "--action-port", str(ports[1]),
         "--web-port", str(ports[2])],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=60,
    )
    return done.returncode, done.stderr, ports


@pytest.mark.parametrize("setting, value, cause", [
    ("SSCBOT_DATABASE_URL", "postgresql://sscbot:secret@127.0.0.1:9/sscbot",
     "Cannot use the content store database (postgresql://sscbot:***@127.0.0.1:9/sscbot)"),
    ("SSCBOT_FEEDBACK_DATABASE_URL", "sqlite:////proc/no-such-folder/feedback.db",
     "Cannot use the feedback store database"),
    ("SSCBOT_CONTENT_DIR", "/no/such/content", "Content error: /no/such/content"),
])
def test_an_unusable_database_or_content_stops_the_start_with_the_cause(tmp_path, setting, value, cause):
    code, stderr, ports = start({setting: value}, tmp_path)
    assert code == 2
    assert cause in stderr and "secret" not in stderr
    for port in ports:  # nothing was started
        with pytest.raises(OSError):
            RestClient(f"http://127.0.0.1:{port}", timeout=2).send("x", "hi")


def test_invalid_content_stops_the_start_naming_file_and_item(tmp_path, content_copy):
    (content_copy / "skin.yml").write_text("topic: skin\nitems:\n  - id: broken\n", encoding="utf-8")
    code, stderr, _ = start({"SSCBOT_CONTENT_DIR": str(content_copy)}, tmp_path)
    assert code == 2 and "skin.yml" in stderr and "broken" in stderr


def test_purge_deletes_old_conversations_and_their_ratings(assistant, tmp_path):
    client = RestClient(assistant.config.rasa_url)
    tracker_url = f"sqlite:///{assistant.config.tracker_db}"
    feedback = FeedbackStore(assistant.config.env["SSCBOT_FEEDBACK_DATABASE_URL"])
    for sender in ("purge-old", "purge-new"):
        client.send(sender, "what helps calcinosis?")
        feedback.rate(sender, "skin.calcinosis_treatments", "helpful")
    engine = sa.create_engine(tracker_url)
    with engine.begin() as connection:  # the old one was last active 40 days ago
        connection.execute(sa.text("UPDATE events SET timestamp = timestamp - 40 * 86400 "
                                   "WHERE sender_id = 'purge-old'"))
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {assistant.config.tracker_db}\n")
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "purge", "--days", "30"], cwd=PROJECT_DIR, capture_output=True, text=True,
        env={**os.environ, "SSCBOT_FEEDBACK_DATABASE_URL": feedback.engine.url.render_as_string(),
             "SSCBOT_ENDPOINTS": str(endpoints)},
    )
    assert done.returncode == 0, done.stderr
    assert "Deleted 1 conversations older than 30 days, and 1 ratings." in done.stdout
    assert events_of(engine, "purge-old") == [] and events_of(engine, "purge-new") != []
    with feedback.engine.connect() as connection:
        rated = {r[0] for r in connection.execute(sa.text("SELECT conversation_id FROM feedback"))}
    assert "purge-old" not in rated and "purge-new" in rated
    engine.dispose()
