"""Bounded load over the REST webhook: N conversations at once for a fixed time.

Each worker plays conversations one after the other, each under a new sender id,
one message at a time; a level ends when its time is up (messages in flight are
finished and counted).
"""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

import aiohttp
import yaml

# The reply bot/rasa_plugins/channel.py sends when the assistant failed or took too long: an error.
TRY_AGAIN = "out_of_scope.try_again"


@dataclass(frozen=True)
class Turn:
    text: str  # what the user types, or the label of the button to click
    click: bool = False


Conversation = Sequence[Turn]


def load_conversations(path: Path) -> Dict[str, List[Conversation]]:
    """The conversations of each bot in bench/conversations.yml."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        bot: [
            [Turn(t["click"], click=True) if isinstance(t, dict) else Turn(str(t)) for t in turns]
            for turns in conversations
        ]
        for bot, conversations in data.items()
    }


@dataclass(frozen=True)
class Sample:
    latency_s: float
    error: Optional[str] = None  # None: a good answer


@dataclass(frozen=True)
class LevelRun:
    concurrency: int
    elapsed_s: float
    conversations: int
    samples: List[Sample]


def reply_error(status: int, reply: Any) -> Optional[str]:
    """Why a webhook reply is an error, or None when it is an answer."""
    if status != 200:
        return f"HTTP {status}"
    if not isinstance(reply, list) or not any(isinstance(m, dict) and m.get("text") for m in reply):
        return "empty reply"
    if any((m.get("custom") or {}).get("content_id") == TRY_AGAIN for m in reply):
        return "try-again fallback"
    return None


def button_payload(reply: Any, label: str) -> Optional[str]:
    """The payload of the button labelled `label` in a reply, if it offers one."""
    buttons = (
        [b for m in reply if isinstance(m, dict) for b in m.get("buttons") or []] if isinstance(reply, list) else []
    )
    return next((b.get("payload") for b in buttons if b.get("title") == label), None)


async def send(session: aiohttp.ClientSession, url: str, sender: str, text: str) -> Tuple[Any, Sample]:
    """Post one message to the webhook at `url`: the reply (None on failure) and how it went."""
    start = time.perf_counter()
    try:
        async with session.post(url, json={"sender": sender, "message": text}) as response:
            reply = await response.json(content_type=None) if response.status == 200 else None
            error = reply_error(response.status, reply)
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
        reply, error = None, type(exc).__name__
    return reply, Sample(time.perf_counter() - start, error)


class Load:
    """Runs the conversations of one bot against its webhook."""

    def __init__(self, base_url: str, conversations: List[Conversation], timeout_s: float):
        self.url = f"{base_url.rstrip('/')}/webhooks/rest/webhook"
        self.conversations = conversations
        self.timeout = aiohttp.ClientTimeout(total=timeout_s)

    async def run(self, concurrency: int, duration_s: float) -> LevelRun:
        """`concurrency` conversations at a time for `duration_s` seconds."""
        samples: List[Sample] = []
        started = itertools.count()  # conversations begun; next() after the run = how many
        playlist = itertools.cycle(self.conversations)
        connector = aiohttp.TCPConnector(limit=concurrency)
        begin = time.monotonic()
        deadline = begin + duration_s
        async with aiohttp.ClientSession(connector=connector, timeout=self.timeout) as session:
            await asyncio.gather(
                *(self._worker(session, playlist, started, deadline, samples) for _ in range(concurrency))
            )
        return LevelRun(concurrency, time.monotonic() - begin, next(started), samples)

    async def play_once(self) -> None:
        """Every conversation once, one after the other, not counted (the warm-up)."""
        async with aiohttp.ClientSession(timeout=self.timeout) as session:
            for conversation in self.conversations:
                await self._converse(session, conversation, float("inf"), [])

    async def _worker(
        self,
        session: aiohttp.ClientSession,
        playlist: Iterator[Conversation],
        started: Iterator[int],
        deadline: float,
        samples: List[Sample],
    ) -> None:
        while time.monotonic() < deadline:
            next(started)
            await self._converse(session, next(playlist), deadline, samples)

    async def _converse(
        self, session: aiohttp.ClientSession, conversation: Conversation, deadline: float, samples: List[Sample]
    ) -> None:
        sender = f"bench-{uuid.uuid4().hex}"
        reply: Any = None
        for turn in conversation:
            if time.monotonic() >= deadline:
                return
            payload = button_payload(reply, turn.text) if turn.click else turn.text
            reply, sample = await send(session, self.url, sender, payload or turn.text)
            if payload is None and sample.error is None:
                sample = Sample(sample.latency_s, f"no button {turn.text!r}")
            samples.append(sample)
