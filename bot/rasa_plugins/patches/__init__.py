"""Patches to Rasa's own code (and to the Sanic it pins), one module each, saying what it replaces, why, and what it
gained (the figures are in each module). Those worth under 1 ms per message were dropped
(#23: `Domain.is_empty` cached, 0.04 ms); the classifier's is a component of its own
(bot.rasa_plugins.sentence_classifier).

They are applied by `apply()`, in the one entry point through which the project runs Rasa
(bot.run.rasa_server: `rasa train`, `rasa test`, `rasa shell` and `rasa run`), before Rasa
starts. `apply()` refuses any Rasa but the one the patches were written for.
"""

from __future__ import annotations

from typing import List

import rasa

from bot.rasa_plugins.patches import (
    action_reply_validation,
    action_timeout,
    event_lookup,
    graph_runner,
    request_timeout,
)

PINNED_RASA = "3.6.21"  # the version each patch was read against; requirements.lock pins it
PATCHES = (
    action_reply_validation,
    event_lookup,
    graph_runner,
    action_timeout,
    request_timeout,
)


class UnexpectedRasaVersion(RuntimeError):
    """The installed Rasa is not the one the patches replace code of."""


def check_rasa_version() -> None:
    """Refuse to run on a Rasa whose code the patches (and our tracker store) were not read against."""
    if rasa.__version__ != PINNED_RASA:
        raise UnexpectedRasaVersion(
            f"bot.rasa_plugins replaces code of Rasa {PINNED_RASA}, but Rasa {rasa.__version__} is "
            f"installed. Install the locked versions (make install), or read each patch against the new "
            f"Rasa's code and then change PINNED_RASA."
        )


def apply() -> List[str]:
    """Apply every patch (once); the names of the patches active."""
    check_rasa_version()
    for patch in PATCHES:
        if not patch.active():
            patch.apply()
    return active()


def active() -> List[str]:
    return [patch.__name__.rsplit(".", 1)[1] for patch in PATCHES if patch.active()]
