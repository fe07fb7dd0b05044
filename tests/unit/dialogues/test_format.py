"""The scripted-dialogue format: valid scripts parse, every kind of mistake is reported
with its file and line before anything runs."""

import textwrap

import pytest

from bot.dialogues.checks import check_reply
from bot.dialogues.script import ScriptFormatError, load_scripts
from bot.run.cli import main
from bot.run.rest_client import BotTurn


def write(folder, name, text):
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def problems_of(*paths):
    with pytest.raises(ScriptFormatError) as error:
        load_scripts(list(paths))
    return [(p.file.name, p.line, p.message) for p in error.value.problems]


VALID = """
- name: Calcinosis
  description: asks, then clicks
  turns:
    - user: what helps calcinosis?
      topic: skin
      kind: answer
      says: [calcinosis, "From:"]
      buttons: "What is calcinosis?"
      disclaimer: true
    - click: What is calcinosis?
      content_id: glossary.calcinosis
- name: Restart
  turns:
    - restart: true
      kind: smalltalk
"""


def test_a_valid_file_gives_scripts_with_their_lines(tmp_path):
    first, second = load_scripts([write(tmp_path, "ok.yml", VALID)])
    assert (first.name, first.line, first.description) == ("Calcinosis", 1, "asks, then clicks")
    ask, click = first.turns
    assert (ask.action, ask.text, ask.line) == ("user", "what helps calcinosis?", 4)
    assert ask.expect["says"] == ["calcinosis", "From:"] and ask.expect["disclaimer"] is True
    assert (click.action, click.text, click.line, click.label) == (
        "click",
        "What is calcinosis?",
        10,
        "click: What is calcinosis?",
    )
    assert (second.turns[0].action, second.turns[0].text) == ("restart", "/restart")


def test_a_single_mapping_is_one_script_and_folders_are_searched(tmp_path):
    write(tmp_path, "one.yml", "name: One\nturns:\n  - user: hi\n")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "two.yaml", VALID)
    names = [s.name for s in load_scripts([tmp_path])]
    assert names == ["One", "Calcinosis", "Restart"]


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("- name: X\n  turns:\n    - user: [unclosed\n", 4, "not valid YAML"),
        ("", 1, "is empty"),
        ("- just a text\n", 1, "a script must be a mapping"),
        ("- turns:\n    - user: hi\n", 1, "needs a `name:`"),
        ("- name: X\n", 1, "needs `turns:`"),
        ("- name: X\n  turns: []\n", 2, "needs `turns:`"),
        ("- name: X\n  turn:\n    - user: hi\n", 2, "unknown key `turn` in a script (did you mean `turns`?)"),
        ("- name: X\n  turns:\n    - user: hi\n      topik: skin\n", 4, "did you mean `topic`?"),
        ("- name: X\n  turns:\n    - user: hi\n      kind: answer\n      kind: fallback\n", 5, "`kind` is given twice"),
        ("- name: X\n  turns:\n    - user: hi\n      click: Yes\n", 3, "exactly one of `user:`, `click:`"),
        ("- name: X\n  turns:\n    - topic: skin\n", 3, "exactly one of `user:`, `click:`"),
        ("- name: X\n  turns:\n    - user: ''\n", 3, "`user:` needs a text"),
        ("- name: X\n  turns:\n    - restart: yes please\n", 3, "write `restart: true`"),
        ("- name: X\n  turns:\n    - click: What is calcinosis?\n", 3, "the first turn must type"),
        ("- name: X\n  turns:\n    - user: hi\n      topic: skn\n", 4, "`topic` must be one of"),
        ("- name: X\n  turns:\n    - user: hi\n      kind: answered\n", 4, "`kind` must be one of"),
        ("- name: X\n  turns:\n    - user: hi\n      says: 3\n", 4, "`says` must be a text or a list of texts"),
        ("- name: X\n  turns:\n    - user: hi\n      not_says: ['']\n", 4, "`not_says` must be a text"),
        ("- name: X\n  turns:\n    - user: hi\n      disclaimer: maybe\n", 4, "`disclaimer` must be true or false"),
        ("- name: X\n  turns:\n    - user: hi\n      emergency: 1\n", 4, "`emergency` must be true or false"),
        ("- name: X\n  turns:\n    - hi\n", 3, "turn 1 of script 'X' must be a mapping"),
    ],
)
def test_each_kind_of_mistake_is_reported_with_file_and_line(tmp_path, text, line, message):
    problems = problems_of(write(tmp_path, "bad.yml", text))
    assert [(file, found_line) for file, found_line, found in problems if message in found] == [("bad.yml", line)]


def test_every_problem_in_every_file_is_reported_at_once(tmp_path):
    one = write(tmp_path, "one.yml", "- name: Same\n  turns:\n    - user: hi\n      kind: nope\n")
    two = write(tmp_path, "two.yml", "- name: Same\n  turns:\n    - user: hi\n- name: Other\n  turns: []\n")
    problems = problems_of(one, two, tmp_path / "missing.yml")
    assert ("one.yml", 4) in [(f, line) for f, line, _ in problems]
    assert any(f == "two.yml" and "already used at" in m and "one.yml:1" in m for f, _, m in problems)
    assert any(f == "two.yml" and line == 5 and "needs `turns:`" in m for f, line, m in problems)
    assert any(f == "missing.yml" and "no such file" in m for f, _, m in problems)


def test_the_command_reports_malformed_scripts_before_running_any(tmp_path, capsys):
    bad = write(tmp_path, "bad.yml", "- name: X\n  turns:\n    - user: hi\n      kind: answered\n")
    # The URL leads nowhere: the format check must come first, so nothing is reached.
    code = main(["dialogues", "run", str(bad), "--url", "http://127.0.0.1:9", "--report", str(tmp_path / "r")])
    err = capsys.readouterr().err
    assert code == 2
    assert "nothing was run" in err and f"{bad}:4:" in err and "`kind` must be one of" in err
    assert not (tmp_path / "r").exists()


def test_an_unreachable_assistant_is_a_clear_error(tmp_path, capsys):
    good = write(tmp_path, "ok.yml", VALID)
    code = main(["dialogues", "run", str(good), "--url", "http://127.0.0.1:9", "--timeout", "2"])
    assert code == 2
    assert "cannot reach the assistant at http://127.0.0.1:9" in capsys.readouterr().err


@pytest.mark.parametrize("option", [["--jobs", "0"], ["--timeout", "-1"]])
def test_bad_options_are_refused(option, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["dialogues", "run", *option])
    assert exit_.value.code == 2 and "must be more than 0" in capsys.readouterr().err


REPLY = BotTurn(
    [
        {
            "text": "Calcinosis means calcium salts build up in the skin.\nFrom: the article.",
            "buttons": [{"title": "What is calcinosis?", "payload": "/x"}],
        },
        {"custom": {"topic": "skin", "kind": "answer", "content_id": "skin.calcinosis", "disclaimer": True}},
    ]
)


def test_checks_read_the_contract_and_the_visible_text():
    checks = check_reply(
        {
            "topic": "skin",
            "kind": "answer",
            "says": ["CALCIUM salts", "from:"],
            "not_says": "dose",
            "buttons": ["what is calcinosis?"],
            "disclaimer": True,
            "emergency": False,
            "content_id": "skin.calcinosis",
        },
        REPLY,
    )
    assert [c.name for c in checks if not c.passed] == []


def test_failed_checks_say_what_was_expected_and_what_came():
    checks = {
        c.name: c
        for c in check_reply(
            {"topic": "lung", "says": "calcium lumps", "not_says": "skin", "buttons": "What helps?", "emergency": True},
            REPLY,
        )
    }
    assert not any(c.passed for c in checks.values())
    assert checks["topic"].summary == "topic: expected 'lung', got 'skin'"
    assert "- calcium lumps" in checks["says"].diff
    assert "+ Calcinosis means calcium salts build up in the skin." in checks["says"].diff
    assert checks["buttons"].actual == ["What is calcinosis?"]


def test_an_empty_reply_fails_even_without_expectations():
    [check] = check_reply({}, BotTurn([]))
    assert not check.passed and check.actual == "no reply"
