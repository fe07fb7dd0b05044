"""What the widget may send, checked before anything reaches Rasa or the database.

Every refusal is an `ApiError`: an HTTP status and a sentence a person can read.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Dict, Optional

from aiohttp import web

from bot.records.ratings import RATINGS
from bot.safety.incoming import MESSAGE_ID
from bot.settings import client_timeout_s, max_message_chars

MAX_BODY_BYTES = 8 * 1024
SENDER_PATTERN = re.compile(r"[A-Za-z0-9_-]{8,64}")


class ApiError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def too_slow(seconds: float) -> str:
    return f"The request did not arrive in time (within {seconds:g} s). Please try again."


async def read_json(request: web.Request) -> Dict[str, Any]:
    """The request's JSON object, or an ApiError that says what is wrong with it; its body
    must arrive within SSCBOT_CLIENT_TIMEOUT_S (slow clients)."""
    if request.content_type != "application/json":
        raise ApiError(415, "Send the request as JSON (Content-Type: application/json).")
    timeout = client_timeout_s()
    try:
        body = await asyncio.wait_for(request.read(), timeout)
    except asyncio.TimeoutError:
        raise ApiError(408, too_slow(timeout)) from None
    except web.HTTPRequestEntityTooLarge:
        raise ApiError(413, f"The request is too large (at most {MAX_BODY_BYTES} bytes).") from None
    try:
        data = json.loads(body.decode("utf-8"))
    except (ValueError, RecursionError):  # not UTF-8 or JSON, a number too long, nested too deep
        raise ApiError(400, "The request is not valid JSON (or nested too deeply, or a number too long).") from None
    if not isinstance(data, dict):
        raise ApiError(400, "The request must be a JSON object.")
    return data


def _sender(data: Dict[str, Any]) -> str:
    sender = data.get("sender")
    if not isinstance(sender, str) or not SENDER_PATTERN.fullmatch(sender):
        raise ApiError(400, "sender must be 8 to 64 letters, digits, '-' or '_'.")
    return sender


@dataclass(frozen=True)
class ChatRequest:
    sender: str
    message: str
    message_id: Optional[str] = None  # the widget's id for this message: a retry is answered once

    @classmethod
    def parse(cls, data: Dict[str, Any]) -> ChatRequest:
        message = data.get("message")
        if not isinstance(message, str) or not message.strip():
            raise ApiError(400, "message must be some text.")
        limit = max_message_chars()
        if len(message) > limit:
            raise ApiError(413, f"Your message is too long: please use at most {limit} characters.")
        message_id = data.get("message_id")
        if message_id is not None and not (isinstance(message_id, str) and MESSAGE_ID.fullmatch(message_id)):
            raise ApiError(400, "message_id must be 8 to 64 letters, digits, '-' or '_'.")
        return cls(_sender(data), message.strip(), message_id)


@dataclass(frozen=True)
class FeedbackRequest:
    sender: str
    content_id: str
    rating: str

    @classmethod
    def parse(cls, data: Dict[str, Any], is_known_content: Callable[[str], bool]) -> FeedbackRequest:
        content_id = data.get("content_id")
        if not isinstance(content_id, str) or not is_known_content(content_id):
            raise ApiError(400, "content_id must name an answer of the assistant.")
        rating = data.get("rating")
        if rating not in RATINGS:
            raise ApiError(400, f"rating must be one of: {', '.join(RATINGS)}.")
        return cls(_sender(data), content_id, rating)
