"""Serve the widget's app on a port, with every error as JSON.

aiohttp answers a request its HTTP parser cannot read (a malformed request line, a
header beyond the parser's limits) itself, in plain text, and logs a traceback. Here
those answers are JSON like every other error, with one log line. The parser's limits
are raised so that an oversized header reaches the app, which refuses it with 431.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Optional

from aiohttp import web
from aiohttp.web_protocol import RequestHandler

PARSER_LIMITS = {"max_line_size": 64 * 1024, "max_field_size": 64 * 1024}
log = logging.getLogger(__name__)


class JsonErrorsRequestHandler(RequestHandler):
    def handle_error(
        self,
        request: web.BaseRequest,
        status: int = 500,
        exc: Optional[BaseException] = None,
        message: Optional[str] = None,
    ) -> web.StreamResponse:
        reason = (message or repr(exc) or "").splitlines()[0][:200] if (message or exc) else ""
        log.warning("refused a request that is not valid HTTP: %d %s", status, reason)
        if request.writer.output_size > 0:
            raise ConnectionError("Response is sent already, cannot send another response with the error message")
        text = "The request is not valid HTTP." if status < 500 else "Something went wrong on our side."
        response = web.json_response({"error": text}, status=status)
        response.force_close()
        return response


async def serve(app: web.Application, host: str, port: int) -> None:
    """Serve `app` until SIGINT or SIGTERM, then close connections and clean up."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    loop = asyncio.get_running_loop()
    server = runner.server
    assert server is not None  # set by setup()
    listener = await loop.create_server(
        lambda: JsonErrorsRequestHandler(server, loop=loop, access_log=None, **PARSER_LIMITS),  # type: ignore[arg-type]
        host,
        port,
        reuse_address=True,
    )
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        listener.close()
        await listener.wait_closed()
        await runner.cleanup()
