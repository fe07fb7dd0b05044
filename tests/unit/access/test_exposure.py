"""Beyond loopback a server refuses to start without its secrets, naming the missing ones."""

import subprocess
import sys

import pytest

from bot.access.exposure import is_loopback, require_secrets
from bot.run.rasa_server import interface, with_response_timeout
from bot.settings import PROJECT_DIR

NAMES = ["SSCBOT_WEBHOOK_TOKEN", "SSCBOT_CONVERSATION_KEY"]
LONG = "x" * 32


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "[::1]", "localhost", "127.0.0.2"])
def test_loopback_needs_nothing(host):
    assert is_loopback(host)
    require_secrets(host, NAMES, {})


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.0.0.5", "chat.clinic.example", ""])
def test_beyond_loopback_each_missing_or_short_secret_is_named(host):
    with pytest.raises(ValueError) as refused:
        require_secrets(host, NAMES, {"SSCBOT_WEBHOOK_TOKEN": "x" * 31})
    assert "SSCBOT_WEBHOOK_TOKEN and SSCBOT_CONVERSATION_KEY" in str(refused.value)
    with pytest.raises(ValueError, match="needs SSCBOT_CONVERSATION_KEY set"):
        require_secrets(host, NAMES, {"SSCBOT_WEBHOOK_TOKEN": LONG})
    require_secrets(host, NAMES, {"SSCBOT_WEBHOOK_TOKEN": LONG, "SSCBOT_CONVERSATION_KEY": LONG})


def test_rasa_listens_on_every_interface_unless_told():
    assert interface(["--port", "5005"]) == "0.0.0.0"
    assert interface(["-i", "127.0.0.1"]) == interface(["--interface=127.0.0.1"]) == "127.0.0.1"


def test_rasas_response_timeout_is_60_s_unless_given():
    assert with_response_timeout(["--port", "5005"]) == ["--port", "5005", "--response-timeout", "60"]
    assert with_response_timeout(["--response-timeout", "30"]) == ["--response-timeout", "30"]
    assert with_response_timeout(["--response-timeout=30"]) == ["--response-timeout=30"]


@pytest.mark.parametrize(
    "command, missing",
    [
        (["bot.web", "--host", "0.0.0.0"], "SSCBOT_WEBHOOK_TOKEN and SSCBOT_CONVERSATION_KEY"),
        (["bot.staff", "--host", "0.0.0.0"], "SSCBOT_STAFF_KEY and SSCBOT_WEBHOOK_TOKEN"),
        (["bot.run.rasa_server", "run", "--port", "1"], "SSCBOT_WEBHOOK_TOKEN"),
    ],
)
def test_each_server_refuses_to_start_beyond_loopback_without_its_secrets(command, missing, tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    started = subprocess.run(
        [sys.executable, "-m", *command], env=env, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120
    )
    assert started.returncode != 0 and f"needs {missing} set" in started.stderr
