"""The replies the assistant gave: one row per turn in the project's own table.

A turn is a patient message (as stored: redacted), its client-given `message_id`, the
entities NLU found in it, and the messages sent back, in the form the REST channel sends
them. The tracker store writes the rows when a turn ends, in the same transaction as
Rasa's events, and deletes them with the conversation (bot/rasa_plugins/tracker_store.py);
Rasa's `events` table is read by that store alone. Read here, without Rasa, for retries,
ratings, the gaps report, the staff console and the dialogue recorder.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple

import sqlalchemy as sa

from bot.names import WELCOME
from bot.records.conversations import TrackerStoreError, transaction

SCHEMA_PART, SCHEMA_VERSION = "replies", 1
METADATA = sa.MetaData()
REPLIES = sa.Table(
    "sscbot_replies",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("message_id", sa.String(255)),
    sa.Column("timestamp", sa.Float, nullable=False),
    sa.Column("text", sa.Text),  # None: messages sent with no patient message (Rasa's API)
    sa.Column("entities", sa.Text, nullable=False),  # JSON [{"entity", "value"}]
    sa.Column("messages", sa.Text, nullable=False),  # JSON, as the channel sends them
    sa.Index("ix_sscbot_replies_sender_message", "sender_id", "message_id"),
)
LISTEN = "action_listen"  # the assistant waits for the next message: a turn ends
NO_TABLE = "no table of the replies given yet: our tracker store makes it when the Rasa server starts"
MESSAGE_KEYS = ("buttons", "custom", "image", "attachment", "elements", "quick_replies")


@dataclass(frozen=True)
class Turn:
    sender_id: str
    message_id: Optional[str]
    timestamp: float
    text: Optional[str]
    entities: Tuple[Dict[str, Any], ...]
    messages: Tuple[Dict[str, Any], ...]

    @property
    def contracts(self) -> List[Dict[str, Any]]:
        """The answer contracts (custom payloads) among the messages."""
        return [m["custom"] for m in self.messages if isinstance(m.get("custom"), dict)]


def as_sent(messages: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """A turn's messages as the patient gets them: urgent advice without a new conversation's
    welcome, which would come after it (nothing should stand beside the advice), else all."""
    contracts = [m.get("custom") or {} for m in messages]
    if not any(c.get("kind") == "emergency" for c in contracts):
        return messages
    welcome_end = next((i + 1 for i, c in enumerate(contracts) if c.get("content_id") == WELCOME), 0)
    return messages[welcome_end:]


def turn_rows(sender: str, events: Iterable[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The rows of one conversation's events (Rasa's event dicts, in order): each user
    message with the bot messages sent until the assistant listens again; bot messages
    sent before a user message (a new session's welcome) go with it, or make a row of
    their own, without a user message, when none follows; each as sent (`as_sent`)."""
    rows: List[Dict[str, Any]] = []
    waiting: List[Dict[str, Any]] = []
    waiting_since, answering = 0.0, False
    for event in events:
        kind = event.get("event")
        if kind == "user":
            rows.append(_user_row(sender, event, waiting))
            waiting, answering = [], True
        elif kind == "action" and event.get("name") == LISTEN:
            answering = False
        elif kind == "bot" and answering:
            rows[-1]["messages"].append(_message(event))
        elif kind == "bot":
            waiting_since = waiting_since if waiting else event.get("timestamp") or 0.0
            waiting.append(_message(event))
    if waiting:
        rows.append(_row(sender, None, waiting_since, None, [], waiting))
    return [{**row, "messages": json.dumps(as_sent(row["messages"]))} for row in rows]


def _user_row(sender: str, event: Dict[str, Any], before: List[Dict[str, Any]]) -> Dict[str, Any]:
    entities = (event.get("parse_data") or {}).get("entities") or []
    named = [{"entity": e.get("entity"), "value": e.get("value")} for e in entities if isinstance(e, dict)]
    timestamp = event.get("timestamp") or 0.0
    return _row(sender, event.get("message_id"), timestamp, event.get("text") or "", named, list(before))


def _row(sender: str, message_id: Any, timestamp: float, text: Any, entities: List, messages: List) -> Dict[str, Any]:
    return {
        "sender_id": sender,
        "message_id": message_id,
        "timestamp": timestamp,
        "text": text,
        "entities": json.dumps(entities),
        "messages": messages,
    }


def _message(event: Dict[str, Any]) -> Dict[str, Any]:
    """A bot event as the channel sends it: its text and its non-empty extras."""
    data = event.get("data") or {}
    message = {"text": event.get("text"), **{k: data.get(k) for k in MESSAGE_KEYS}}
    return {k: v for k, v in message.items() if v}


def _turn(row: Any) -> Turn:
    return Turn(
        row.sender_id,
        row.message_id,
        row.timestamp,
        row.text,
        tuple(json.loads(row.entities)),
        tuple(json.loads(row.messages)),
    )


def replies_to(engine: sa.engine.Engine, sender: str, message_id: str) -> Optional[List[Dict[str, Any]]]:
    """The messages sent for the patient message with this client-given id; None if the
    conversation has no such message (it did not come before)."""
    query = sa.select(REPLIES.c.messages).where(REPLIES.c.sender_id == sender, REPLIES.c.message_id == message_id)
    found = _rows(engine, query.limit(1))
    return json.loads(found[0].messages) if found else None


def received(engine: sa.engine.Engine, sender: str, content_id: str) -> bool:
    """Whether the conversation `sender` was answered with the content item `content_id`
    (an answer, not the welcome or small talk): only such an answer can be rated."""
    return any(
        contract.get("content_id") == content_id and contract.get("kind") not in (None, "smalltalk")
        for turn in turns_of(engine, sender)
        for contract in turn.contracts
    )


def turns_of(engine: sa.engine.Engine, sender: str) -> List[Turn]:
    """One conversation's turns, in order."""
    return [_turn(row) for row in _rows(engine, sa.select(REPLIES).where(REPLIES.c.sender_id == sender))]


def every_turn(engine: sa.engine.Engine) -> Iterator[Turn]:
    """Every stored turn, by conversation, in order."""
    return (_turn(row) for row in _rows(engine, sa.select(REPLIES).order_by(REPLIES.c.sender_id)))


def _rows(engine: sa.engine.Engine, query: sa.sql.Select) -> List[Any]:
    """The rows of `query`, in its order, then in the order they were written; a
    TrackerStoreError that says so when the table is not there yet."""
    try:
        with transaction(engine) as connection:
            return connection.execute(query.order_by(REPLIES.c.id)).all()
    except TrackerStoreError:
        if not sa.inspect(engine).has_table(REPLIES.name):
            raise TrackerStoreError(f"{engine.url.render_as_string(hide_password=True)}: {NO_TABLE}") from None
        raise
