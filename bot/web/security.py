"""Security headers on every response, and which other sites may call the API.

Same-origin by default. Sites listed in SSCBOT_WIDGET_ORIGINS may embed the
widget: they get CORS headers naming them, never `*`. A browser request from any
other site is refused before it reaches Rasa or the database.
"""

from __future__ import annotations

from typing import Iterable
from urllib.parse import urlsplit

from aiohttp import web

ALLOWED_ORIGINS = web.AppKey("allowed_origins", frozenset)

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
CORS_HEADERS = {
    "Access-Control-Allow-Methods": "GET, POST",
    "Access-Control-Allow-Headers": "Content-Type",
    "Access-Control-Max-Age": "600",
}


def install(app: web.Application, allowed_origins: Iterable[str]) -> None:
    app[ALLOWED_ORIGINS] = frozenset(allowed_origins)  # type: ignore[misc]  # aiohttp 3.9 wants AppKey
    app.middlewares.insert(0, _origins)
    app.on_response_prepare.append(_add_security_headers)  # type: ignore[arg-type]  # aiohttp's Signal typing


async def _add_security_headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.update(SECURITY_HEADERS)


@web.middleware
async def _origins(request: web.Request, handler) -> web.StreamResponse:
    origin = request.headers.get("Origin")
    if origin is None or urlsplit(origin).netloc == request.host:
        return await handler(request)
    if origin not in request.app[ALLOWED_ORIGINS]:
        return web.json_response({"error": "This site may not use the assistant."}, status=403)
    response = web.Response(status=204) if request.method == "OPTIONS" else await handler(request)
    response.headers.update({**CORS_HEADERS, "Access-Control-Allow-Origin": origin, "Vary": "Origin"})
    return response
