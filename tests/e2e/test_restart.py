"""Conversations live in the SQL tracker store: they survive a restart of the servers."""

import pytest

from bot.run.launcher import Assistant
from bot.run.rest_client import RestClient
from tests.conftest import assistant_config


@pytest.mark.e2e
def test_conversation_continues_after_a_restart(tmp_path, sender):
    config = assistant_config(tmp_path)
    with Assistant(config):
        first = RestClient(config.rasa_url).send(sender, "what helps a renal crisis?")
        assert first.answer["content_id"] == "kidney.renal_crisis_treatments"
    with Assistant(config):
        after = RestClient(config.rasa_url).send(sender, "what is that?")
    assert after.answer["content_id"] == "glossary.renal_crisis"
    assert "welcome" not in [c["content_id"] for c in after.contracts], "a restart must not start a new conversation"
