"""Turn a real conversation from the tracker store into a script of what the bot did."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

import sqlalchemy as sa
import yaml

from bot.dialogues.checks import contract_of
from bot.dialogues.script import RESTART_MESSAGE
from bot.records.conversations import TrackerStoreError
from bot.records.replies import turns_of
from bot.run.rest_client import BotTurn


class RecordError(RuntimeError):
    """The conversation cannot be recorded; the message says why."""


def conversation_turns(db_url: str, sender: str) -> List[Dict[str, Any]]:
    """Each user message of one conversation with the bot messages that answered it."""
    engine = sa.create_engine(db_url)
    try:
        turns = turns_of(engine, sender)
    except TrackerStoreError as error:
        raise RecordError(str(error)) from None
    finally:
        engine.dispose()
    asked = [{"user": turn.text, "messages": list(turn.messages)} for turn in turns if turn.text is not None]
    if not asked:
        raise RecordError(f"no conversation with sender id {sender!r} in the tracker store")
    return asked


def _action(text: str, previous: Optional[BotTurn]) -> Dict[str, Any]:
    if text == RESTART_MESSAGE:
        return {"restart": True}
    for button in previous.buttons if previous else []:
        if button.get("payload") == text:
            return {"click": button.get("title")}
    return {"user": text}


def _expectations(reply: BotTurn) -> Dict[str, Any]:
    """What the bot did, as expectations that survive rewording of the content."""
    contract = contract_of(reply)
    expect: Dict[str, Any] = {}
    for key in ("topic", "kind", "content_id"):
        if contract.get(key):
            expect[key] = contract[key]
    if contract:
        expect["disclaimer"] = bool(contract.get("disclaimer"))
        expect["emergency"] = contract.get("kind") == "emergency"
    offered = [o["content_id"] for o in contract.get("options") or [] if o.get("content_id")]
    if offered:
        expect["offers"] = offered
    if reply.buttons:
        expect["buttons"] = [b["title"] for b in reply.buttons]
    return expect


def record_script(db_url: str, sender: str, name: Optional[str] = None) -> Dict[str, Any]:
    script_turns = []
    previous: Optional[BotTurn] = None
    for turn in conversation_turns(db_url, sender):
        reply = BotTurn(turn["messages"])
        script_turns.append({**_action(turn["user"], previous), **_expectations(reply)})
        previous = reply
    return {
        "name": name or f"Recorded conversation {sender}",
        "description": f"Recorded from conversation {sender}.",
        "turns": script_turns,
    }


def script_yaml(script: Dict[str, Any]) -> str:
    return yaml.safe_dump([script], sort_keys=False, allow_unicode=True, width=100)
