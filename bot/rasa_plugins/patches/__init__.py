"""Patches to Rasa's own code (and to the Sanic it pins), one module each, saying what it replaces, why, and what it
gained (measured with `make bench`; the figures are in each module).

They are applied by `apply()`, which the modules Rasa loads from config.yml and
credentials.yml call when Rasa imports them (bot.rasa_plugins.component_base, the REST
channel): so `rasa train`, `rasa test`, `rasa shell`, `make run` and the tests all run the
same patched code. `apply()` refuses any Rasa but the one the patches were written for.
"""

from __future__ import annotations

import logging
from typing import List

import rasa

from bot.rasa_plugins.patches import (
    action_reply_validation,
    action_timeout,
    classifier_input,
    empty_domain,
    event_lookup,
    graph_runner,
    request_timeout,
)

logger = logging.getLogger(__name__)

PINNED_RASA = "3.6.21"  # the version each patch was read against; requirements.lock pins it
PATCHES = (
    action_reply_validation,
    event_lookup,
    graph_runner,
    classifier_input,
    empty_domain,
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
    if not all(patch.active() for patch in PATCHES):
        for patch in PATCHES:
            if not patch.active():
                patch.apply()
        logger.info("Rasa %s patches active: %s", rasa.__version__, ", ".join(active()))
    return active()


def active() -> List[str]:
    return [patch.__name__.rsplit(".", 1)[1] for patch in PATCHES if patch.active()]
