"""Strangers stay out: Rasa's HTTP API is off unless a token is set, and then needs
it; the webhook needs its own token when one is set, refuses other sites, non-JSON
and compressed posts, and has rate limits as a setting that count refused requests
too; cross-origin calls work only from the listed sites; the model is a local file;
the Rasa server names no version and cuts off slow clients."""

import gzip
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import rasa
import yaml

from bot.run.launcher import Assistant
from bot.settings import PROJECT_DIR
from tests.conftest import assistant_config, user_texts
from tests.unit.rasa_plugins.test_patches import ALL as ALL_PATCHES

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
        patch.setenv("SSCBOT_WEBHOOK_RATE_PER_ADDRESS", "20/60")  # the other tests here send fewer
        patch.setenv("SSCBOT_TRUSTED_PROXIES", "127.0.0.1")  # so that a test can be another client
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
    assert f"Rasa 3.6.21 patches active: {', '.join(ALL_PATCHES)}" in log


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
    assert webhook(guarded, sender, Authorization="Bearer wrong")[:2] == (
        403,
        {"error": "This token is not valid here."},
    )
    assert webhook(guarded, sender, "forget me", Authorization="Bearer wrong")[0] == 403
    status, messages, _ = webhook(guarded, sender, Authorization=f"Bearer {WEBHOOK_TOKEN}")
    assert status == 200 and messages[0]["recipient_id"] == sender
    assert user_texts(guarded, sender) == ["hello"]


def test_the_widget_server_sends_the_webhook_token(guarded):
    web = guarded.config.web_url
    status, conversation, _ = post(f"{web}/api/conversation", {}, {"Content-Type": "application/json"})
    assert status == 200
    status, messages, _ = post(
        f"{web}/api/chat",
        {"sender": conversation["sender"], "message": "what is raynaud's?"},
        {"Content-Type": "application/json", "Authorization": f"Bearer {conversation['token']}"},
    )
    assert status == 200 and any(m.get("custom", {}).get("content_id") == "glossary.raynauds" for m in messages)


def test_the_webhook_refuses_other_sites_and_plain_text(assistant, sender):
    status, reply, _ = webhook(assistant, sender, "forget me", Origin="https://evil.example")
    assert (status, reply) == (403, {"error": "This site may not use the assistant."})
    request = urllib.request.Request(
        f"{assistant.config.rasa_url}/webhooks/rest/webhook",
        method="POST",
        data=json.dumps({"sender": sender, "message": "hello"}).encode(),
        headers={"Content-Type": "text/plain"},
    )
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


def test_requests_refused_for_their_token_count_for_the_address_limit(guarded, sender):
    """20 requests without the right token from one client (one IPv6 /64, behind the trusted
    proxy) use up its limit: the next is a 429 even with the token; another /64 is another client."""
    refused = [
        webhook(
            guarded,
            sender,
            **{"X-Forwarded-For": f"2001:db8::{i % 2 + 1}", **({"Authorization": "Bearer wrong"} if i % 2 else {})},
        )[0]
        for i in range(20)
    ]
    assert refused == [401, 403] * 10
    auth = {"Authorization": f"Bearer {WEBHOOK_TOKEN}"}
    status, reply, headers = webhook(guarded, sender, **{"X-Forwarded-For": "2001:db8::3", **auth})
    assert status == 429 and int(headers["Retry-After"]) >= 1
    assert reply["error"].startswith("Too many messages from your network")
    assert webhook(guarded, sender, **{"X-Forwarded-For": "2001:db8:0:1::1", **auth})[0] == 200
    assert user_texts(guarded, sender) == ["hello"]


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
def test_the_webhook_refuses_compressed_bodies(assistant, sender, encoding):
    body = gzip.compress(json.dumps({"sender": sender, "message": "hello"}).encode())
    request = urllib.request.Request(
        f"{assistant.config.rasa_url}/webhooks/rest/webhook",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Content-Encoding": encoding},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 415
    assert json.loads(refused.value.read()) == {
        "error": "Compressed requests are not accepted: send the body without Content-Encoding."
    }
    assert user_texts(assistant, sender) == []


def test_the_rasa_server_names_no_version(assistant):
    """Its root page (the health probe) still answers 200, without Rasa's version; no header names one."""
    with urllib.request.urlopen(f"{assistant.config.rasa_url}/", timeout=30) as response:
        status, body, headers = response.status, response.read().decode(), response.headers
    assert (status, body) == (200, "Hello from Rasa")
    _, error_headers = get(f"{assistant.config.rasa_url}/nothing")
    for values in (headers, error_headers):
        assert not any(rasa.__version__ in value or "sanic" in value.lower() for value in values.values())


def closed_after(url, sent_first, trickled=b"", give_up_s=25.0):
    """Opens a connection to `url`, sends `sent_first` and then `trickled` a byte a second: what
    the server answered and the seconds until it closed the connection."""
    address = urllib.parse.urlsplit(url)
    with socket.create_connection((address.hostname, address.port)) as sock:
        start, reply = time.monotonic(), b""
        sock.sendall(sent_first)
        sock.settimeout(1)
        while time.monotonic() - start < give_up_s:
            try:
                if trickled and not reply:
                    sock.sendall(trickled[:1])
                    trickled = trickled[1:]
                chunk = sock.recv(65536)
            except TimeoutError:
                continue
            except OSError:  # reset
                break
            if not chunk:
                break
            reply += chunk
        return reply, time.monotonic() - start


def test_the_rasa_server_cuts_off_slow_clients(assistant):
    """Half a request, or headers sent a byte a second (slowloris): Sanic's REQUEST_TIMEOUT (10 s,
    from the request's first byte) answers 408 and closes the connection."""
    slow = [
        (b"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: x\r\n", b""),
        (b"POST /webhooks/rest/webhook HTTP/1.1\r\n", b"Host: x\r\nX-Padding: " + b"a" * 40),
    ]
    with ThreadPoolExecutor(len(slow)) as pool:
        results = list(pool.map(lambda sent: closed_after(assistant.config.rasa_url, *sent), slow))
    for reply, seconds in results:
        assert reply.startswith(b"HTTP/1.1 408 ") and b'"error"' in reply
        assert seconds < 16  # 10 s, and Sanic checks its timeouts every 5 s
