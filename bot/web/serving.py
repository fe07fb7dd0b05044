"""Serve the widget's app on a port, with every error as JSON.

aiohttp answers a request its HTTP parser cannot read (a malformed request line, a
header beyond the parser's limits) itself, in plain text, and logs a traceback. Here
those answers are JSON like every other error, with one log line and the security
headers (no server version). The parser's limits are raised so that an oversized header
reaches the app, which refuses it with 431.

Two more things aiohttp does not do by itself:
- slow clients (slowloris): a request line and headers that have not all arrived
  SSCBOT_CLIENT_TIMEOUT_S after the connection opened, or after their first byte on a
  kept-alive connection, get a 408 and the connection is closed (the body has its own
  deadline, bot.web.validation.read_json);
- request bodies are never decompressed: a compressed one is refused (415,
  bot.web.security), and neither that refusal nor aiohttp's reading and dropping of an
  unread body inflates it in memory (a zip bomb).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
from typing import Any, AsyncIterator, Optional

from aiohttp import web
from aiohttp.web_protocol import RequestHandler

from bot import settings
from bot.web.security import response_headers
from bot.web.validation import too_slow

PARSER_OPTIONS = {"max_line_size": 64 * 1024, "max_field_size": 64 * 1024, "auto_decompress": False}
log = logging.getLogger(__name__)


class JsonErrorsRequestHandler(RequestHandler):
    """aiohttp's connection handler, with JSON errors and a deadline for each request's headers."""

    def __init__(self, *args: Any, client_timeout_s: float, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._client_timeout_s = client_timeout_s
        self._headers_due: Optional[asyncio.TimerHandle] = None
        self._body: Any = None  # the body of the last request parsed (its StreamReader)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        self._expect_headers()

    def connection_lost(self, exc: Optional[BaseException]) -> None:
        self._headers_arrived()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        headers_expected = self._body is None or self._body.is_eof()  # else these are body bytes
        parsed = self._request_count
        super().data_received(data)
        if self._request_count > parsed:
            self._body = self._messages[-1][1]
            self._headers_arrived()
        elif headers_expected and self._headers_due is None:
            self._expect_headers()

    def _expect_headers(self) -> None:
        self._headers_due = self._loop.call_later(self._client_timeout_s, self._headers_too_slow)

    def _headers_arrived(self) -> None:
        if self._headers_due is not None:
            self._headers_due.cancel()
            self._headers_due = None

    def _headers_too_slow(self) -> None:
        if self.transport is None:
            return
        if self._current_request is not None or self._messages:  # a pipelined request waits its turn
            self._expect_headers()
            return
        log.warning("refused a request whose headers were too slow: 408 (%g s)", self._client_timeout_s)
        body = json.dumps({"error": too_slow(self._client_timeout_s)}).encode()
        headers = {**response_headers(), "Content-Type": "application/json", "Content-Length": str(len(body))}
        head = "".join(f"{name}: {value}\r\n" for name, value in {**headers, "Connection": "close"}.items())
        self.transport.write(f"HTTP/1.1 408 Request Timeout\r\n{head}\r\n".encode() + body)
        self.force_close()

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
        response = web.json_response({"error": text}, status=status, headers=response_headers())
        response.force_close()
        return response


@contextlib.asynccontextmanager
async def listening(app: web.Application, host: str, port: int) -> AsyncIterator[None]:
    """`app` served on host:port while the block runs; then connections are closed and the app cleaned up."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    loop = asyncio.get_running_loop()
    server = runner.server
    assert server is not None  # set by setup()
    timeout = settings.client_timeout_s()
    listener = await loop.create_server(
        lambda: JsonErrorsRequestHandler(
            server, loop=loop, access_log=None, client_timeout_s=timeout, **PARSER_OPTIONS
        ),
        host,
        port,
        reuse_address=True,
    )
    try:
        yield
    finally:
        listener.close()
        await listener.wait_closed()
        await runner.cleanup()


async def serve(app: web.Application, host: str, port: int) -> None:
    """Serve `app` until SIGINT or SIGTERM, then close connections and clean up."""
    async with listening(app, host, port):
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await stop.wait()
