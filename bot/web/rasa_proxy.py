"""The widget server's one way to Rasa's REST webhook, for the patient widget and the staff
console alike: the app's HTTP session, the webhook token when one is set, a time limit, and
a sentence a person can read when Rasa is slow (504) or cannot be reached (502)."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List

import aiohttp
from aiohttp import web

from bot.web.validation import ApiError

RASA_URL = web.AppKey("rasa_url", str)  # the webhook's URL
RASA_TIMEOUT = web.AppKey("rasa_timeout", float)
WEBHOOK_TOKEN = web.AppKey("webhook_token", str)
HTTP = web.AppKey("http", aiohttp.ClientSession)


def install(app: web.Application, rasa_url: str, timeout_s: float, webhook_token: str) -> None:
    app[RASA_URL] = f"{rasa_url.rstrip('/')}/webhooks/rest/webhook"
    app[RASA_TIMEOUT] = timeout_s
    app[WEBHOOK_TOKEN] = webhook_token
    app.cleanup_ctx.append(_http_session)


async def _http_session(app: web.Application):
    async with aiohttp.ClientSession() as session:
        app[HTTP] = session
        yield


async def ask_rasa(app: web.Application, body: Dict[str, Any]) -> List[Dict[str, Any]]:
    """Rasa's list of messages for one webhook request; ApiError 504 or 502 otherwise."""
    token = app[WEBHOOK_TOKEN]
    try:
        async with app[HTTP].post(
            app[RASA_URL],
            json=body,
            headers={"Authorization": f"Bearer {token}"} if token else None,
            timeout=aiohttp.ClientTimeout(total=app[RASA_TIMEOUT]),
        ) as response:
            messages = await response.json() if response.status == 200 else None
    except asyncio.TimeoutError:
        raise ApiError(504, "The assistant is taking too long to answer. Please try again.") from None
    except (aiohttp.ClientError, ValueError):
        messages = None
    if not isinstance(messages, list):
        raise ApiError(502, "The assistant cannot be reached right now. Please try again in a moment.")
    return messages
