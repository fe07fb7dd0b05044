"""Conversation ids that the widget server issues, and the token that proves one.

An id is 128 random bits; its token is an HMAC-SHA256 of the id under a secret key,
so the server keeps nothing per conversation and nobody can make a token for an id
they were not given.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import Tuple

ID_BYTES = 16  # 128 bits
KEY_BYTES = 32
MIN_KEY_CHARS = 32


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


class ConversationKeys:
    def __init__(self, key: bytes):
        if len(key) < MIN_KEY_CHARS:
            raise ValueError(f"the conversation key must be at least {MIN_KEY_CHARS} characters")
        self._key = key

    def issue(self) -> Tuple[str, str]:
        """A new conversation id and its token."""
        conversation_id = _b64(secrets.token_bytes(ID_BYTES))
        return conversation_id, self.token_for(conversation_id)

    def token_for(self, conversation_id: str) -> str:
        return _b64(hmac.new(self._key, conversation_id.encode("utf-8"), hashlib.sha256).digest())

    def verify(self, conversation_id: str, token: str) -> bool:
        return hmac.compare_digest(self.token_for(conversation_id), token)


def key_from(value: str, key_file: Path) -> bytes:
    """`value` (from the environment) if set; else the key in `key_file`, created (0600,
    exactly once even when several servers start together) on first use."""
    if value:
        return value.encode("utf-8")
    key_file.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key(key_file)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secrets.token_hex(KEY_BYTES))
    return _read_key(key_file)


def _read_key(key_file: Path) -> bytes:
    key = key_file.read_text(encoding="ascii").strip()
    if len(key) < MIN_KEY_CHARS:  # a server that is writing it right now
        raise ValueError(f"{key_file}: the conversation key is shorter than {MIN_KEY_CHARS} characters")
    return key.encode("ascii")
