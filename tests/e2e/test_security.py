"""Strangers stay out: Rasa's HTTP API is off unless a token is set, and then needs
it; cross-origin calls work only from the listed sites; the model is a local file."""
import urllib.error
import urllib.request

import pytest
import yaml

from bot.run.launcher import Assistant
from bot.settings import PROJECT_DIR
from tests.conftest import assistant_config

pytestmark = pytest.mark.e2e
TOKEN = "test-token-5d1c"
CLINIC = "https://clinic.example"


def get(url, headers=None, method="GET"):
    """(status, headers) of a request."""
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    """An assistant started with the API turned on (token) and one site allowed."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SSCBOT_API_TOKEN", TOKEN)
        patch.setenv("SSCBOT_WIDGET_ORIGINS", CLINIC)
        with Assistant(assistant_config(tmp_path_factory.mktemp("guarded"))) as running:
            yield running


def test_the_http_api_is_off_by_default(assistant):
    for path in ("/conversations/someone/tracker", "/status", "/model/parse"):
        status, _ = get(f"{assistant.config.rasa_url}{path}")
        assert status in (404, 405), path


def test_no_site_may_call_the_default_servers_cross_origin(assistant):
    _, headers = get(f"{assistant.config.rasa_url}/webhooks/rest/", {"Origin": CLINIC})
    assert headers.get("Access-Control-Allow-Origin") is None


def test_with_a_token_the_api_is_on_and_needs_it(guarded):
    url = f"{guarded.config.rasa_url}/conversations/someone/tracker"
    assert get(url)[0] == 401
    assert get(f"{url}?token=wrong")[0] == 401
    assert get(f"{url}?token={TOKEN}")[0] == 200


def test_only_the_listed_site_gets_cors_headers(guarded):
    url = f"{guarded.config.rasa_url}/webhooks/rest/"
    _, allowed = get(url, {"Origin": CLINIC})
    _, other = get(url, {"Origin": "https://evil.example"})
    assert allowed.get("Access-Control-Allow-Origin") == CLINIC
    assert other.get("Access-Control-Allow-Origin") is None


def test_the_model_is_only_loaded_from_a_local_file(tmp_path):
    endpoints = yaml.safe_load((PROJECT_DIR / "endpoints.yml").read_text(encoding="utf-8"))
    assert "models" not in endpoints  # no model server to pull from
    config = assistant_config(tmp_path)
    config.runtime_dir.mkdir()
    command = Assistant(config).rasa_command("run")
    assert "--remote-storage" not in command
    assert command[command.index("--model") + 1].endswith("models/ssc.tar.gz")


def test_the_serving_rasa_runs_the_patched_code(assistant):
    """The Rasa server of this run logged every patch as active (bot.rasa_plugins.patches)."""
    log = (assistant.config.log_dir / "rasa.log").read_text(errors="replace")
    assert ("Rasa 3.6.21 patches active: action_reply_validation, event_lookup, graph_runner, classifier_input, "
            "empty_domain, action_timeout") in log
