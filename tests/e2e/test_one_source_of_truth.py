"""The trained model and content/ (issue #23): the model works from its own copy of what it
uses of content/, and every start compares that with the files. An edit to a red-flag rule
or a term without `make train` is refused, naming it; an edit to a text the model does not
use needs no training and is what patients see once it is loaded."""

import os
import subprocess
import sys

import pytest

from bot.run.launcher import Assistant, LoadError, free_port
from bot.run.rest_client import RestClient
from bot.settings import PROJECT_DIR
from tests.conftest import assistant_config

pytestmark = pytest.mark.e2e

MODEL = PROJECT_DIR / "models" / "ssc.tar.gz"
EDITS_THE_MODEL_USES = {
    "a red-flag rule": ("red_flags.yml", "phrases: [chest pain, ", "phrases: [chest ache, chest pain, "),
    "a term": ("glossary.yml", "terms: [calcinosis, ", "terms: [calcinosis, calcium stones, "),
}


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def with_content(tmp_path, content_dir):
    config = assistant_config(tmp_path)
    config.env["SSCBOT_CONTENT_DIR"] = str(content_dir)
    return config


@pytest.mark.parametrize("what", EDITS_THE_MODEL_USES)
def test_an_edit_the_model_uses_without_training_is_refused_at_start(tmp_path, content_copy, what):
    edit(content_copy / EDITS_THE_MODEL_USES[what][0], *EDITS_THE_MODEL_USES[what][1:])
    config = with_content(tmp_path, content_copy)

    assistant = Assistant(config)
    with pytest.raises(LoadError) as refused:
        assistant.start()
    assert f"The trained model {MODEL} does not match {content_copy}" in str(refused.value)
    assert "Run `make train`, then start again." in str(refused.value)
    assert assistant.processes == {}

    run = subprocess.run(  # what an operator sees from `sscbot run`
        [sys.executable, "-m", "bot.run.cli", "run", "--port", str(free_port()), "--web-port", str(free_port())],
        cwd=PROJECT_DIR,
        env=assistant.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2 and "Run `make train`" in run.stderr

    rasa = subprocess.run(  # the Rasa server's own entry point (compose, Helm) refuses it too
        [
            sys.executable,
            "-m",
            "bot.run.rasa_server",
            "run",
            "--model",
            str(MODEL),
            "-i",
            "127.0.0.1",
            "-p",
            str(free_port()),
        ],
        cwd=PROJECT_DIR,
        env=assistant.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert rasa.returncode == 1
    assert "Cannot start the Rasa server: The trained model" in rasa.stderr and "Run `make train`" in rasa.stderr


def test_an_answer_the_model_does_not_use_needs_no_training_and_shows_once_loaded(tmp_path, content_copy):
    edit(
        content_copy / "emergency.yml",
        "Tell them you have systemic sclerosis (scleroderma).",
        "Tell them you have systemic sclerosis (scleroderma), and bring your list of medicines.",
    )
    config = with_content(tmp_path, content_copy)
    loaded = subprocess.run(
        [sys.executable, "-m", "bot.run.cli", "content", "load", "--model", str(MODEL)],
        cwd=PROJECT_DIR,
        env={**os.environ, **config.env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert loaded.returncode == 0 and "Content OK" in loaded.stdout

    with Assistant(config) as running:
        turn = RestClient(running.config.rasa_url).send("patient", "I have crushing chest pain right now")
    assert turn.answer["kind"] == "emergency"
    assert "and bring your list of medicines" in turn.text
