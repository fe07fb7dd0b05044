"""The Rasa command with our patches: `python -m bot.run.rasa_server ARGS` is `rasa ARGS`
(`train`, `test`, `shell`, `run` ...) on Rasa patched first (bot.rasa_plugins.patches).
Every way the project runs Rasa goes through it: the Makefile's `rasa` targets, `sscbot
run`, `shell` and `cluster`, the benchmark, the NLU cross-validation and the tests.

When first imported, skops (which loads the trained intent classifier) works out
which types it trusts by looking for each of about 750 types in every loaded
module. Rasa imports it while loading the model, after TensorFlow and the rest of
Rasa are loaded: then that search took about 10 of the server's 17 s to start.
Imported here first, it searches the few modules loaded so far.

`run` on an interface beyond loopback (Rasa's default is 0.0.0.0) refuses to start
without SSCBOT_WEBHOOK_TOKEN (bot.access.exposure). `run` and `shell` refuse a model file
made from other content than content/ in what the model uses (bot.content.model_parts):
Rasa itself would log the error and serve without a model. The variables endpoints.yml
names are set from the settings here (bot.run.stores), whoever starts the server.

Timeouts: the one place for the Rasa server's response timeout is Rasa's own
`--response-timeout`, 60 s here unless given (Rasa's default is an hour). Rasa applies it
only with its HTTP API on, so `run` also hands it to Sanic (SANIC_RESPONSE_TIMEOUT) for the
webhook alone. Sanic's request and keep-alive timeouts, which Rasa has no setting for, are
set by the REST channel (bot.rasa_plugins.channel).
"""

import os
import runpy
import sys
from pathlib import Path
from typing import List, Optional

import skops.io  # noqa: F401  (before Rasa: see above)

from bot import settings
from bot.access.exposure import require_secrets
from bot.content import model_parts
from bot.rasa_plugins import patches
from bot.run.stores import endpoint_variables

RASA_DEFAULT_INTERFACE = "0.0.0.0"
RESPONSE_TIMEOUT = "--response-timeout"
RESPONSE_TIMEOUT_S = "60"


def option(argv: List[str], names: tuple) -> Optional[str]:
    """The value of the first of `names` on a command line, None if it is not there."""
    for index, arg in enumerate(argv):
        if arg in names and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith(tuple(f"{name}=" for name in names if name.startswith("--"))):
            return arg.split("=", 1)[1]
    return None


def interface(argv: List[str]) -> str:
    """The interface `rasa run` will listen on, from its command line."""
    return option(argv, ("-i", "--interface")) or RASA_DEFAULT_INTERFACE


def with_response_timeout(argv: List[str]) -> List[str]:
    """`rasa run`'s arguments, with --response-timeout 60 unless one is given."""
    return argv if option(argv, (RESPONSE_TIMEOUT,)) else [*argv, RESPONSE_TIMEOUT, RESPONSE_TIMEOUT_S]


def refusal(argv: List[str]) -> Optional[str]:
    """Why the model file on this command line cannot serve content/, or None."""
    model = Path(option(argv, ("-m", "--model")) or "")
    if not model.is_file():
        return None  # Rasa picks or reports the model itself
    return model_parts.mismatch(model_parts.archive_digest(model), settings.content_dir(), f"The trained model {model}")


def patch_rasa() -> None:
    """The patches applied, and said so (on stderr: Rasa's logging is not set up yet)."""
    print(f"Rasa {patches.PINNED_RASA} patches active: {', '.join(patches.apply())}", file=sys.stderr, flush=True)


def main(argv: List[str]) -> None:
    """`rasa` with `argv` (without the program name), patched."""
    if argv[:1] == ["run"]:
        try:
            require_secrets(interface(argv[1:]), ["SSCBOT_WEBHOOK_TOKEN"])
        except ValueError as error:
            sys.exit(f"Cannot start the Rasa server: {error}")
        argv = [argv[0], *with_response_timeout(argv[1:])]
        os.environ["SANIC_RESPONSE_TIMEOUT"] = str(option(argv[1:], (RESPONSE_TIMEOUT,)))
    if argv[:1] in (["run"], ["shell"]):
        problem = refusal(argv[1:])
        if problem:
            sys.exit(f"Cannot start the Rasa server: {problem}")
    try:
        os.environ.update(endpoint_variables(os.environ))
    except ValueError as error:
        sys.exit(f"Cannot start the Rasa server: {error}")
    patch_rasa()
    sys.argv = ["rasa", *argv]
    runpy.run_module("rasa", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
