"""Load test (`make loadtest`): many conversations at once, then a count check.

N conversations of M messages each run at the same time over the REST webhook.
Every message must be answered (no error, no try-again fallback), and afterwards
the tracker store must hold (in the replies it keeps with the events, in the same
transaction), for every conversation, exactly the messages sent and the bot texts
received, in order. Prints p50/p95/p99 latency and messages per second; exits 1 when a
message was not answered or the counts differ.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional, Sequence

import aiohttp
import sqlalchemy as sa

from bench.load import send
from bench.report import percentile
from bot.records.replies import turns_of
from bot.run.launcher import Assistant, AssistantConfig

LOAD_REPLY_TIMEOUT_S = 60
MESSAGES = (
    "hi",
    "what helps calcinosis?",
    "and raynaud's?",
    "what is that?",
    "what helps finger ulcers?",
    "what is iloprost?",
    "what is a renal crisis?",
    "how is the heart affected?",
    "thanks",
    "bye",
)


@dataclass
class Conversation:
    sender: str
    sent: List[str] = field(default_factory=list)
    bot_texts: List[str] = field(default_factory=list)
    latencies: List[float] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)


@dataclass(frozen=True)
class Result:
    conversations: List[Conversation]
    seconds: float
    mismatches: List[str]  # conversations whose stored events differ from what was sent and received

    @property
    def latencies(self) -> List[float]:
        return [s for c in self.conversations for s in c.latencies]

    @property
    def errors(self) -> List[str]:
        return [f"{c.sender}: {e}" for c in self.conversations for e in c.errors]

    @property
    def passed(self) -> bool:
        return not self.errors and not self.mismatches

    def summary(self) -> str:
        latencies = self.latencies
        ms = {q: 1000 * (percentile(latencies, q) or 0) for q in (50, 95, 99)}
        return (
            f"{len(self.conversations)} conversations x {len(self.conversations[0].sent)} messages: "
            f"{len(latencies)} answered in {self.seconds:.1f} s, {len(latencies) / self.seconds:.1f} messages/s; "
            f"latency p50 {ms[50]:.0f} ms, p95 {ms[95]:.0f} ms, p99 {ms[99]:.0f} ms; "
            f"{len(self.errors)} errors; tracker store: "
            + (
                "every conversation complete and in order"
                if not self.mismatches
                else f"{len(self.mismatches)} conversations differ"
            )
        )


async def _converse(
    session: aiohttp.ClientSession, url: str, conversation: Conversation, messages: Sequence[str]
) -> None:
    for text in messages:
        reply, sample = await send(session, url, conversation.sender, text)
        conversation.sent.append(text)
        if sample.error:
            conversation.errors.append(f"{text!r}: {sample.error}")
            continue
        conversation.latencies.append(sample.latency_s)
        conversation.bot_texts.extend(m["text"] for m in reply if m.get("text"))


async def _run_all(rasa_url: str, conversations: List[Conversation], messages: Sequence[str]) -> None:
    url = f"{rasa_url}/webhooks/rest/webhook"
    connector = aiohttp.TCPConnector(limit=len(conversations))
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=120)) as session:
        await asyncio.gather(*(_converse(session, url, c, messages) for c in conversations))


def _mismatch(engine: sa.engine.Engine, conversation: Conversation) -> Optional[str]:
    turns = turns_of(engine, conversation.sender)
    users = [turn.text for turn in turns if turn.text is not None]
    bots = [message["text"] for turn in turns for message in turn.messages if message.get("text")]
    if users != conversation.sent:
        return f"{conversation.sender}: {len(users)} user messages stored, {len(conversation.sent)} sent"
    if bots != conversation.bot_texts:
        return f"{conversation.sender}: {len(bots)} bot texts stored, {len(conversation.bot_texts)} received"
    return None


def run_load(rasa_url: str, tracker_url: str, conversations: int, messages: Sequence[str] = MESSAGES) -> Result:
    """Run the load against a running assistant, then check its tracker store."""
    run_id = uuid.uuid4().hex[:8]
    talks = [Conversation(f"load-{run_id}-{i}") for i in range(conversations)]
    started = time.monotonic()
    asyncio.run(_run_all(rasa_url, talks, messages))
    seconds = time.monotonic() - started
    engine = sa.create_engine(tracker_url)
    try:
        mismatches = [m for m in (_mismatch(engine, c) for c in talks) if m]
    finally:
        engine.dispose()
    return Result(talks, seconds, mismatches)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.loadtest", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--conversations", type=int, default=200, help="conversations at once (default 200)")
    parser.add_argument(
        "--messages",
        type=int,
        default=len(MESSAGES),
        choices=range(1, len(MESSAGES) + 1),
        metavar=f"1..{len(MESSAGES)}",
        help=f"messages per conversation (default {len(MESSAGES)})",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sscbot-loadtest-") as folder:
        config = AssistantConfig.private(Path(folder))
        # Measure the assistant's own answers: with the patients' 10 s "please try again"
        # a saturated machine would answer with fallbacks instead, and nothing to count.
        config.env["SSCBOT_REPLY_TIMEOUT_S"] = str(LOAD_REPLY_TIMEOUT_S)
        print(f"Starting a private assistant on {config.rasa_url} ...", flush=True)
        with Assistant(config):
            result = run_load(
                config.rasa_url, f"sqlite:///{config.tracker_db}", args.conversations, MESSAGES[: args.messages]
            )
    print(result.summary())
    for problem in (result.errors + result.mismatches)[:20]:
        print(f"  {problem}")
    return 0 if result.passed else 1


if __name__ == "__main__":
    sys.exit(main())
