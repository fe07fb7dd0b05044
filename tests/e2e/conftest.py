"""The real action server and Rasa server, started on free loopback ports, each
test run with its own tracker and content databases."""
import os
import uuid

import pytest

from bot.launcher import Assistant, AssistantConfig
from bot.rest_client import RestClient
from tests.conftest import free_port


def assistant_config(tmp_path) -> AssistantConfig:
    return AssistantConfig(
        rasa_port=free_port(),
        action_port=free_port(),
        runtime_dir=tmp_path / "run",
        tracker_db=tmp_path / "tracker.db",
        log_dir=tmp_path / "logs",
        env={"SSCBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'content.db'}"},
    )


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
