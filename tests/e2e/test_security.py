"""Strangers stay out: Rasa's HTTP API is off unless a token is set, and then needs
it; the webhook needs its own token when one is set, refuses other sites and
non-JSON posts, and has rate limits as a setting; cross-origin calls work only from
the listed sites; the model is a local file."""
import json
import urllib.error
import urllib.request

import pytest
import yaml

from bot.run.launcher import Assistant
from bot.settings import PROJECT_DIR
from tests.conftest import assistant_config, user_texts

pytestmark = pytest.mark.e2e
TOKEN = "test-token-5d1c"
WEBHOOK_TOKEN = "webhook-token-9a7e"
CLINIC = "https://clinic.example"


def get(url, headers=None, method="GET", data=None):
    """(status, headers) of a request."""
    request = urllib.request.Request(url, headers=headers or {}, method=method, data=data)
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
        patch.setenv("SSCBOT_WEBHOOK_TOKEN", WEBHOOK_TOKEN)
        patch.setenv("SSCBOT_WEBHOOK_RATE_PER_CONVERSATION", "3/60")
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


def post(url, body, headers):
    """(status, JSON reply, headers) of a POST."""
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read()), response.headers
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), error.headers


def webhook(assistant, sender, message="hello", extra=None, **headers):
    """(status, JSON reply, headers) of one message to the webhook; `extra`: more body fields."""
    url = f"{assistant.config.rasa_url}/webhooks/rest/webhook"
    body = {"sender": sender, "message": message, **(extra or {})}
    return post(url, body, {"Content-Type": "application/json", **headers})


def test_with_a_webhook_token_every_request_needs_it(guarded, sender):
    assert webhook(guarded, sender)[:2] == (401, {"error": "This request needs its token (Authorization: Bearer ...)."})
    assert webhook(guarded, sender, Authorization="Bearer wrong")[:2] == (403, {"error": "This token is not valid here."})
    assert webhook(guarded, sender, "forget me", Authorization="Bearer wrong")[0] == 403
    status, messages, _ = webhook(guarded, sender, Authorization=f"Bearer {WEBHOOK_TOKEN}")
    assert status == 200 and messages[0]["recipient_id"] == sender
    assert user_texts(guarded, sender) == ["hello"]


def test_the_widget_server_sends_the_webhook_token(guarded):
    web = guarded.config.web_url
    status, conversation, _ = post(f"{web}/api/conversation", {}, {"Content-Type": "application/json"})
    assert status == 200
    status, messages, _ = post(f"{web}/api/chat", {"sender": conversation["sender"], "message": "what is raynaud's?"},
                               {"Content-Type": "application/json", "Authorization": f"Bearer {conversation['token']}"})
    assert status == 200 and any(m.get("custom", {}).get("content_id") == "glossary.raynauds" for m in messages)


def test_the_webhook_refuses_other_sites_and_plain_text(assistant, sender):
    status, reply, _ = webhook(assistant, sender, "forget me", Origin="https://evil.example")
    assert (status, reply) == (403, {"error": "This site may not use the assistant."})
    request = urllib.request.Request(f"{assistant.config.rasa_url}/webhooks/rest/webhook", method="POST",
                                     data=json.dumps({"sender": sender, "message": "hello"}).encode(),
                                     headers={"Content-Type": "text/plain"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 415
    assert user_texts(assistant, sender) == []


def test_the_webhook_rate_limit_is_a_setting(guarded, assistant, sender):
    auth = {"Authorization": f"Bearer {WEBHOOK_TOKEN}"}
    statuses = [webhook(guarded, sender, **auth)[0] for _ in range(4)]
    status, reply, headers = webhook(guarded, sender, **auth)
    assert statuses == [200, 200, 200, 429] and status == 429 and int(headers["Retry-After"]) >= 1
    assert reply["error"].startswith("Too many messages in this conversation")
    assert user_texts(guarded, sender) == ["hello"] * 3
    other = f"{sender}-loopback"  # the default: unlimited, for back-end tools
    assert [webhook(assistant, other)[0] for _ in range(25)] == [200] * 25
