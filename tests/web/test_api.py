"""The widget's web server on its own, in front of the session's real Rasa server:
request checks, the proxy's errors, security headers and origins, with a real content
store and feedback store."""

import asyncio
import base64
import gzip
import json
import os
import signal
import uuid
import zlib

import pytest
import sqlalchemy as sa
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot import settings
from bot.access.conversation_keys import ConversationKeys
from bot.access.guard import ENCODING_REFUSED, Guard
from bot.access.origins import OriginPolicy
from bot.access.rate_limits import Rate
from bot.content.repository import load_into_store
from bot.records.ratings import FeedbackStore
from bot.run.launcher import free_port
from bot.web import security
from bot.web.server import create_app
from tests.conftest import user_texts

OTHER_SITE = "https://charity.example"
OWN_SITE = "https://chat.clinic.example"  # the public URL of the widget server under test
KEYS = ConversationKeys(b"test-key-" + b"k" * 32)
LIMIT = settings.max_message_chars()
NOT_JSON = "The request is not valid JSON (or nested too deeply, or a number too long)."


@pytest.fixture(scope="module")
def content():
    return load_into_store(settings.database_url())


@pytest.fixture
def feedback(tmp_path):
    return FeedbackStore.create(f"sqlite:///{tmp_path / 'feedback.db'}")


@pytest.fixture
def sender():
    return str(uuid.uuid4())


@pytest.fixture
def stored(assistant):
    """The user messages the real Rasa server keeps for a sender."""
    return lambda sender: user_texts(assistant, sender)


def with_token(kwargs):
    """The request with its conversation's token, as the widget sends it (unless it has one)."""
    body, headers = kwargs.get("json"), kwargs.get("headers") or {}
    if not isinstance(body, dict) or not isinstance(body.get("sender"), str) or "Authorization" in headers:
        return kwargs
    return {**kwargs, "headers": {**headers, "Authorization": f"Bearer {KEYS.token_for(body['sender'])}"}}


def call(
    content, feedback, tracker, rasa_url, method, path, rasa_timeout_s=15.0, guard=None, auth=True, repeat=1, **kwargs
):
    """Requests to a fresh widget server in front of `rasa_url`: status, headers, body (of the
    last of `repeat`). `auth`: with the conversation's token."""
    guard = guard or Guard(OriginPolicy.of([OWN_SITE], [OTHER_SITE]))
    kwargs = with_token(kwargs) if auth else kwargs

    async def run():
        app = create_app(rasa_url, content, feedback, tracker, guard, KEYS, rasa_timeout_s=rasa_timeout_s)
        async with TestClient(TestServer(app)) as client:
            for _ in range(repeat):
                response = await client.request(method, path, **kwargs)
                result = response.status, response.headers, await response.text()
            return result

    return asyncio.run(run())


@pytest.fixture
def api(content, feedback, assistant):
    """Calls a widget server whose Rasa is the session's real one (or `rasa_url=`)."""
    tracker = sa.create_engine(f"sqlite:///{assistant.config.tracker_db}")

    def request(method, path, rasa_url=assistant.config.rasa_url, **kwargs):
        return call(content, feedback, tracker, rasa_url, method, path, **kwargs)

    return request


def error_of(result):
    status, _, body = result
    return status, json.loads(body)["error"]


def test_chat_is_forwarded_to_rasa_and_its_reply_returned_unchanged(api, sender, stored):
    status, _, body = api("POST", "/api/chat", json={"sender": sender, "message": " what helps calcinosis? "})
    messages = json.loads(body)
    assert status == 200
    assert [m["custom"]["content_id"] for m in messages if "custom" in m] == ["welcome", "skin.calcinosis_treatments"]
    assert all(m["recipient_id"] == sender for m in messages)
    assert stored(sender) == ["what helps calcinosis?"]


@pytest.mark.parametrize(
    "request_kwargs, expected",
    [
        ({"data": "{not json", "headers": {"Content-Type": "application/json"}}, (400, NOT_JSON)),
        ({"data": "[" * 5000, "headers": {"Content-Type": "application/json"}}, (400, NOT_JSON)),
        ({"data": '{"message": ' + "9" * 5000 + "}", "headers": {"Content-Type": "application/json"}}, (400, NOT_JSON)),
        ({"json": ["hello"]}, (400, "The request must be a JSON object.")),
        (
            {"data": "sender=x", "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
            (415, "Send the request as JSON (Content-Type: application/json)."),
        ),
        ({"json": {"message": "   "}}, (400, "message must be some text.")),
        ({"json": {"message": 42}}, (400, "message must be some text.")),
        ({"json": {"sender": "me", "message": "hello"}}, (400, "sender must be 8 to 64 letters, digits, '-' or '_'.")),
        (
            {"json": {"sender": "../../etc/passwd", "message": "hello"}},
            (400, "sender must be 8 to 64 letters, digits, '-' or '_'."),
        ),
        (
            {"json": {"message": "a" * (LIMIT + 1)}},
            (413, f"Your message is too long: please use at most {LIMIT} characters."),
        ),
        ({"json": {"message": "a" * 10_000}}, (413, "The request is too large (at most 8192 bytes).")),
    ],
)
def test_bad_chat_requests_get_a_clear_error_and_never_reach_rasa(api, sender, stored, request_kwargs, expected):
    body = request_kwargs.get("json")
    if isinstance(body, dict):
        request_kwargs = {**request_kwargs, "json": {"sender": sender, **body}}
    assert error_of(api("POST", "/api/chat", **request_kwargs)) == expected
    assert stored(request_kwargs["json"]["sender"] if isinstance(body, dict) else sender) == []


def test_a_message_at_the_length_limit_is_accepted(api, sender, stored):
    status, _, _ = api("POST", "/api/chat", json={"sender": sender, "message": "a" * LIMIT})
    assert status == 200 and stored(sender) == ["a" * LIMIT]


def test_rasa_down_or_answering_an_error_is_a_clear_502(api, sender):
    down = f"http://127.0.0.1:{free_port()}"
    for rasa_url in (down, f"{down}/nowhere"):
        result = api("POST", "/api/chat", rasa_url=rasa_url, json={"sender": sender, "message": "hello"})
        assert error_of(result) == (502, "The assistant cannot be reached right now. Please try again in a moment.")


def test_rasa_slow_is_a_clear_504(api, assistant, sender):
    rasa = assistant.processes["rasa"]
    os.killpg(rasa.pid, signal.SIGSTOP)
    try:
        result = api("POST", "/api/chat", rasa_timeout_s=0.5, json={"sender": sender, "message": "hello"})
    finally:
        os.killpg(rasa.pid, signal.SIGCONT)
    assert error_of(result) == (504, "The assistant is taking too long to answer. Please try again.")


def test_the_intro_comes_from_the_content_store(api, library):
    status, _, body = api("GET", "/api/intro")
    assert status == 200
    assert json.loads(body) == {
        "welcome": library.settings["welcome"],
        "disclaimer": library.settings["disclaimer"],
        "physician_pointer": library.settings["physician_pointer"],
        "max_message_chars": LIMIT,
        "conversation_idle_days": 30,
    }


def test_the_widgets_idle_time_is_a_setting(api, monkeypatch):
    monkeypatch.setenv("SSCBOT_WIDGET_IDLE_DAYS", "7")
    assert json.loads(api("GET", "/api/intro")[2])["conversation_idle_days"] == 7


def test_a_rating_of_an_answer_the_conversation_received_is_stored_once(api, feedback, sender):
    api("POST", "/api/chat", json={"sender": sender, "message": "what helps calcinosis?"})
    rating = {"sender": sender, "content_id": "skin.calcinosis_treatments", "rating": "helpful"}
    status, _, body = api("POST", "/api/feedback", json=rating)
    assert (status, json.loads(body)) == (200, {"stored": True})
    api("POST", "/api/feedback", json={**rating, "rating": "not_helpful"})  # a later press changes it
    assert [(r.content_id, r.helpful, r.not_helpful) for r in feedback.per_item()] == [
        ("skin.calcinosis_treatments", 0, 1)
    ]


@pytest.mark.parametrize(
    "content_id, status", [("skin.calcinosis_treatments", 403), ("glossary.raynauds", 403), ("welcome", 400)]
)
def test_only_an_answer_the_conversation_received_can_be_rated(api, feedback, sender, content_id, status):
    """Another conversation's answer, an answer never given, or a non-answer: refused."""
    other = f"{sender}-other"
    api("POST", "/api/chat", json={"sender": other, "message": "what helps calcinosis?"})
    api("POST", "/api/chat", json={"sender": sender, "message": "hello"})  # the welcome and small talk only
    rating = {"sender": sender, "content_id": content_id, "rating": "helpful"}
    assert error_of(api("POST", "/api/feedback", json=rating))[0] == status
    assert feedback.per_item() == []


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"rating": "meh"}, "rating must be one of: helpful, not_helpful."),
        ({"rating": None}, "rating must be one of: helpful, not_helpful."),
        ({"content_id": "skin.nothing_like_this"}, "content_id must name an answer of the assistant."),
        ({"content_id": ["skin.calcinosis_treatments"]}, "content_id must name an answer of the assistant."),
        ({"sender": ""}, "sender must be 8 to 64 letters, digits, '-' or '_'."),
    ],
)
def test_bad_ratings_are_refused(api, feedback, sender, change, expected):
    rating = {"sender": sender, "content_id": "skin.calcinosis_treatments", "rating": "helpful", **change}
    assert error_of(api("POST", "/api/feedback", json=rating)) == (400, expected)
    assert feedback.per_item() == []


@pytest.mark.parametrize(
    "path, content_type",
    [
        ("/", "text/html"),
        ("/widget.js", "text/javascript"),
        ("/widget.css", "text/css"),
        ("/api/intro", "application/json"),
    ],
)
def test_files_and_api_carry_the_security_headers(api, path, content_type):
    status, headers, _ = api("GET", path)
    assert status == 200 and headers["Content-Type"].startswith(content_type)
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Server"] == "sscbot"  # not aiohttp's "Python/3.10 aiohttp/3.9.5"
    assert "Access-Control-Allow-Origin" not in headers


@pytest.mark.parametrize(
    "method, path",
    [("GET", "/api/intro"), ("GET", "/api/nothing"), ("POST", "/api/chat"), ("POST", "/api/conversation")],
)
def test_api_replies_are_never_stored(api, method, path):
    _, headers, _ = api(method, path, json={})
    assert headers["Cache-Control"] == "no-store"
    assert api("GET", "/widget.js")[1]["Cache-Control"] == "no-cache"  # the files: stored, checked each time


def test_the_staff_api_replies_are_never_stored_either():
    """The staff console's app shares bot.web.security: its /staff/api/ replies are not stored."""

    async def run():
        app = web.Application()
        security.install(app, Guard(OriginPolicy.of([OWN_SITE])))
        app.router.add_get("/staff/api/runs", lambda request: web.json_response([]))
        app.router.add_get("/staff/", lambda request: web.Response(text="console"))
        async with TestClient(TestServer(app)) as client:
            return [(await client.get(path)).headers.get("Cache-Control") for path in ("/staff/api/runs", "/staff/")]

    assert asyncio.run(run()) == ["no-store", None]


@pytest.mark.parametrize(
    "public_url, hsts",
    [
        ("https://chat.clinic.example", "max-age=31536000; includeSubDomains"),
        ("http://localhost:8080", None),
        ("", None),
    ],
)
def test_hsts_only_when_the_public_address_is_https(api, monkeypatch, public_url, hsts):
    monkeypatch.setenv("SSCBOT_PUBLIC_URL", public_url)
    for method, path in [("GET", "/"), ("GET", "/api/intro"), ("GET", "/api/nothing"), ("POST", "/api/chat")]:
        assert api(method, path)[1].get("Strict-Transport-Security") == hsts, path


@pytest.mark.parametrize("encoding, compress", [("gzip", gzip.compress), ("deflate", zlib.compress)])
def test_a_compressed_request_is_refused_before_it_is_read(api, sender, stored, encoding, compress):
    body = compress(json.dumps({"sender": sender, "message": "hello"}).encode())
    result = api(
        "POST",
        "/api/chat",
        data=body,
        headers={
            "Content-Type": "application/json",
            "Content-Encoding": encoding,
            "Authorization": f"Bearer {KEYS.token_for(sender)}",
        },
    )
    assert error_of(result) == (415, ENCODING_REFUSED)
    assert stored(sender) == []


def test_unknown_api_paths_and_methods_get_json_errors(api):
    assert error_of(api("GET", "/api/nothing")) == (404, "Not Found")
    assert error_of(api("GET", "/api/chat")) == (405, "Method Not Allowed")


def test_only_configured_sites_may_call_the_api_cross_origin(api, sender, stored):
    status, headers, _ = api(
        "POST", "/api/chat", json={"sender": sender, "message": "hello"}, headers={"Origin": OTHER_SITE}
    )
    assert status == 200 and headers["Access-Control-Allow-Origin"] == OTHER_SITE and headers["Vary"] == "Origin"

    status, headers, _ = api(
        "OPTIONS", "/api/chat", headers={"Origin": OTHER_SITE, "Access-Control-Request-Method": "POST"}
    )
    assert status == 204 and headers["Access-Control-Allow-Origin"] == OTHER_SITE
    assert headers["Access-Control-Allow-Headers"] == "Authorization, Content-Type"

    result = api(
        "POST",
        "/api/chat",
        json={"sender": sender, "message": "what is raynaud's?"},
        headers={"Origin": "https://elsewhere.example"},
    )
    assert error_of(result) == (403, "This site may not use the assistant.")
    assert "Access-Control-Allow-Origin" not in result[1]
    assert stored(sender) == ["hello"]  # the refused message never reached Rasa


# ---- #14: a conversation belongs to whoever the server issued it to ----


def issue(api, **kwargs):
    status, _, body = api("POST", "/api/conversation", json={}, **kwargs)
    assert status == 200
    return json.loads(body)


def test_a_new_conversation_is_a_128_bit_id_with_its_token(api, stored):
    first, second = issue(api), issue(api)
    assert first["sender"] != second["sender"]
    assert len(base64.urlsafe_b64decode(first["sender"] + "==")) == 16
    status, _, _ = api(
        "POST",
        "/api/chat",
        auth=False,
        json={"sender": first["sender"], "message": "hello"},
        headers={"Authorization": f"Bearer {first['token']}"},
    )
    assert status == 200 and stored(first["sender"]) == ["hello"]


def test_chat_feedback_and_forget_without_the_conversations_token_are_refused(api, sender, stored, feedback):
    api("POST", "/api/chat", json={"sender": sender, "message": "what helps calcinosis?"})
    someone_else = KEYS.token_for(f"{sender}-x")
    for path, body in [
        ("/api/chat", {"sender": sender, "message": "what is that?"}),
        ("/api/chat", {"sender": sender, "message": "forget me"}),
        ("/api/feedback", {"sender": sender, "content_id": "skin.calcinosis_treatments", "rating": "not_helpful"}),
    ]:
        assert error_of(api("POST", path, auth=False, json=body))[0] == 401
        wrong = {"Authorization": f"Bearer {someone_else}"}
        assert error_of(api("POST", path, auth=False, json=body, headers=wrong))[0] == 403
    assert stored(sender) == ["what helps calcinosis?"]  # nothing reached Rasa, nothing was forgotten
    assert feedback.per_item() == []


@pytest.mark.parametrize(
    "origin",
    [
        "https://chat.clinic.example.evil.example",
        "http://chat.clinic.example",  # the right host with the wrong scheme
        "https://evil.example",
    ],
)
def test_a_write_from_another_site_is_refused_whatever_the_host_header_says(api, sender, stored, origin):
    result = api(
        "POST",
        "/api/chat",
        json={"sender": sender, "message": "hello"},
        headers={"Origin": origin, "Host": origin.split("//")[1]},
    )
    assert error_of(result) == (403, "This site may not use the assistant.")
    assert error_of(api("POST", "/api/conversation", json={}, headers={"Origin": origin}))[0] == 403
    assert stored(sender) == []


def test_the_assistants_own_site_may_write(api, sender, stored):
    status, headers, _ = api(
        "POST",
        "/api/chat",
        json={"sender": sender, "message": "hello"},
        headers={"Origin": OWN_SITE, "Host": "elsewhere.example"},
    )
    assert status == 200 and "Access-Control-Allow-Origin" not in headers
    assert stored(sender) == ["hello"]


def test_a_plain_text_post_is_refused_even_from_the_own_site(api, sender, stored):
    body = json.dumps({"sender": sender, "message": "forget me"})
    result = api(
        "POST",
        "/api/chat",
        data=body,
        headers={"Origin": OWN_SITE, "Content-Type": "text/plain", "Authorization": f"Bearer {KEYS.token_for(sender)}"},
    )
    assert error_of(result)[0] == 415


def test_over_the_conversations_limit_is_a_429_with_retry_after(api, sender, stored):
    guard = Guard(OriginPolicy.of([OWN_SITE]), per_conversation=Rate(2, 60))
    status, headers, body = api("POST", "/api/chat", guard=guard, repeat=3, json={"sender": sender, "message": "hello"})
    assert status == 429 and int(headers["Retry-After"]) == 30
    assert json.loads(body)["error"].startswith("Too many messages in this conversation")
    assert stored(sender) == ["hello", "hello"]  # the third never reached Rasa


def test_the_address_limit_believes_forwarded_addresses_only_from_a_trusted_proxy(api):
    def third_status(trusted):
        guard = Guard(OriginPolicy.of([OWN_SITE]), per_address=Rate(2, 60), trusted_proxies=trusted)

        async def run():
            app = create_app("http://127.0.0.1:9", None, None, None, guard, KEYS)
            async with TestClient(TestServer(app)) as client:
                statuses = []
                for i in range(3):  # each request claims another address
                    response = await client.post(
                        "/api/conversation", json={}, headers={"X-Forwarded-For": f"198.51.100.{i}"}
                    )
                    statuses.append(response.status)
                return statuses

        return asyncio.run(run())

    assert third_status(frozenset()) == [200, 200, 429]  # a client cannot choose its own address
    assert third_status(frozenset({"127.0.0.1"})) == [200, 200, 200]  # behind the proxy, three clients


def test_requests_refused_for_their_token_count_for_the_address_limit(sender):
    """A flood of requests without the right token gets 429s: counted before the token is checked."""
    guard = Guard(OriginPolicy.of([OWN_SITE]), per_address=Rate(3, 60))
    wrong = {"Authorization": f"Bearer {KEYS.token_for(sender + '-x')}"}

    async def run():
        app = create_app("http://127.0.0.1:9", None, None, None, guard, KEYS)
        async with TestClient(TestServer(app)) as client:
            replies = [
                await client.post("/api/chat", json={"sender": sender, "message": "hello"}, headers=headers)
                for headers in ({}, wrong, wrong, wrong)
            ]
            return [reply.status for reply in replies], await replies[-1].json()

    statuses, last = asyncio.run(run())
    assert statuses == [401, 403, 403, 429]
    assert last["error"].startswith("Too many messages from your network")


def test_a_message_sent_again_with_its_id_is_answered_once(api, sender, stored):
    body = {"sender": sender, "message": "what helps calcinosis?", "message_id": "m-0123456789"}
    first, again = api("POST", "/api/chat", json=body), api("POST", "/api/chat", json=body)
    assert first[0] == again[0] == 200
    assert [m.get("text") for m in json.loads(again[2])] == [m.get("text") for m in json.loads(first[2])]
    assert stored(sender) == ["what helps calcinosis?"]
