"""Each patch to Rasa (bot.rasa_plugins.patches) keeps Rasa's behaviour, and `apply()`
refuses an unexpected Rasa."""

import gc

import jsonschema
import pytest
import rasa
from rasa.core.actions.action import RemoteAction

from bot.rasa_plugins import patches
from bot.rasa_plugins.channel import freeze_loaded_objects

ALL = [
    "action_reply_validation",
    "event_lookup",
    "graph_runner",
    "action_timeout",
    "request_timeout",
]


def test_apply_makes_every_patch_active():
    assert patches.apply() == ALL


def test_an_unexpected_rasa_is_refused(monkeypatch):
    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    with pytest.raises(patches.UnexpectedRasaVersion, match="replaces code of Rasa 3.6.21, but Rasa 3.7.0"):
        patches.apply()


GOOD = {
    "events": [{"event": "slot", "name": "concept", "value": "calcinosis"}],
    "responses": [{"text": "Calcinosis ...", "buttons": [{"title": "What is it?", "payload": "/ask"}]}],
}


def _rasa_verdict(result):
    try:
        jsonschema.validate(result, RemoteAction.action_response_format_spec())
        return None
    except jsonschema.ValidationError as error:
        return error.message


@pytest.mark.parametrize(
    "result",
    [GOOD, {"events": [{"event": 5}]}, {"responses": "text"}, {"events": [{"event": "slot"}], "responses": []}, {}],
)
def test_action_replies_get_rasas_verdict(result):
    expected = _rasa_verdict(result)
    if expected is None:
        assert RemoteAction("action_x", None)._validate_action_result(result) is True
    else:
        with pytest.raises(jsonschema.ValidationError) as raised:
            RemoteAction("action_x", None)._validate_action_result(result)
        assert raised.value.message.startswith(expected)
        assert "Failed to validate Action server response" in raised.value.message


def test_objects_alive_after_start_are_frozen_out_of_collections():
    try:
        freeze_loaded_objects()
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
