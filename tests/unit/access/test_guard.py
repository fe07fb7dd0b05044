import pytest

from bot.access.guard import Guard, Refused, bearer_token, check_token, guard_from_settings
from bot.access.origins import OriginPolicy
from bot.access.rate_limits import Rate


@pytest.mark.parametrize("header, token", [
    ("Bearer abc", "abc"), ("bearer  abc ", "abc"), ("Basic abc", None), ("Bearer", None), (None, None), ("", None),
])
def test_bearer_token(header, token):
    assert bearer_token(header) == token


def test_a_missing_token_is_401_and_a_wrong_one_403():
    check_token("Bearer right", "right")
    with pytest.raises(Refused) as missing:
        check_token(None, "right")
    with pytest.raises(Refused) as wrong:
        check_token("Bearer wrong", "right")
    assert (missing.value.status, wrong.value.status) == (401, 403)


def test_over_the_limit_is_429_with_retry_after():
    guard = Guard(OriginPolicy.of([]), per_conversation=Rate(1, 30), per_address=Rate(2, 30))
    guard.check_rate("198.51.100.1", None, "c1")
    with pytest.raises(Refused) as conversation:
        guard.check_rate("198.51.100.1", None, "c1")
    assert conversation.value.status == 429 and conversation.value.headers == {"Retry-After": "30"}
    assert "in this conversation" in conversation.value.message
    with pytest.raises(Refused) as address:
        guard.check_rate("198.51.100.1", None, "c2")
    assert "from your network" in address.value.message


def test_the_webhook_is_unlimited_and_the_widget_limited_by_default(monkeypatch):
    for name in ("SSCBOT_WIDGET_RATE_PER_CONVERSATION", "SSCBOT_WEBHOOK_RATE_PER_ADDRESS", "SSCBOT_WIDGET_ORIGINS"):
        monkeypatch.delenv(name, raising=False)
    assert guard_from_settings("WEBHOOK", []).per_address is None
    assert guard_from_settings("WIDGET", []).per_conversation == Rate(20, 60)
    monkeypatch.setenv("SSCBOT_WEBHOOK_RATE_PER_ADDRESS", "many")
    with pytest.raises(ValueError, match="SSCBOT_WEBHOOK_RATE_PER_ADDRESS"):
        guard_from_settings("WEBHOOK", [])
