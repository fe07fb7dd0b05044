"""The Rasa server: `python -m bot.run.rasa_server run ...` is `python -m rasa run ...`, started sooner.

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


if __name__ == "__main__":
    if sys.argv[1:2] == ["run"]:
        try:
            require_secrets(interface(sys.argv[2:]), ["SSCBOT_WEBHOOK_TOKEN"])
        except ValueError as error:
            sys.exit(f"Cannot start the Rasa server: {error}")
        sys.argv[2:] = with_response_timeout(sys.argv[2:])
        os.environ["SANIC_RESPONSE_TIMEOUT"] = str(option(sys.argv[2:], (RESPONSE_TIMEOUT,)))
    if sys.argv[1:2] in (["run"], ["shell"]):
        problem = refusal(sys.argv[2:])
        if problem:
            sys.exit(f"Cannot start the Rasa server: {problem}")
    try:
        os.environ.update(endpoint_variables(os.environ))
    except ValueError as error:
        sys.exit(f"Cannot start the Rasa server: {error}")
    runpy.run_module("rasa", run_name="__main__", alter_sys=True)
