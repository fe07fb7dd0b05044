"""Replaces Sanic's `HttpProtocol.data_received` (Sanic 21.12, Rasa 3.6's) with one that
no longer restarts a request's timeout at every byte received: REQUEST_TIMEOUT then runs
from the request's first byte (an idle connection's first byte still starts it), and
RESPONSE_TIMEOUT from that same byte. Sanic has no setting for it. Gain: a client that
sends its headers a byte at a time (slowloris) is cut off with a 408 after 10 s instead
of holding its connection for ever (tests/e2e/test_security.py
`test_the_rasa_server_cuts_off_slow_clients`)."""

from sanic.http import Stage
from sanic.server.protocols.http_protocol import HttpProtocol

_SANICS = HttpProtocol.data_received


def _data_received(protocol: HttpProtocol, data: bytes) -> None:
    started = protocol._time
    _SANICS(protocol, data)
    http = getattr(protocol, "_http", None)
    if http is not None and http.stage is not Stage.IDLE:
        protocol._time = started


def apply() -> None:
    HttpProtocol.data_received = _data_received  # type: ignore[assignment]


def active() -> bool:
    return HttpProtocol.data_received is _data_received
