"""The widget's web server: the demo host page, the widget's files, and a small API.

    GET  /              a clinic's page with the widget on it (static/index.html, site.css)
    GET  /widget.js     the widget, embedded on any site with one <script> tag
    GET  /widget.css    its styles (widget.js adds them to the page)
    GET  /api/intro     the welcome, disclaimer and physician pointer from the content
                        store, and the message length limit: shown before the first message
    POST /api/chat      {"sender", "message"}: forwarded to Rasa's REST webhook; Rasa's
                        JSON list of messages comes back unchanged
    POST /api/feedback  {"sender", "content_id", "rating"}: the rating of an answer that this
                        conversation received (the tracker store says so), stored once per
                        answer; a later press changes it
    GET  /health        200 when the server is up (the launcher waits for it)

Errors are JSON {"error": "..."} with a sentence the widget can show.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Iterable

import aiohttp
import sqlalchemy as sa
from aiohttp import web

from bot.content.store import ContentStore
from bot.records.conversations import TrackerStoreError, received
from bot.records.ratings import FeedbackStore
from bot.settings import max_message_chars
from bot.web import security
from bot.web.validation import MAX_BODY_BYTES, ApiError, ChatRequest, FeedbackRequest, read_json

STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_FILES = {"/": "index.html", "/site.css": "site.css", "/widget.js": "widget.js", "/widget.css": "widget.css"}
RASA_TIMEOUT_S = 15.0  # below the widget's own 20 s, so the widget hears why
INTRO_SETTINGS = ("welcome", "disclaimer", "physician_pointer")

RASA_URL = web.AppKey("rasa_url", str)
RASA_TIMEOUT = web.AppKey("rasa_timeout", float)
HTTP = web.AppKey("http", aiohttp.ClientSession)
CONTENT = web.AppKey("content", ContentStore)
FEEDBACK = web.AppKey("feedback", FeedbackStore)
TRACKER: web.AppKey[sa.engine.Engine] = web.AppKey("tracker", sa.engine.Engine)

log = logging.getLogger(__name__)


def create_app(
    rasa_url: str,
    content: ContentStore,
    feedback: FeedbackStore,
    tracker: sa.engine.Engine,
    allowed_origins: Iterable[str] = (),
    rasa_timeout_s: float = RASA_TIMEOUT_S,
) -> web.Application:
    """`tracker`: the tracker store's database, where a rating is checked against the answers
    the conversation received."""
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[_json_errors])
    security.install(app, allowed_origins)
    app[RASA_URL] = f"{rasa_url.rstrip('/')}/webhooks/rest/webhook"
    app[RASA_TIMEOUT] = rasa_timeout_s
    app[CONTENT] = content
    app[FEEDBACK] = feedback
    app[TRACKER] = tracker
    app.cleanup_ctx.append(_http_session)
    for path, name in STATIC_FILES.items():
        app.router.add_get(path, _static_file(STATIC_DIR / name))
    app.router.add_get("/health", _health)
    app.router.add_get("/api/intro", _intro)
    app.router.add_post("/api/chat", _chat)
    app.router.add_post("/api/feedback", _feedback)
    return app


async def _http_session(app: web.Application):
    async with aiohttp.ClientSession() as session:
        app[HTTP] = session
        yield


def _static_file(path: Path):
    async def handler(request: web.Request) -> web.FileResponse:
        return web.FileResponse(path, headers={"Cache-Control": "no-cache"})

    return handler


async def _health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def _intro(request: web.Request) -> web.Response:
    content = request.app[CONTENT]
    intro = {key: content.setting(key) for key in INTRO_SETTINGS}
    return web.json_response({**intro, "max_message_chars": max_message_chars()})


async def _chat(request: web.Request) -> web.Response:
    chat = ChatRequest.parse(await read_json(request))
    app = request.app
    try:
        async with app[HTTP].post(
            app[RASA_URL],
            json={"sender": chat.sender, "message": chat.message},
            timeout=aiohttp.ClientTimeout(total=app[RASA_TIMEOUT]),
        ) as response:
            messages = await response.json() if response.status == 200 else None
    except asyncio.TimeoutError:
        raise ApiError(504, "The assistant is taking too long to answer. Please try again.") from None
    except (aiohttp.ClientError, ValueError):
        messages = None
    if not isinstance(messages, list):
        raise ApiError(502, "The assistant cannot be reached right now. Please try again in a moment.")
    return web.json_response(messages)


async def _feedback(request: web.Request) -> web.Response:
    content = request.app[CONTENT]
    rating = FeedbackRequest.parse(await read_json(request), lambda cid: content.item(cid) is not None)
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


@web.middleware
async def _json_errors(request: web.Request, handler) -> web.StreamResponse:
    """API errors as JSON with a readable sentence; unexpected ones logged, never shown."""
    try:
        return await handler(request)
    except ApiError as error:
        return web.json_response({"error": error.message}, status=error.status)
    except web.HTTPException as error:
        if not request.path.startswith("/api/"):
            raise
        return web.json_response({"error": error.reason}, status=error.status)
    except Exception:
        log.exception("unexpected error on %s %s", request.method, request.path)
        return web.json_response({"error": "Something went wrong on our side. Please try again."}, status=500)
