"""Faults with the real servers: the action server slow or down, a database
unreachable or content invalid at start, and old conversations purged."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
import sqlalchemy as sa

from bot.content.repository import load_into_store
from bot.records.ratings import FeedbackStore
from bot.records.replies import turns_of
from bot.run.launcher import Assistant, StartError, free_port
from bot.run.rest_client import RestClient
from bot.settings import PROJECT_DIR
from tests.conftest import assistant_config, user_texts
from tests.stored import events_of

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def fragile(tmp_path_factory):
    """An assistant of its own, whose action server these tests stop."""
    config = assistant_config(tmp_path_factory.mktemp("fragile"))
    config.env["SSCBOT_REPLY_TIMEOUT_S"] = "3"
    with Assistant(config) as running:
        yield running


def assert_try_again(turn):
    assert turn.answer["kind"] == "fallback" and turn.answer["content_id"] == "out_of_scope.try_again"
    assert "Please try again" in turn.text
    assert "not medical advice" in turn.text and "talk to your doctor" in turn.text


def test_a_slow_then_a_stopped_action_server_still_gets_safe_replies(fragile):
    client = RestClient(fragile.config.rasa_url)
    actions = fragile.processes["actions"]
    assert client.send("patient", "what helps calcinosis?").answer["kind"] == "answer"

    os.killpg(actions.pid, signal.SIGSTOP)  # hangs: the replies below come while it is stopped
    try:
        assert_try_again(client.send("patient", "what is raynaud's?"))
        urgent = client.send("patient-2", "I have crushing chest pain right now")
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
    assert_try_again(client.send("patient", "what is a digital ulcer?"))
    verdicts = verdicts_logged(fragile)
    crisis = client.send("patient-3", "i want to end my life")
    assert crisis.answer["kind"] == "emergency" and crisis.answer["content_id"] == "emergency.crisis"
    assert verdicts_logged(fragile) == verdicts + 1  # from the verdict of the one NLU read, not a second parse
    assert user_texts(fragile, "patient")[-1] == "what is a digital ulcer?"


def verdicts_logged(assistant):
    """How many messages Rasa's NLU has read (safety_override logs each verdict)."""
    return (assistant.config.log_dir / "rasa.log").read_text(errors="replace").count("verdict: rule")


def start(env_changes, tmp_path):
    """`sscbot run` on free ports with changed settings: its exit code, stdout and stderr."""
    ports = [free_port() for _ in range(3)]  # in case it did start, never on a port in use
    env = {
        **os.environ,
        "SSCBOT_FEEDBACK_DATABASE_URL": f"sqlite:///{tmp_path / 'feedback.db'}",
        "SSCBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'content.db'}",
        **env_changes,
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.run.cli",
            "run",
            "--port",
            str(ports[0]),
            "--action-port",
            str(ports[1]),
            "--web-port",
            str(ports[2]),
        ],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize(
    "setting, value, cause",
    [
        (
            "SSCBOT_DATABASE_URL",
            "postgresql://sscbot:secret@127.0.0.1:9/sscbot",
            "Cannot use the content store database (postgresql://sscbot:***@127.0.0.1:9/sscbot)",
        ),
        (
            "SSCBOT_FEEDBACK_DATABASE_URL",
            "sqlite:////proc/no-such-folder/feedback.db",
            "Cannot use the feedback store database",
        ),
        ("SSCBOT_CONTENT_DIR", "/no/such/content", "Content error: /no/such/content"),
    ],
)
def test_an_unusable_database_or_content_stops_the_start_with_the_cause(tmp_path, setting, value, cause):
    code, stdout, stderr = start({setting: value}, tmp_path)
    assert code == 2
    assert cause in stderr and "secret" not in stderr
    assert "Starting" not in stdout  # stopped before any server (or port) was started


def test_invalid_content_stops_the_start_naming_file_and_item(tmp_path, content_copy):
    (content_copy / "skin.yml").write_text("topic: skin\nitems:\n  - id: broken\n", encoding="utf-8")
    code, stdout, stderr = start({"SSCBOT_CONTENT_DIR": str(content_copy)}, tmp_path)
    assert code == 2 and "skin.yml" in stderr and "broken" in stderr and "Starting" not in stdout


def test_purge_deletes_old_conversations_and_their_ratings(assistant):
    client = RestClient(assistant.config.rasa_url)
    tracker_url = f"sqlite:///{assistant.config.tracker_db}"
    feedback = FeedbackStore.create(assistant.config.env["SSCBOT_FEEDBACK_DATABASE_URL"])
    for sender in ("purge-old", "purge-new"):
        client.send(sender, "what helps calcinosis?")
        feedback.rate(sender, "skin.calcinosis_treatments", "helpful")
    feedback.rate("no-conversation", "skin.calcinosis_treatments", "helpful")
    engine = sa.create_engine(tracker_url)
    with engine.begin() as connection:  # the old one was last active 40 days ago
        connection.execute(
            sa.text("UPDATE events SET timestamp = timestamp - 40 * 86400 " "WHERE sender_id = 'purge-old'")
        )
    with feedback.engine.begin() as connection:  # a rating given 40 days ago, its conversation gone
        connection.execute(
            sa.text(
                "UPDATE feedback SET created_at = datetime(created_at, '-40 days') "
                "WHERE conversation_id = 'no-conversation'"
            )
        )
    done = subprocess.run(
        [sys.executable, "-m", "bot.run.cli", "purge", "--days", "30"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "SSCBOT_FEEDBACK_DATABASE_URL": feedback.engine.url.render_as_string(),
            "SSCBOT_TRACKER_URL": tracker_url,
        },
    )
    assert done.returncode == 0, done.stderr
    assert "Deleted 1 conversations older than 30 days, 2 ratings and 0 staff tries of their questions." in done.stdout
    assert events_of(engine, "purge-old") == [] and events_of(engine, "purge-new") != []
    assert turns_of(engine, "purge-old") == [] and [t.text for t in turns_of(engine, "purge-new")] == [
        "what helps calcinosis?"
    ]
    with feedback.engine.connect() as connection:
        rated = {r[0] for r in connection.execute(sa.text("SELECT conversation_id FROM feedback"))}
    assert "purge-new" in rated and not rated & {"purge-old", "no-conversation"}
    engine.dispose()


def test_a_server_that_cannot_start_stops_the_others_and_says_which(tmp_path):
    """The three servers start at once; when Rasa cannot take its port, the start
    fails naming it, with its log, and no server is left running."""
    assistant = Assistant(assistant_config(tmp_path))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", assistant.config.rasa_port))
        taken.listen()
        with pytest.raises(StartError, match="the rasa server exited with code") as failed:
            assistant.start()
    assert "address already in use" in str(failed.value).lower()
    assert assistant.processes == {}


def test_the_widget_shows_the_content_just_loaded_not_an_older_store(tmp_path, content_copy, library):
    """A content store left from an earlier run with other text: starting the assistant
    loads content/ first (the explicit load step), and the web server shows that."""
    disclaimer = content_copy / "disclaimer.yml"
    disclaimer.write_text(disclaimer.read_text().replace(library.settings["disclaimer"], "AN OLDER DISCLAIMER"))
    assistant = Assistant(assistant_config(tmp_path))
    load_into_store(assistant.config.env["SSCBOT_DATABASE_URL"], content_copy)
    with assistant:
        with urllib.request.urlopen(f"{assistant.config.web_url}/api/intro", timeout=10) as response:
            assert json.load(response)["disclaimer"] == library.settings["disclaimer"]
