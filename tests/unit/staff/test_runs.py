"""Runs in plain words, stopped on request and kept; checks as sentences."""

import threading
import time
from pathlib import Path

import pytest

from bot.content.files import TOPICS
from bot.content.replies import KINDS
from bot.dialogues.checks import check_reply
from bot.dialogues.runner import ScriptResult, TurnResult
from bot.dialogues.script import Script, Turn
from bot.run.rest_client import BotTurn
from bot.staff import runs as runs_module
from bot.staff.accounts import StaffStore
from bot.staff.plain_words import KIND_NAMES, TOPIC_NAMES, Wording, choices
from bot.staff.runs import RunStore, script_json

WORDING = Wording(
    {
        "out_of_scope.pregnancy": "What about pregnancy and children?",
        "welcome": "Welcome message",
        "skin.calcinosis_treatments": "What helps calcinosis?",
    }
)
PREGNANCY = [
    {"text": "The article does not cover pregnancy.\nThis is general information, not medical advice."},
    {
        "custom": {
            "topic": "out_of_scope",
            "kind": "out_of_scope",
            "content_id": "out_of_scope.pregnancy",
            "disclaimer": True,
        }
    },
]


def sentences(expect, messages=PREGNANCY):
    return [(c["sentence"], c["outcome"]) for c in map(WORDING.check, check_reply(expect, BotTurn(messages)))]


def test_every_topic_and_kind_has_a_plain_name():
    assert set(TOPIC_NAMES) == set(TOPICS) and set(KIND_NAMES) == set(KINDS)
    assert TOPIC_NAMES["lung"] == "Lungs"
    listed = choices([])
    assert {"id": "lung", "name": "Lungs"} in listed["topics"] and listed["items"][0]["id"] == "welcome"


def test_checks_that_pass_read_as_sentences():
    assert sentences(
        {
            "disclaimer": True,
            "content_id": "out_of_scope.pregnancy",
            "topic": "out_of_scope",
            "emergency": False,
            "says": "pregnancy",
            "not_says": "mg",
        }
    ) == [
        ("Shows the disclaimer", ""),
        ("Gives the answer “What about pregnancy and children?”", ""),
        ("Is about Not covered by the article", ""),
        ("Is not the urgent-care advice", ""),
        ("Says “pregnancy”", ""),
        ("Does not say “mg”", ""),
    ]


def test_checks_that_fail_say_what_the_assistant_did_instead():
    assert sentences(
        {
            "topic": "lung",
            "kind": "answer",
            "content_id": "skin.calcinosis_treatments",
            "buttons": "Is there a cure?",
            "emergency": True,
            "offers": ["skin.calcinosis_treatments"],
            "says": "calcium",
        }
    ) == [
        ("Is about Lungs", "it was about Not covered by the article"),
        ("Kind of reply: An answer from the content", "it gave: Says the article does not cover it"),
        ("Gives the answer “What helps calcinosis?”", "it gave “What about pregnancy and children?”"),
        ("Offers the button “Is there a cure?”", "it offered no buttons"),
        ("Gives the urgent-care advice", "it was not"),
        ("Asks back, offering “What helps calcinosis?”", "it did not ask back"),
        ("Says “calcium”", "the reply does not say it"),
    ]
    assert sentences({"content_id": "welcome"}, [])[0] == (
        "Gives the welcome message",
        "it gave no answer from the content",
    )
    assert sentences({}, []) == [("Replies", "there was no reply")]


def test_a_failed_script_says_why_in_plain_words():
    turn = Turn(3, "user", "can I get pregnant?", {"disclaimer": True, "topic": "lung"})
    script = Script("Pregnancy", Path("dialogues/x.yml"), 1, (turn,))
    played = TurnResult(turn, turn.text, BotTurn(PREGNANCY), check_reply(turn.expect, BotTurn(PREGNANCY)))
    result = script_json(ScriptResult(script, "dialogue-1", [played]), WORDING)
    assert result["failure"] == "Turn 1: Is about Lungs ✗ (it was about Not covered by the article)"
    assert result["turns"][0]["action"] == "user" and result["turns"][0]["text"] == "can I get pregnant?"


@pytest.fixture
def store(tmp_path):
    url = f"sqlite:///{tmp_path / 'feedback.db'}"
    StaffStore.create(url)
    return RunStore(url)


def test_a_stopped_run_plays_no_further_script_and_is_kept_as_stopped(store, monkeypatch):
    playing, go_on = threading.Semaphore(0), threading.Event()

    def run_script(script, url):
        playing.release()
        go_on.wait(10)
        return ScriptResult(script, "dialogue-x", [])

    monkeypatch.setattr(runs_module, "run_script", run_script)
    scripts = [Script(f"Script {n}", Path("x.yml"), n, (Turn(n, "user", "hi"),)) for n in range(10)]
    run_id = store.start(scripts, "nurse.jo", "ssc.tar.gz 0123456789ab", "abcdef", "http://x", WORDING)
    assert playing.acquire(timeout=10) and playing.acquire(timeout=10)  # two at once
    assert store.stop(run_id)
    go_on.set()
    for _ in range(100):
        if store.get(run_id)["finished"]:
            break
        time.sleep(0.05)
    run = store.get(run_id)
    assert run["finished"] and run["stopped"] and run["done"] == 2 and run["total"] == 10
    assert (run["model_file"], run["model_hash"]) == ("ssc.tar.gz", "0123456789ab")
    assert not store.stop(run_id)  # not playing any more
    assert [r["stopped"] for r in store.recent()] == [True]


def test_a_run_played_to_the_end_is_not_stopped(store, monkeypatch):
    monkeypatch.setattr(runs_module, "run_script", lambda script, url: ScriptResult(script, "dialogue-x", []))
    scripts = [Script("Only", Path("x.yml"), 1, (Turn(1, "user", "hi"),))]
    run_id = store.start(scripts, "nurse.jo", "ssc.tar.gz 0123", "abcdef", "http://x", WORDING)
    for _ in range(100):
        if store.get(run_id)["finished"]:
            break
        time.sleep(0.05)
    assert store.get(run_id)["stopped"] is False and store.get(run_id)["done"] == 1
