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
without SSCBOT_WEBHOOK_TOKEN (bot.access.exposure).
"""

import runpy
import sys
from typing import List

import skops.io  # noqa: F401  (before Rasa: see above)

from bot.access.exposure import require_secrets
from bot.rasa_plugins import patches

RASA_DEFAULT_INTERFACE = "0.0.0.0"


def interface(argv: List[str]) -> str:
    """The interface `rasa run` will listen on, from its command line."""
    for index, arg in enumerate(argv):
        if arg in ("-i", "--interface") and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--interface="):
            return arg.split("=", 1)[1]
    return RASA_DEFAULT_INTERFACE


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
    patch_rasa()
    sys.argv = ["rasa", *argv]
    runpy.run_module("rasa", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
