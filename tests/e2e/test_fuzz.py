"""Bad input on every route of both servers (#14 item 6): 1,200 generated malformed
requests each, every one answered with a 4xx JSON error and exactly one log line,
no traceback, and both servers still answering afterwards."""

import http.client
import json
import random
from dataclasses import dataclass, field
from typing import Dict, Optional

import pytest

pytestmark = pytest.mark.e2e
REQUESTS = 1200
METHODS = ["PUT", "DELETE", "PATCH", "FOO", "POSTT", "CONNECTX"]
CONTENT_TYPES = [
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/jsonx",
    "",
    "text/json",
]
WRONG_VALUES = [None, 5, 1.5, True, [], {}, ["hello"], {"text": "hello"}]


@dataclass
class Attempt:
    kind: str
    method: str
    path: str
    body: bytes
    headers: Dict[str, str] = field(default_factory=dict)


def json_body(value) -> bytes:
    return json.dumps(value).encode()


def malformed_body(rng: random.Random, fields: Dict[str, object]) -> bytes:
    """A body that is not a valid request: broken JSON, deep nesting, huge numbers, wrong types."""
    choice = rng.randrange(7)
    if choice == 0:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(0, 300)))
    if choice == 1:
        whole = json_body(fields)
        return whole[: rng.randrange(len(whole))]
    if choice == 2:
        depth = rng.randrange(1000, 3000)
        opener, closer = rng.choice([("[", "]"), ('{"a":', "}")])
        return (opener * depth + "1" + closer * rng.choice([0, depth])).encode()
    if choice == 3:
        key = rng.choice(list(fields))
        return json_body(fields).replace(json.dumps(fields[key]).encode(), b"9" * rng.randrange(4400, 6000), 1)
    if choice == 4:
        key = rng.choice(list(fields))
        return json_body({**fields, key: rng.choice(WRONG_VALUES)})
    if choice == 5:
        return json_body(rng.choice([["hello"], "hello", 42, None, True]))
    return json_body(fields).replace(b'"hello', b'"\xff\xfe', 1)


def attempts(rng: random.Random, path: str, fields: Dict[str, object], extra_kinds=()) -> list:
    """REQUESTS malformed requests to `path`, each kind in turn."""
    good = {"Content-Type": "application/json"}
    kinds = ["body", "content_type", "method", "header", "origin", "path", *extra_kinds]
    made = []
    for i in range(REQUESTS):
        kind = kinds[i % len(kinds)]
        body, headers, method, target = json_body(fields), dict(good), "POST", path
        if kind == "body":
            body = malformed_body(rng, fields)
        elif kind == "content_type":
            headers["Content-Type"] = rng.choice(CONTENT_TYPES)
        elif kind == "method":
            method = rng.choice(METHODS)
        elif kind == "header":
            size = rng.randrange(9_000, 60_000)
            if rng.random() < 0.5:
                headers["X-Long"] = "a" * size
            else:
                headers.update({f"X-H{n}": "b" * 100 for n in range(size // 100)})
        elif kind == "origin":
            headers["Origin"] = rng.choice(["https://evil.example", "null", "http://127.0.0.1", "https://127.0.0.1"])
        elif kind == "path":
            target = path.rsplit("/", 1)[0] + "/" + rng.choice(["x", "webhook2", "..", "%00", "a" * 500])
        elif kind == "token":
            headers["Authorization"] = rng.choice(["Bearer forged", "Basic abc", "Bearer", ""])
        made.append(Attempt(kind, method, target, body, headers))
    return made


def send(base_url: str, attempt: Attempt):
    host, port = base_url.split("//")[1].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request(attempt.method, attempt.path, body=attempt.body, headers=attempt.headers)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    finally:
        connection.close()


def check_all(base_url: str, log_path, made: list) -> None:
    before = log_path.read_text(errors="replace").count("\n")
    failures = []
    for attempt in made:
        status, content_type, body = send(base_url, attempt)
        reply: Optional[dict] = None
        if content_type.startswith("application/json"):
            reply = json.loads(body)
        if not (400 <= status < 500 and isinstance(reply, dict) and isinstance(reply.get("error"), str)):
            failures.append((attempt.kind, attempt.method, attempt.path[:40], attempt.body[:60], status, body[:100]))
    assert failures == [], f"{len(failures)} of {len(made)} not a 4xx JSON error, e.g. {failures[:5]}"
    new_lines = log_path.read_text(errors="replace").splitlines()[before:]
    assert not [line for line in new_lines if "Traceback" in line or " ERROR " in line]
    assert len([line for line in new_lines if "refused" in line]) == len(made), "one log line per refusal"


def test_malformed_requests_to_the_rasa_webhook(assistant, client):
    made = attempts(random.Random(14), "/webhooks/rest/webhook", {"sender": "fuzz-sender", "message": "hello"})
    check_all(assistant.config.rasa_url, assistant.config.log_dir / "rasa.log", made)
    assert client.send("fuzz-after", "what helps calcinosis?").answer["content_id"] == "skin.calcinosis_treatments"


@pytest.mark.parametrize(
    "path, fields",
    [
        ("/api/chat", {"sender": "fuzz-sender-0001", "message": "hello"}),
        (
            "/api/feedback",
            {"sender": "fuzz-sender-0001", "content_id": "skin.calcinosis_treatments", "rating": "helpful"},
        ),
        ("/api/conversation", {"start": "hello"}),
    ],
)
def test_malformed_requests_to_the_widget_api(assistant, path, fields):
    extra = ("token",) if "sender" in fields else ()
    made = attempts(random.Random(path), path, fields, extra)
    if path == "/api/conversation":  # any JSON object starts a conversation: only the other kinds are malformed
        made = [a for a in made if not (a.kind == "body" and _is_object(a.body))]
    check_all(assistant.config.web_url, assistant.config.log_dir / "web.log", made)
    status, _, _ = send(
        assistant.config.web_url,
        Attempt("good", "POST", "/api/conversation", b"{}", {"Content-Type": "application/json"}),
    )
    assert status == 200


def _is_object(body: bytes) -> bool:
    try:
        return isinstance(json.loads(body), dict)
    except (ValueError, RecursionError):
        return False


def test_malformed_requests_to_the_staff_consoles_sign_in(assistant):
    made = attempts(random.Random("/staff/api/login"), "/staff/api/login", {"name": "fuzz.name", "password": "x" * 12})
    check_all(assistant.config.staff_url, assistant.config.log_dir / "staff.log", made)
