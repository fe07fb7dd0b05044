"""The widget's web server: the demo host page, the widget's files, and a small API.

    GET  /              a clinic's page with the widget on it (static/index.html, site.css)
    GET  /widget.js     the widget, embedded on any site with one <script> tag
    GET  /widget.css    its styles (widget.js adds them to the page)
    GET  /api/intro     the welcome, disclaimer and physician pointer from the content
                        store, the message length limit and the days after which the widget
                        forgets an unused conversation: shown before the first message
    GET  /api/questions the questions the content answers, for the widget's type-ahead (matched
                        in the browser: what a patient types is not sent until they send it):
                        each item's title, the payload of its button and the phrases it is
                        asked with (`asked_as`, and the names and lay words of its concept)
    POST /api/conversation  {}: a new conversation, {"sender": id, "token": token}; the id
                        is 128 random bits, the token its HMAC under the server's key
    POST /api/chat      {"sender", "message", "message_id"?}: forwarded to Rasa's REST webhook;
                        Rasa's JSON list of messages comes back unchanged ("forget me" included);
                        sent again with the same message_id, it is answered once
    POST /api/feedback  {"sender", "content_id", "rating"}: the rating of an answer that this
                        conversation received (the replies the tracker store keeps), stored once per
                        answer; a later press changes it
    GET  /health        200 when the server is up (the launcher waits for it)

Chat and feedback carry the conversation's token (Authorization: Bearer ...): 401
without it, 403 with another conversation's. Every POST is JSON from an allowed site
(bot.web.security) and within the rate limits (429 with Retry-After); the per-address limit
is counted before the token is checked, so that requests refused for their token count too.
Errors are JSON {"error": "..."} with a sentence the widget can show, and one log line.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from pathlib import Path
from typing import Any, Dict, List, Optional

import sqlalchemy as sa
from aiohttp import web

from bot.access.conversation_keys import ConversationKeys
from bot.access.guard import Guard
from bot.content.files import load_library
from bot.content.replies import button_for
from bot.content.store import ContentStore
from bot.records.conversations import TrackerStoreError
from bot.records.ratings import FeedbackStore
from bot.records.replies import received
from bot.settings import content_dir, max_message_chars, widget_idle_days
from bot.web import rasa_proxy, security
from bot.web.errors import json_errors
from bot.web.validation import MAX_BODY_BYTES, ApiError, ChatRequest, FeedbackRequest, read_json

STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_FILES = {"/": "index.html", "/site.css": "site.css", "/widget.js": "widget.js", "/widget.css": "widget.css"}
RASA_TIMEOUT_S = 15.0  # below the widget's own 20 s, so the widget hears why
INTRO_SETTINGS = ("welcome", "disclaimer", "physician_pointer")

CONTENT = web.AppKey("content", ContentStore)
FEEDBACK = web.AppKey("feedback", FeedbackStore)
TRACKER: web.AppKey[sa.engine.Engine] = web.AppKey("tracker", sa.engine.Engine)
KEYS = web.AppKey("keys", ConversationKeys)
TOKEN_MISSING = "This conversation's token is missing: please reload the page to start a new conversation."
TOKEN_WRONG = "This conversation's token is not valid: please reload the page to start a new conversation."

log = logging.getLogger(__name__)


def create_app(
    rasa_url: str,
    content: ContentStore,
    feedback: FeedbackStore,
    tracker: sa.engine.Engine,
    guard: Guard,
    keys: ConversationKeys,
    rasa_timeout_s: float = RASA_TIMEOUT_S,
    webhook_token: str = "",
) -> web.Application:
    """`tracker`: the tracker store's database, where a rating is checked against the answers
    the conversation received. `guard`: allowed sites and rate limits; `keys`: conversation
    tokens; `webhook_token`: sent to Rasa's webhook when it requires one."""
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[json_errors])
    security.install(app, guard)
    app[KEYS] = keys
    rasa_proxy.install(app, rasa_url, rasa_timeout_s, webhook_token)
    app[CONTENT] = content
    app[FEEDBACK] = feedback
    app[TRACKER] = tracker
    for path, name in STATIC_FILES.items():
        app.router.add_get(path, _static_file(STATIC_DIR / name))
    app.router.add_get("/health", _health)
    app.router.add_get("/api/intro", _intro)
    app.router.add_get("/api/questions", _questions)
    app.router.add_post("/api/conversation", _conversation)
    app.router.add_post("/api/chat", _chat)
    app.router.add_post("/api/feedback", _feedback)
    return app


def _static_file(path: Path):
    async def handler(request: web.Request) -> web.FileResponse:
        return web.FileResponse(path, headers={"Cache-Control": "no-cache"})

    return handler


async def _health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def _intro(request: web.Request) -> web.Response:
    content = request.app[CONTENT]
    intro = {key: content.setting(key) for key in INTRO_SETTINGS}
    limits = {"max_message_chars": max_message_chars(), "conversation_idle_days": widget_idle_days()}
    return web.json_response({**intro, **limits})


async def _questions(request: web.Request) -> web.Response:
    response = web.json_response({"questions": typeahead_questions()})
    response.enable_compression()
    return response


@functools.cache
def typeahead_questions() -> List[Dict[str, Any]]:
    """Every medical item, and the honest replies to the questions patients often ask (those
    with `asked_as`): a title to offer, the payload that opens it, the phrases to match. From
    content/ (the store keeps no `asked_as`), read once."""
    library = load_library(content_dir())
    names = {item.concept: item.terms for item in library.defining_items()}
    return [
        {**button_for(item), "phrases": [p.replace("...", " ") for p in (*item.asked_as, *names.get(item.concept, ()))]}
        for item in library.items.values()
        if item.answers != "safety" or item.asked_as
    ]


def _admit(request: web.Request, conversation: Optional[str] = None) -> None:
    """Within this client's rate limit (counted before the token is checked, so that refused
    requests count too) and, for a conversation, carrying its token and within its limit."""
    keys = request.app[KEYS]
    request.app[security.GUARD].admit(
        request.remote,
        request.headers.get("X-Forwarded-For"),
        request.headers.get("Authorization"),
        None if conversation is None else functools.partial(keys.verify, conversation),
        conversation,
        (TOKEN_MISSING, TOKEN_WRONG),
    )


async def _conversation(request: web.Request) -> web.Response:
    await read_json(request)
    _admit(request)
    sender, token = request.app[KEYS].issue()
    return web.json_response({"sender": sender, "token": token})


async def _chat(request: web.Request) -> web.Response:
    chat = ChatRequest.parse(await read_json(request))
    _admit(request, chat.sender)
    body = {"sender": chat.sender, "message": chat.message}
    if chat.message_id:
        body["message_id"] = chat.message_id
    messages = await rasa_proxy.ask_rasa(request.app, body)
    return web.json_response(messages)


async def _feedback(request: web.Request) -> web.Response:
    content = request.app[CONTENT]
    rating = FeedbackRequest.parse(await read_json(request), lambda cid: content.item(cid) is not None)
    _admit(request, rating.sender)
    loop = asyncio.get_running_loop()
    try:
        answered = await loop.run_in_executor(None, received, request.app[TRACKER], rating.sender, rating.content_id)
    except TrackerStoreError:
        log.exception("cannot check a rating against the tracker store")
        raise ApiError(503, "Ratings cannot be stored right now. Please try again later.") from None
    if not answered:
        raise ApiError(403, "Only an answer this conversation received can be rated.")
    store = request.app[FEEDBACK]
    await loop.run_in_executor(None, store.rate, rating.sender, rating.content_id, rating.rating)
    return web.json_response({"stored": True})
