"""The widget's app as bot.web.serving serves it on a real port: slow clients are cut off,
compressed bodies are never inflated, and aiohttp's own errors name no version."""

import asyncio
import contextlib
import gzip
import json
import socket
import threading
import time
import tracemalloc

import pytest

from bot.access.conversation_keys import ConversationKeys
from bot.access.guard import Guard
from bot.access.origins import OriginPolicy
from bot.run.launcher import HOST, free_port
from bot.web.server import create_app
from bot.web.serving import listening

TIMEOUT_S = 1.0
KEYS = ConversationKeys(b"test-key-" + b"k" * 32)


@pytest.fixture
def served(monkeypatch):
    """A widget server (no Rasa behind it) on a free port, with a 1 s client timeout: its address."""
    monkeypatch.setenv("SSCBOT_CLIENT_TIMEOUT_S", str(TIMEOUT_S))
    port, up, loop = free_port(), threading.Event(), asyncio.new_event_loop()
    stop = loop.create_future()

    async def serve():
        app = create_app("http://127.0.0.1:9", None, None, None, Guard(OriginPolicy.of([])), KEYS)
        async with listening(app, HOST, port):
            up.set()
            await stop
        lingering = asyncio.all_tasks() - {asyncio.current_task()}  # over a body they were sent
        for task in lingering:
            task.cancel()
        await asyncio.gather(*lingering, return_exceptions=True)

    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),))
    thread.start()
    assert up.wait(10)
    yield HOST, port
    loop.call_soon_threadsafe(stop.set_result, None)
    thread.join(10)
    loop.close()


def read_reply(sock):
    """(status, headers, body) of the next reply on `sock`."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536) or b"\r\n\r\n"
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode().split("\r\n")
    headers = {name.lower(): value.strip() for name, value in (line.split(":", 1) for line in lines)}
    while len(body) < int(headers.get("content-length", 0)):
        body += sock.recv(65536)
    return int(status_line.split()[1]), headers, body


def closed_after(sock, send_slowly=b""):
    """Sends `send_slowly` a byte every 0.3 s until the server closes the connection: the reply
    and the seconds it took."""
    start = time.monotonic()
    sock.settimeout(0.3)
    for byte in send_slowly:
        try:
            sock.sendall(bytes([byte]))
            if sock.recv(1, socket.MSG_PEEK):
                break
        except TimeoutError:
            continue
        except (BrokenPipeError, ConnectionResetError):
            break
    sock.settimeout(10)
    reply = read_reply(sock)
    return reply, time.monotonic() - start


@pytest.mark.parametrize(
    "sent_first, trickled",
    [
        (b"", b""),  # a connection that sends nothing
        (b"POST /api/chat HTTP/1.1\r\nHost: x\r\n", b""),  # half a request, then nothing
        (b"POST /api/chat HTTP/1.1\r\n", b"Host: x\r\nX-Padding: " + b"a" * 100),  # headers a byte at a time
    ],
)
def test_headers_that_do_not_arrive_in_time_get_a_408_and_the_connection_is_closed(served, sent_first, trickled):
    with socket.create_connection(served) as sock:
        sock.sendall(sent_first)
        (status, headers, body), seconds = closed_after(sock, trickled)
    assert status == 408 and json.loads(body)["error"].startswith("The request did not arrive in time")
    assert headers["connection"] == "close" and headers["server"] == "sscbot"
    assert seconds < TIMEOUT_S + 3


def test_a_body_that_does_not_arrive_in_time_gets_a_408(served):
    with socket.create_connection(served) as sock:
        sock.sendall(
            b"POST /api/conversation HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 100\r\n\r\n{"
        )
        start = time.monotonic()
        sock.settimeout(10)
        status, _, body = read_reply(sock)
    assert status == 408 and time.monotonic() - start < TIMEOUT_S + 3
    assert json.loads(body) == {
        "error": f"The request did not arrive in time (within {TIMEOUT_S:g} s). Please try again."
    }


def test_a_request_in_time_is_answered_and_the_connection_kept(served):
    with socket.create_connection(served) as sock:
        for _ in range(2):
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            assert read_reply(sock)[0] == 200
            time.sleep(TIMEOUT_S + 0.5)  # idle between requests: the keep-alive timeout's, not this one
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_reply(sock)[0] == 200


def test_a_compressed_body_is_refused_and_never_inflated(served):
    """30 KB of gzip that inflates to 30 MB: refused with 415, and the server never held it
    inflated (aiohttp inflates request bodies as they arrive, read or not)."""
    bomb = gzip.compress(b"\0" * 30_000_000, compresslevel=9)
    assert len(bomb) < 40_000
    tracemalloc.start()
    try:
        with socket.create_connection(served) as sock:
            sock.sendall(
                b"POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Encoding: gzip\r\nConnection: close\r\n"
                b"Content-Length: %d\r\n\r\n%b" % (len(bomb), bomb)
            )
            status, _, body = read_reply(sock)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert status == 415 and json.loads(body) == {
        "error": "Compressed requests are not accepted: send the body without Content-Encoding."
    }
    assert peak < 5_000_000


def test_a_request_that_is_not_http_gets_json_without_a_version(served):
    with socket.create_connection(served) as sock:
        sock.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        status, headers, body = read_reply(sock)
    assert status == 400 and json.loads(body) == {"error": "The request is not valid HTTP."}
    assert headers["server"] == "sscbot" and headers["x-content-type-options"] == "nosniff"


def test_no_response_names_the_server_version(served):
    for request in (b"GET / HTTP/1.1", b"GET /api/nothing HTTP/1.1", b"POST /api/chat HTTP/1.1"):
        with contextlib.closing(socket.create_connection(served)) as sock:
            sock.sendall(request + b"\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
            _, headers, _ = read_reply(sock)
        assert headers["server"] == "sscbot", request
        assert not any("aiohttp" in value or "Python" in value for value in headers.values())
