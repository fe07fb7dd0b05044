"""Replaces Rasa's wait for the action server, the constant
`rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT` (300 s, no setting), with 20 s. A turn
must end well inside the conversation lock's 60 s, or a later turn (or "forget me")
could run beside it; a slow answer still has twice the patient's reply timeout
(SSCBOT_REPLY_TIMEOUT_S, 10 s) to arrive. Gain: no turn holds a conversation for 5
minutes when the action server hangs (tests/e2e/test_faults.py)."""

import rasa.core.actions.action as rasa_action

ACTION_TIMEOUT_S = 20


def apply() -> None:
    rasa_action.DEFAULT_REQUEST_TIMEOUT = ACTION_TIMEOUT_S


def active() -> bool:
    return rasa_action.DEFAULT_REQUEST_TIMEOUT == ACTION_TIMEOUT_S
