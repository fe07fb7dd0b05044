"""Scripted dialogues against the real servers: the staff's scripts pass, a wrong
expectation fails and the reports say why, and a real conversation records into a
script that passes."""

import textwrap
import xml.etree.ElementTree as ET

import pytest

from bot.content.files import TOPICS
from bot.dialogues.record import record_script, script_yaml
from bot.dialogues.runner import run_script, run_scripts
from bot.dialogues.script import load_scripts
from bot.run.cli import main
from bot.settings import PROJECT_DIR

pytestmark = pytest.mark.e2e


def write(folder, text, name="script.yml"):
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def test_every_staff_script_passes(assistant):
    """`dialogues/` is what support staff run before a release; it runs in `make test` too."""
    code = main(
        [
            "dialogues",
            "run",
            str(PROJECT_DIR / "dialogues"),
            "--url",
            assistant.config.rasa_url,
            "--report",
            str(PROJECT_DIR / "results" / "dialogues"),
        ]
    )
    assert code == 0, (PROJECT_DIR / "results" / "dialogues" / "dialogues.junit.xml").read_text()


def test_the_staff_scripts_cover_every_topic_and_kind():
    scripts = load_scripts([PROJECT_DIR / "dialogues"])
    expectations = [turn.expect for script in scripts for turn in script.turns]
    topics = {e["topic"] for e in expectations if "topic" in e}
    kinds = {e["kind"] for e in expectations if "kind" in e}
    actions = {turn.action for script in scripts for turn in script.turns}
    assert len(scripts) >= 25
    assert topics >= set(TOPICS)
    assert kinds == {"answer", "emergency", "guardrail", "out_of_scope", "fallback", "smalltalk", "clarify"}
    assert actions == {"user", "click", "restart"}


CALCINOSIS = """
- name: Calcinosis and a button
  turns:
    - user: what helps calcinosis?
      topic: skin
      kind: answer
      says: "From: Treatment Options for Refractory Systemic Sclerosis"
      buttons: "What is calcinosis?"
      disclaimer: true
    - click: What is calcinosis?
      content_id: glossary.calcinosis
"""

WRONG = """
- name: Expects the wrong topic
  turns:
    - user: what helps calcinosis?
      topic: lung
      says: calcium lumps
      disclaimer: true
"""


def test_a_passing_script_passes(assistant, tmp_path):
    [script] = load_scripts([write(tmp_path, CALCINOSIS)])
    result = run_script(script, assistant.config.rasa_url)
    assert result.passed, result.failure
    ask, click = result.turns
    assert click.sent.startswith("/ask_definition")  # the button's payload was sent
    assert click.reply.answer["content_id"] == "glossary.calcinosis"


def test_a_wrong_expectation_fails_and_the_reports_show_why(assistant, tmp_path, capsys):
    path = write(tmp_path, CALCINOSIS + WRONG)
    code = main(
        [
            "dialogues",
            "run",
            str(path),
            "--url",
            assistant.config.rasa_url,
            "--jobs",
            "2",
            "--report",
            str(tmp_path / "report"),
        ]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "PASS Calcinosis and a button" in out
    assert "FAIL Expects the wrong topic" in out
    assert "turn 1 (line 14) 'user: what helps calcinosis?': topic: expected 'lung', got 'skin'" in out
    assert "2 scripts, 1 failed" in out

    page = (tmp_path / "report" / "dialogues.html").read_text()
    assert "FAILED" in page and "expected" in page
    assert "- calcium lumps" in page  # the text diff
    assert "Calcinosis means calcium salts build up in the skin" in page  # what came back

    suite = ET.parse(tmp_path / "report" / "dialogues.junit.xml").getroot()
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")
    [failure] = suite.iter("failure")
    assert "topic: expected 'lung', got 'skin'" in failure.get("message")


def test_a_missing_button_and_a_timeout_stop_the_script_with_a_reason(assistant, tmp_path):
    missing = """
    - name: Clicks a button that is not there
      turns:
        - user: what helps calcinosis?
        - click: Tell me a joke
        - user: thanks
    """
    [script] = load_scripts([write(tmp_path, missing)])
    result = run_script(script, assistant.config.rasa_url)
    assert not result.passed and len(result.turns) == 2
    assert "no button 'Tell me a joke' in the previous reply (offered: 'What is calcinosis?'" in result.failure

    [slow] = run_scripts(
        load_scripts([write(tmp_path, CALCINOSIS, "slow.yml")]), assistant.config.rasa_url, timeout=0.001
    )
    assert not slow.passed and "no reply within 0.001 s" in slow.failure


def test_a_recorded_conversation_becomes_a_passing_script(assistant, client, sender, tmp_path):
    first = client.send(sender, "what helps calcinosis?")
    button = first.buttons[0]
    client.send(sender, button["payload"])
    client.send(sender, "/restart")
    client.send(sender, "I have crushing chest pain right now")

    tracker = f"sqlite:///{assistant.config.tracker_db}"
    recorded = record_script(tracker, sender, name="Recorded")
    turns = recorded["turns"]
    assert [next(iter(t)) for t in turns] == ["user", "click", "restart", "user"]
    assert turns[0]["topic"] == "skin" and turns[0]["kind"] == "answer" and turns[0]["disclaimer"] is True
    assert turns[1]["click"] == button["title"]
    assert turns[2]["kind"] == "smalltalk"
    assert turns[3]["emergency"] is True

    [script] = load_scripts([write(tmp_path, script_yaml(recorded))])
    result = run_script(script, assistant.config.rasa_url)
    assert result.passed, result.failure


def test_record_command_writes_a_file_and_refuses_unknown_conversations(assistant, client, sender, tmp_path, capsys):
    client.send(sender, "what is raynaud's?")
    tracker = f"sqlite:///{assistant.config.tracker_db}"
    out = tmp_path / "recorded.yml"
    assert main(["dialogues", "record", sender, "--tracker-db", tracker, "--out", str(out)]) == 0
    [script] = load_scripts([out])
    assert script.turns[0].text == "what is raynaud's?" and script.turns[0].expect["topic"] == "vascular"

    assert main(["dialogues", "record", "nobody-here", "--tracker-db", tracker]) == 2
    assert "no conversation with sender id 'nobody-here'" in capsys.readouterr().err
