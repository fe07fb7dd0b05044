"""Content is read once per process, and written to the content store only by the
explicit load step: importing the actions writes nothing, and the action server refuses
to start from a store that was never loaded."""

import os
import subprocess
import sys

from bot.content.repository import content, load_into_store
from bot.settings import PROJECT_DIR


def test_content_is_read_once_per_process():
    assert content() is content()
    assert content().library.items and content().red_flags.flags


def test_the_load_step_fills_the_store(tmp_path):
    store = load_into_store(f"sqlite:///{tmp_path / 'content.db'}")
    assert len(store.items()) == len(content().library.items)


def _python(code, tmp_path, *args):
    env = {
        **os.environ,
        "SSCBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'never-loaded.db'}",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "PYTHONWARNINGS": "ignore",
    }
    return subprocess.run(
        [sys.executable, *code, *args], cwd=PROJECT_DIR, env=env, text=True, capture_output=True, timeout=120
    )


def test_importing_the_actions_writes_nothing(tmp_path):
    run = _python(["-c", "import actions, actions.answer_question, actions.fallbacks, actions.safety"], tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert not (tmp_path / "never-loaded.db").exists()


def test_the_action_server_refuses_a_store_that_was_never_loaded(tmp_path):
    run = _python(["-m", "bot.run.action_server", "--actions", "actions", "--port", "1"], tmp_path)
    assert run.returncode == 1
    assert "cannot answer from the content store" in run.stderr and "sscbot content load" in run.stderr
