"""Errors as JSON, for the widget server and the staff console alike."""

from __future__ import annotations

import logging

from aiohttp import web

from bot.access.guard import Refused
from bot.web.validation import ApiError

log = logging.getLogger(__name__)


@web.middleware
async def json_errors(request: web.Request, handler) -> web.StreamResponse:
    """Errors as JSON with a readable sentence and one log line; unexpected ones logged, never shown."""
    try:
        return await handler(request)
    except (ApiError, Refused) as error:
        log.warning("refused %s %s: %d %s", request.method, request.path[:200], error.status, error.message)
        headers = error.headers if isinstance(error, Refused) else {}
        return web.json_response({"error": error.message}, status=error.status, headers=headers)
    except web.HTTPException as error:
        log.warning("refused %s %s: %d %s", request.method, request.path[:200], error.status, error.reason)
        return web.json_response({"error": error.reason}, status=error.status)
    except Exception:
        log.exception("unexpected error on %s %s", request.method, request.path)
        return web.json_response({"error": "Something went wrong on our side. Please try again."}, status=500)
