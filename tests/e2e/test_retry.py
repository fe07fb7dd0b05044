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
    assert again[1] == first[1]  # the welcome, the answer, its buttons and its contract, as they were
    assert BotTurn(again[1]).contracts[0]["content_id"] == "welcome"
    assert BotTurn(again[1]).answer["content_id"] == "skin.calcinosis_treatments"
    assert user_texts(assistant, sender) == ["what helps calcinosis?"]
    webhook(assistant, sender, "what helps calcinosis?", extra={"message_id": f"{sender}-0002"})
    assert user_texts(assistant, sender) == ["what helps calcinosis?"] * 2  # a new id is a new message


def test_a_retried_urgent_message_gets_the_same_urgent_advice_first(assistant, sender):
    body_id = {"message_id": f"{sender}-0001"}
    webhook(assistant, sender, "hi")
    first = webhook(assistant, sender, "I have crushing chest pain right now", extra=body_id)
    again = webhook(assistant, sender, "I have crushing chest pain right now", extra=body_id)
    assert again[1] == first[1] and BotTurn(again[1]).contracts[0]["kind"] == "emergency"
    assert user_texts(assistant, sender) == ["hi", "I have crushing chest pain right now"]


def test_a_malformed_message_id_is_refused(assistant, sender):
    status, reply, _ = webhook(assistant, sender, "hello", extra={"message_id": "x"})
    assert status == 400 and "message_id" in reply["error"]
