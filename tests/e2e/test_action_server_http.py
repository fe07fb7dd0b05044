"""The action server's HTTP contract, on the real server process."""

import json
import urllib.error
import urllib.request

import pytest


def post(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def action_call(action, text, intent, entities=()):
    return {
        "next_action": action,
        "sender_id": "http-test",
        "version": "3.6.21",
        "domain": {},
        "tracker": {
            "sender_id": "http-test",
            "slots": {"concept": None, "question_type": None},
            "latest_message": {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": list(entities)},
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
    }


@pytest.mark.e2e
def test_health_and_the_list_of_actions(assistant):
    with urllib.request.urlopen(f"{assistant.config.action_url}/health", timeout=10) as response:
        assert json.loads(response.read()) == {"status": "ok"}
    with urllib.request.urlopen(f"{assistant.config.action_url}/actions", timeout=10) as response:
        names = {a["name"] for a in json.loads(response.read())}
    assert {
        "action_answer_question",
        "action_urgent_advice",
        "action_guardrail",
        "action_out_of_scope",
        "action_not_understood",
        "action_session_start",
    } <= names


@pytest.mark.e2e
def test_webhook_runs_an_action_and_returns_events_and_responses(assistant):
    entity = {"entity": "manifestation", "value": "calcinosis"}
    status, body = post(
        f"{assistant.config.action_url}/webhook",
        action_call("action_answer_question", "what helps calcinosis", "ask_treatment", [entity]),
    )
    assert status == 200
    assert [(e["event"], e["name"], e["value"]) for e in body["events"]][:2] == [
        ("slot", "question_type", "treatments"),
        ("slot", "concept", "calcinosis"),
    ]
    explained = body["events"][2]
    assert explained["name"] == "explained" and "calcinosis" in explained["value"]
    assert body["responses"][1]["custom"]["content_id"] == "skin.calcinosis_treatments"
    assert "Refractory Skin Involvement" in body["responses"][0]["text"]


@pytest.mark.e2e
def test_unknown_action_is_a_clear_404(assistant):
    status, body = post(f"{assistant.config.action_url}/webhook", action_call("action_nope", "hi", "greet"))
    assert status == 404
    assert "action_nope" in body["error"]


@pytest.mark.e2e
def test_the_action_server_runs_its_actions_without_tensorflow(assistant):
    """bot.run.action_server rules TensorFlow out; the actions (and spaCy) load without it."""
    pid = assistant.processes["actions"].pid
    command = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")
    assert b"bot.run.action_server" in command
    maps = open(f"/proc/{pid}/maps").read()
    assert "spacy" in maps and "tensorflow" not in maps
