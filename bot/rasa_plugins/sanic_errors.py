"""Sanic's own answers, for requests that never reach the webhook's code: JSON, one log line.

Sanic answers an odd method, an oversized header or a malformed request itself. Here
- each such refusal is `{"error": "..."}` like the webhook's own, with one log line;
- a request whose headers Sanic could not read at all (`Content-Length: abc`), which
  Sanic 21.12 answers with a 500, gets a 400;
- a client's mistake logs no traceback, also when Sanic fails again reading the rest
  of a refused request (a broken chunked body): its refusal was logged already;
- a compressed body (any Content-Encoding but identity) is refused with 415 on every route;
- Rasa's root page (`GET /`, the health probe) says hello without Rasa's version.
(Slow clients: the patch bot.rasa_plugins.patches.request_timeout.)
Errors of the server itself still get Sanic's 500 (JSON) and their traceback.
"""

from __future__ import annotations

import logging
from typing import Any, Optional

from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import BaseHTTPResponse, HTTPResponse

from bot.access.guard import Refused, check_content_encoding

logger = logging.getLogger(__name__)
NOT_HTTP = "The request is not valid HTTP."
ROOT_PAGE = b"Hello from Rasa"  # Rasa's says "Hello from Rasa: 3.6.21"


def install(app: Sanic) -> None:
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.error_handler.add(Exception, _refusal)
    app.register_middleware(_uncompressed, "request")
    app.register_middleware(_no_version, "response")
    logging.getLogger("sanic.error").addFilter(_client_errors_logged_once)


def _client_error(exception: Optional[BaseException]) -> bool:
    while exception is not None:
        if isinstance(exception, SanicException) and exception.status_code < 500:
            return True
        exception = exception.__context__
    return False


def _refusal(request: Request, exception: Exception) -> Optional[HTTPResponse]:
    """A client's mistake: a JSON error and one log line. None (Sanic's default) for the rest."""
    unreadable = getattr(request, "route", None) is None and isinstance(exception, ValueError)
    status = 400 if unreadable else getattr(exception, "status_code", 500)
    if status >= 500:
        return None
    message = NOT_HTTP if unreadable else (str(exception).splitlines() or [""])[0][:200]
    logger.warning("refused a request: %d %s", status, message)
    return response.json({"error": message}, status=status, headers=getattr(exception, "headers", None))


async def _uncompressed(request: Request) -> Optional[HTTPResponse]:
    try:
        check_content_encoding(request.headers.get("content-encoding"))
    except Refused as refused:
        logger.warning("refused a request: %d %s", refused.status, refused.message)
        return response.json({"error": refused.message}, status=refused.status)
    return None


async def _no_version(request: Request, reply: BaseHTTPResponse) -> None:
    if request.path == "/" and reply.status == 200 and (reply.body or b"").startswith(ROOT_PAGE + b":"):
        reply.body = ROOT_PAGE


def _client_errors_logged_once(record: logging.LogRecord) -> bool:
    exc_info: Any = record.exc_info
    return not (exc_info and _client_error(exc_info[1]))
