"""The Rasa server: `python -m bot.run.rasa_server run ...` is `python -m rasa run ...`, started sooner.

When first imported, skops (which loads the trained intent classifier) works out
which types it trusts by looking for each of about 750 types in every loaded
module. Rasa imports it while loading the model, after TensorFlow and the rest of
Rasa are loaded: then that search took about 10 of the server's 17 s to start.
Imported here first, it searches the few modules loaded so far.

`run` on an interface beyond loopback (Rasa's default is 0.0.0.0) refuses to start
without SSCBOT_WEBHOOK_TOKEN (bot.access.exposure).
"""

import runpy
import sys
from typing import List

import skops.io  # noqa: F401  (before Rasa: see above)

from bot.access.exposure import require_secrets

RASA_DEFAULT_INTERFACE = "0.0.0.0"


def interface(argv: List[str]) -> str:
    """The interface `rasa run` will listen on, from its command line."""
    for index, arg in enumerate(argv):
        if arg in ("-i", "--interface") and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--interface="):
            return arg.split("=", 1)[1]
    return RASA_DEFAULT_INTERFACE


if __name__ == "__main__":
    if sys.argv[1:2] == ["run"]:
        try:
            require_secrets(interface(sys.argv[2:]), ["SSCBOT_WEBHOOK_TOKEN"])
        except ValueError as error:
            sys.exit(f"Cannot start the Rasa server: {error}")
    runpy.run_module("rasa", run_name="__main__", alter_sys=True)
