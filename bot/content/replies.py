"""Turn a content item into the bot's messages, following the answer contract.

A medical turn is two messages: the visible text (answer, source line,
disclaimer, physician pointer, follow-up buttons) and a `custom` payload that
the widget, the dialogue runner and the tests read (DESIGN.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence

from bot.content.files import ContentItem

KINDS = ("answer", "emergency", "guardrail", "out_of_scope", "fallback", "smalltalk", "clarify")
NOT_MEDICAL = ("smalltalk", "clarify")  # turns that carry no medical disclaimer
DO_YOU_MEAN = "Do you mean one of these?"
BUTTON_INTENT = "ask_definition"
ALSO_ASKED = "You also asked: "
MAX_QUESTION_TITLE = 80


@dataclass(frozen=True)
class SafetyTexts:
    source_title: str
    disclaimer: str
    physician_pointer: str

    @classmethod
    def from_settings(cls, get) -> SafetyTexts:
        return cls(get("source_title"), get("disclaimer"), get("physician_pointer"))


def source_line(item: ContentItem, texts: SafetyTexts) -> str:
    return f"From: {texts.source_title} ({item.section}), reviewed {item.reviewed.isoformat()}."


def button_for(item: ContentItem) -> Dict[str, str]:
    """A follow-up button; its payload opens the item directly."""
    return {"title": item.title, "payload": f"/{BUTTON_INTENT}{json.dumps({'content_id': item.id})}"}


def question_button(question: str) -> Dict[str, str]:
    """A button that sends one of the patient's own other questions as a new message."""
    question = " ".join(question.split()).lstrip("/")
    title = question if len(question) <= MAX_QUESTION_TITLE else question[: MAX_QUESTION_TITLE - 1].rstrip() + "…"
    return {"title": f"{ALSO_ASKED}{title}", "payload": question}


def payload(
    item: Optional[ContentItem],
    kind: str,
    texts: SafetyTexts,
    topic: Optional[str] = None,
    content_id: Optional[str] = None,
) -> Dict[str, Any]:
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    source = None
    if item is not None and item.section:
        source = {"title": texts.source_title, "section": item.section, "reviewed": item.reviewed.isoformat()}
    return {
        "topic": topic or (item.topic if item else "out_of_scope"),
        "kind": kind,
        "content_id": content_id or (item.id if item else None),
        "title": item.title if item else None,
        "source": source,
        "disclaimer": kind not in NOT_MEDICAL,
    }


def item_messages(
    item: ContentItem,
    kind: str,
    texts: SafetyTexts,
    related: Sequence[ContentItem] = (),
    lead: Optional[str] = None,
    topic: Optional[str] = None,
    content_id: Optional[str] = None,
    also_asked: Sequence[str] = (),
) -> List[Dict[str, Any]]:
    """The messages (kwargs for `dispatcher.utter_message`) that answer with `item`.

    `lead` goes before the item's text (e.g. a guardrail before what the article
    says about a medicine; `topic` and `content_id` then name the guardrail, the
    source stays the item's); emergency text always comes first. A turn that is not
    medical (small talk, such as the confirmation that a conversation was deleted) says
    only its text: no disclaimer, as its contract says.
    """
    parts = [p for p in (lead, item.answer) if p]
    if item.section:
        parts.append(source_line(item, texts))
    if kind not in NOT_MEDICAL:
        parts.append(f"{texts.disclaimer} {texts.physician_pointer}")
    text_message: Dict[str, Any] = {"text": "\n".join(parts)}
    buttons = [question_button(q) for q in also_asked] + [button_for(r) for r in related]
    if buttons:
        text_message["buttons"] = buttons
    return [text_message, {"json_message": payload(item, kind, texts, topic, content_id)}]


def clarify_messages(
    options: List[ContentItem], something_else: ContentItem, texts: SafetyTexts
) -> List[Dict[str, Any]]:
    """Asking back when unsure: "Do you mean ...?" with the options, best first, as buttons
    and "Something else"; the contract's `topic` is the best guess's."""
    buttons = [button_for(item) for item in options + [something_else]]
    contract = {
        **payload(None, "clarify", texts, topic=options[0].topic),
        "options": [{"content_id": i.id, "topic": i.topic, "title": i.title} for i in options],
    }
    return [{"text": DO_YOU_MEAN, "buttons": buttons}, {"json_message": contract}]


def welcome_messages(setting) -> List[Dict[str, Any]]:
    """The conversation opener: what the bot is, the disclaimer and the pointer, up front."""
    text = f"{setting('welcome')}\n{setting('disclaimer')} {setting('physician_pointer')}"
    contract = {"topic": "smalltalk", "kind": "smalltalk", "content_id": "welcome", "source": None, "disclaimer": True}
    return [{"text": text}, {"json_message": contract}]
