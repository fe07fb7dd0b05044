"""Sends every question through a running assistant, each in a fresh conversation."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import List, Sequence

from bot.evaluation.dataset import Question
from bot.evaluation.metrics import Outcome, Reply
from bot.run.rest_client import BotTurn, RestClient

PARALLEL = 4  # conversations at once: a little load, far from the benchmark's


def reply_of(turn: BotTurn) -> Reply:
    contract = turn.answer or {}
    return Reply(
        topic=str(contract.get("topic") or ""),
        kind=str(contract.get("kind") or ""),
        content_id=str(contract.get("content_id") or ""),
        title=str(contract.get("title") or ""),
        text=turn.text,
        options=tuple(str(o.get("content_id")) for o in contract.get("options") or []),
    )


def ask_all(url: str, questions: Sequence[Question], timeout: float = 60.0) -> List[Outcome]:
    client = RestClient(url, timeout=timeout)

    def ask(question: Question) -> Outcome:
        return Outcome(question, reply_of(client.send(f"eval-{uuid.uuid4().hex}", question.text)))

    with ThreadPoolExecutor(PARALLEL) as pool:
        return list(pool.map(ask, questions))
