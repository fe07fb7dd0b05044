import base64
import os
import stat

import pytest

from bot.access.conversation_keys import ConversationKeys, key_from

KEY = b"k" * 32


def test_an_issued_id_is_128_random_bits_with_a_token_that_proves_it():
    keys = ConversationKeys(KEY)
    ids = {keys.issue()[0] for _ in range(1000)}
    assert len(ids) == 1000
    sender, token = keys.issue()
    assert len(base64.urlsafe_b64decode(sender + "==")) == 16
    assert keys.verify(sender, token)


def test_a_token_proves_only_its_own_id_under_its_own_key():
    keys, other_keys = ConversationKeys(KEY), ConversationKeys(b"o" * 32)
    first, first_token = keys.issue()
    second, second_token = keys.issue()
    assert not keys.verify(first, second_token)
    assert not keys.verify(second, first_token)
    assert not other_keys.verify(first, first_token)
    assert not keys.verify(first, first_token[:-1])


def test_a_short_key_is_refused():
    with pytest.raises(ValueError, match="at least 32"):
        ConversationKeys(b"short")


def test_the_key_file_is_made_once_private_and_then_reused(tmp_path):
    key_file = tmp_path / "var" / "conversation.key"
    old_umask = os.umask(0o022)
    try:
        first = key_from("", key_file)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first) == 64 and key_from("", key_file) == first


def test_a_key_from_the_environment_wins_and_writes_nothing(tmp_path):
    key_file = tmp_path / "conversation.key"
    assert key_from("x" * 40, key_file) == b"x" * 40
    assert not key_file.exists()
