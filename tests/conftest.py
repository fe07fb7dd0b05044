"""Shared fixtures. The content store of the tests lives in a temporary SQLite file,
loaded once per run by the explicit load step, before any test reads it.

`assistant`: the real action server, Rasa server and widget web server, started on
free loopback ports once per test run, with their own tracker, content and
feedback databases (tests/e2e and tests/web use it)."""

import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest

TEST_DIR = Path(tempfile.mkdtemp(prefix="sscbot-tests-"))
os.environ.setdefault("SSCBOT_DATABASE_URL", f"sqlite:///{TEST_DIR / 'content.db'}")

from bot import settings  # noqa: E402  (after the environment is set)
from bot.content.repository import content, load_into_store  # noqa: E402
from bot.run.launcher import Assistant, AssistantConfig  # noqa: E402
from bot.run.rest_client import RestClient  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def content_store():
    return load_into_store(os.environ["SSCBOT_DATABASE_URL"])


@pytest.fixture(scope="session")
def library():
    return content().library


@pytest.fixture
def content_copy(tmp_path):
    """A writable copy of content/, for tests that break it on purpose."""
    target = tmp_path / "content"
    shutil.copytree(settings.content_dir(), target)
    return target


def assistant_config(tmp_path) -> AssistantConfig:
    config = AssistantConfig.private(tmp_path)
    config.env["SSCBOT_WIDGET_RATE_PER_ADDRESS"] = "1000/60"  # every test's browser comes from 127.0.0.1
    config.env["SSCBOT_STAFF_SIGN_IN_RATE_PER_ADDRESS"] = "1000/60"  # tests/web/test_staff_security.py has its own
    shutil.copytree(settings.dialogues_dir(), tmp_path / "dialogues")  # the staff console saves scripts here
    config.env["SSCBOT_DIALOGUES_DIR"] = str(tmp_path / "dialogues")
    config.env["SSCBOT_STAFF_KEY_FILE"] = str(tmp_path / "staff.key")
    return config


def user_texts(assistant, sender):
    """The user messages the assistant's tracker store keeps for `sender`, in order."""
    from tests.stored import events_of  # Rasa: only for the tests that talk to the assistant

    return [
        event["text"] for kind, event in events_of(f"sqlite:///{assistant.config.tracker_db}", sender) if kind == "user"
    ]


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    with Assistant(assistant_config(tmp_path_factory.mktemp("assistant"))) as running:
        yield running


@pytest.fixture(scope="session")
def client(assistant):
    return RestClient(assistant.config.rasa_url)


@pytest.fixture
def sender():
    return f"test-{uuid.uuid4().hex}"


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(TEST_DIR, ignore_errors=True)
