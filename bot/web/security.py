"""Security headers on every response, and which sites may call the API.

The assistant's own site (its public address, compared with scheme and port, never
the Host header) and the sites listed in SSCBOT_WIDGET_ORIGINS may call it; the
listed ones get CORS headers naming them, never `*`. A request from any other site
is refused before it reaches Rasa or the database. Headers beyond a sane size are
refused with a JSON 431, a compressed body (any Content-Encoding but identity) with a
JSON 415 before it is read.

Every response names no server version; with an https public address it carries HSTS;
the APIs' replies (/api/, /staff/api/) are never stored by a browser or a proxy.
"""

from __future__ import annotations

import functools
import logging
from typing import Dict

from aiohttp import web

from bot import settings
from bot.access.guard import Guard, Refused, check_content_encoding
from bot.access.origins import Verdict

GUARD = web.AppKey("guard", Guard)
log = logging.getLogger(__name__)
MAX_HEADER_BYTES = 8 * 1024  # all headers together; the HTTP parser allows more (bot.web.serving)

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Server": "sscbot",  # instead of aiohttp's, which names its and Python's versions
}
HSTS = {"Strict-Transport-Security": "max-age=31536000; includeSubDomains"}
NOT_STORED = ("/api/", "/staff/api/")
CORS_HEADERS = {
    "Access-Control-Allow-Methods": "GET, POST",
    "Access-Control-Allow-Headers": "Authorization, Content-Type",
    "Access-Control-Max-Age": "600",
}


def install(app: web.Application, guard: Guard) -> None:
    app[GUARD] = guard
    app.middlewares.insert(0, _origins)
    app.on_response_prepare.append(functools.partial(_add_headers, response_headers()))


def response_headers() -> Dict[str, str]:
    """The headers of every response; HSTS when the public address is https."""
    return {**SECURITY_HEADERS, **(HSTS if settings.public_url().startswith("https://") else {})}


async def _add_headers(headers: Dict[str, str], request: web.Request, response: web.StreamResponse) -> None:
    response.headers.update(headers)
    if request.path.startswith(NOT_STORED):
        response.headers["Cache-Control"] = "no-store"


def _refusal(request: web.Request, refused: Refused) -> web.Response:
    log.warning("refused %s %s: %d %s", request.method, request.path[:200], refused.status, refused.message)
    return web.json_response({"error": refused.message}, status=refused.status, headers=refused.headers)


@web.middleware
async def _origins(request: web.Request, handler) -> web.StreamResponse:
    header_bytes = sum(len(name) + len(value) + 4 for name, value in request.raw_headers)
    if header_bytes > MAX_HEADER_BYTES:
        return _refusal(request, Refused(431, f"The request headers are too large (at most {MAX_HEADER_BYTES} bytes)."))
    origin = request.headers.get("Origin")
    try:
        check_content_encoding(request.headers.get("Content-Encoding"))
        verdict = request.app[GUARD].check_origin(origin)
    except Refused as refused:
        return _refusal(request, refused)
    if verdict is not Verdict.LISTED_SITE:
        return await handler(request)
    response = web.Response(status=204) if request.method == "OPTIONS" else await handler(request)
    response.headers.update({**CORS_HEADERS, "Access-Control-Allow-Origin": str(origin), "Vary": "Origin"})
    return response
