"""The `sscbot` commands that need no model run without Rasa, spaCy or TensorFlow (their start
time is in `make bench`'s notes, not timed here) and still do their work."""

import json
import os
import subprocess
import sys

from rasa.shared.core.domain import Domain

from bot.rasa_plugins.tracker_store import PreparedSQLTrackerStore
from bot.settings import PROJECT_DIR
from tests.unit.rasa_plugins.test_tracker_store_records import calcinosis_conversation

HEAVY = ("rasa", "spacy", "tensorflow")
RUN = (
    "import json, sys, contextlib, io\n"
    "from bot.run.cli import main\n"
    "out = io.StringIO()\n"
    "with contextlib.redirect_stdout(out):\n"
    "    code = main(sys.argv[1:])\n"
    f"print(json.dumps([code, out.getvalue(), sorted(m for m in {HEAVY} if m in sys.modules)]))\n"
)


def sscbot(tmp_path, *argv):
    env = {
        **os.environ,
        "SSCBOT_TRACKER_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
        "SSCBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'content.db'}",
        "SSCBOT_FEEDBACK_DATABASE_URL": f"sqlite:///{tmp_path / 'feedback.db'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", RUN, *argv], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.splitlines()[-1])


def test_the_commands_that_need_no_model_do_their_work_without_heavy_imports(tmp_path):
    code, out, heavy = sscbot(tmp_path, "content", "load")
    assert (code, heavy) == (0, []) and out.startswith("Content OK:")
    code, out, heavy = sscbot(tmp_path, "purge", "--days", "30")
    assert (code, heavy) == (0, []) and out.startswith("Deleted 0 conversations older than 30 days")
    store = PreparedSQLTrackerStore(
        Domain.load(PROJECT_DIR / "domain.yml"), dialect="sqlite", db=str(tmp_path / "tracker.db")
    )
    calcinosis_conversation(store, store.domain, "long-ago", start=1000.0)
    assert sscbot(tmp_path, "purge", "--days", "30")[:2] == [
        0,
        "Deleted 1 conversations older than 30 days, 0 ratings and 0 staff tries of their questions.\n",
    ]
    assert store.events_of("long-ago") == []
    for argv in (
        ("content", "load"),
        ("gaps", "report"),
        ("feedback", "report"),
        ("content", "digest"),
        ("staff", "list"),
    ):
        code, out, heavy = sscbot(tmp_path, *argv)
        assert (code, heavy) == (0, []), (argv, out)
