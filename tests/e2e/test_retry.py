"""A message sent again with its `message_id` (the client never got the reply) is
answered with the replies it got the first time, and stored once."""

import pytest

from bot.run.rest_client import BotTurn
from tests.conftest import user_texts
from tests.e2e.test_security import webhook

pytestmark = pytest.mark.e2e


def test_a_retried_message_is_answered_once(assistant, sender):
    body_id = {"message_id": f"{sender}-0001"}
    first = webhook(assistant, sender, "what helps calcinosis?", extra=body_id)
    again = webhook(assistant, sender, "what helps calcinosis?", extra=body_id)
    assert first[0] == again[0] == 200
    assert [m.get("text") for m in BotTurn(again[1]).messages] == [m.get("text") for m in BotTurn(first[1]).messages]
    assert BotTurn(again[1]).answer["content_id"] == "skin.calcinosis_treatments"
    assert user_texts(assistant, sender) == ["what helps calcinosis?"]
    webhook(assistant, sender, "what helps calcinosis?", extra={"message_id": f"{sender}-0002"})
    assert user_texts(assistant, sender) == ["what helps calcinosis?"] * 2  # a new id is a new message


def test_a_malformed_message_id_is_refused(assistant, sender):
    status, reply, _ = webhook(assistant, sender, "hello", extra={"message_id": "x"})
    assert status == 400 and "message_id" in reply["error"]
