import pytest

from bot.access.guard import Guard, Refused, bearer_token, check_content_encoding, check_token, guard_from_settings
from bot.access.origins import OriginPolicy
from bot.access.rate_limits import Rate


@pytest.mark.parametrize(
    "header, token",
    [
        ("Bearer abc", "abc"),
        ("bearer  abc ", "abc"),
        ("Basic abc", None),
        ("Bearer", None),
        (None, None),
        ("", None),
    ],
)
def test_bearer_token(header, token):
    assert bearer_token(header) == token


def test_a_missing_token_is_401_and_a_wrong_one_403():
    check_token("Bearer right", "right")
    with pytest.raises(Refused) as missing:
        check_token(None, "right")
    with pytest.raises(Refused) as wrong:
        check_token("Bearer wrong", "right")
    assert (missing.value.status, wrong.value.status) == (401, 403)


def test_both_servers_admit_in_one_order_address_token_conversation():
    """A request refused for its token still counts for its address; a conversation's limit is
    only taken once the token is right; the widget server's own check and messages fit in."""
    guard = Guard(OriginPolicy.of([]), per_conversation=Rate(1, 30), per_address=Rate(3, 30))
    with pytest.raises(Refused) as missing:
        guard.admit("198.51.100.1", None, None, "right", "c1")
    with pytest.raises(Refused) as wrong:
        guard.admit("198.51.100.1", None, "Bearer wrong", lambda token: token == "right", "c1", ("none", "not yours"))
    assert (missing.value.status, wrong.value.status, wrong.value.message) == (401, 403, "not yours")
    guard.admit("198.51.100.1", None, "Bearer right", "right", "c1")  # c1's one message
    with pytest.raises(Refused) as over:
        guard.admit("198.51.100.1", None, None, "", None)  # no token needed: the address is over its 3
    assert over.value.status == 429 and "from your network" in over.value.message


def test_over_the_limit_is_429_with_retry_after():
    guard = Guard(OriginPolicy.of([]), per_conversation=Rate(1, 30), per_address=Rate(2, 30))
    guard.check_address("198.51.100.1", None)
    guard.check_conversation("c1")
    with pytest.raises(Refused) as conversation:
        guard.check_conversation("c1")
    assert conversation.value.status == 429 and conversation.value.headers == {"Retry-After": "30"}
    assert "in this conversation" in conversation.value.message
    guard.check_address("198.51.100.1", None)
    with pytest.raises(Refused) as address:
        guard.check_address("198.51.100.1", None)
    assert "from your network" in address.value.message


@pytest.mark.parametrize(
    "other, shared",
    [
        ("2001:db8::2", True),  # the same /64: one home, one device
        ("2001:DB8:0:0:ffff::9", True),
        ("2001:db8:0:1::1", False),  # the next /64
        ("::ffff:198.51.100.1", False),
    ],
)
def test_one_ipv6_64_is_one_client(other, shared):
    guard = Guard(OriginPolicy.of([]), per_address=Rate(1, 60))
    guard.check_address("2001:db8::1", None)
    if shared:
        with pytest.raises(Refused):
            guard.check_address(other, None)
    else:
        guard.check_address(other, None)


def test_an_ipv4_mapped_address_is_its_ipv4_address():
    guard = Guard(OriginPolicy.of([]), per_address=Rate(1, 60))
    guard.check_address("198.51.100.1", None)
    with pytest.raises(Refused):
        guard.check_address("::ffff:198.51.100.1", None)
    guard.check_address("198.51.100.2", None)  # IPv4 addresses stay one client each


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "GZIP", "identity, gzip", "x-anything"])
def test_a_compressed_body_is_refused(encoding):
    with pytest.raises(Refused) as refused:
        check_content_encoding(encoding)
    assert refused.value.status == 415


@pytest.mark.parametrize("encoding", [None, "", "identity", " Identity "])
def test_an_uncompressed_body_is_accepted(encoding):
    check_content_encoding(encoding)


def test_the_webhook_is_unlimited_and_the_widget_limited_by_default(monkeypatch):
    for name in ("SSCBOT_WIDGET_RATE_PER_CONVERSATION", "SSCBOT_WEBHOOK_RATE_PER_ADDRESS", "SSCBOT_WIDGET_ORIGINS"):
        monkeypatch.delenv(name, raising=False)
    assert guard_from_settings("WEBHOOK", []).per_address is None
    assert guard_from_settings("WIDGET", []).per_conversation == Rate(20, 60)
    monkeypatch.setenv("SSCBOT_WEBHOOK_RATE_PER_ADDRESS", "many")
    with pytest.raises(ValueError, match="SSCBOT_WEBHOOK_RATE_PER_ADDRESS"):
        guard_from_settings("WEBHOOK", [])
