"""Check and clean one request to the REST webhook before the assistant sees it."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Optional

MAX_SENDER_CHARS = 64  # the feedback store's conversation_id column
SENDER = re.compile(rf"[A-Za-z0-9._:@+-]{{1,{MAX_SENDER_CHARS}}}")
MESSAGE_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
# Control and invisible characters, and lone surrogates (which no database can store).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff\ud800-\udfff]")


class BadRequest(ValueError):
    """A request that cannot be a patient's message; the text says what is wrong."""


@dataclass(frozen=True)
class Incoming:
    sender: str
    text: str  # cleaned: no control characters, outer whitespace removed
    message_id: Optional[str] = None  # the client's id: a retry with it is answered once

    @property
    def is_empty(self) -> bool:
        return not self.text

    def too_long(self, max_chars: int) -> bool:
        return len(self.text) > max_chars


def clean_text(text: str) -> str:
    """Normalised (NFC), control and invisible characters dropped, line breaks kept, trimmed."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\t", " ")
    return CONTROL.sub("", text).strip()


def _sender(value: object) -> str:
    if value is None:
        raise BadRequest("`sender` is missing: give each conversation its own id")
    if not isinstance(value, str):
        raise BadRequest("`sender` must be a text")
    if not SENDER.fullmatch(value):
        raise BadRequest(f"`sender` must be 1 to {MAX_SENDER_CHARS} letters, digits or . _ : @ + -")
    return value


def parse_body(body: Optional[bytes]) -> Incoming:
    """The sender and the cleaned message of a webhook request body; BadRequest if malformed."""
    try:
        data = json.loads((body or b"").decode("utf-8"))
    except UnicodeDecodeError:
        raise BadRequest("the request body must be UTF-8 encoded JSON") from None
    except (ValueError, RecursionError):  # also a number too long, nesting too deep
        raise BadRequest('the request body must be JSON: {"sender": "...", "message": "..."}') from None
    if not isinstance(data, dict):
        raise BadRequest('the request body must be a JSON object: {"sender": "...", "message": "..."}')
    message = data.get("message")
    if not isinstance(message, str):
        raise BadRequest("`message` must be a text")
    message_id = data.get("message_id")
    if message_id is not None and not (isinstance(message_id, str) and MESSAGE_ID.fullmatch(message_id)):
        raise BadRequest("`message_id`, when given, must be 8 to 64 letters, digits, '-' or '_'")
    return Incoming(_sender(data.get("sender")), clean_text(message), message_id)
