"""Check a bot reply against a turn's expectations, reading the answer contract."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Dict, List

from bot.run.rest_client import BotTurn


@dataclass(frozen=True)
class Check:
    name: str
    expected: Any
    actual: Any
    passed: bool
    diff: str = ""  # for text: where the reply differs from what was expected

    @property
    def summary(self) -> str:
        if self.passed:
            return f"{self.name}: {self.expected!r}"
        return f"{self.name}: expected {self.expected!r}, got {self.actual!r}"


def contract_of(reply: BotTurn) -> Dict[str, Any]:
    """The turn's answer contract; the conversation opener's when that is all there is."""
    contracts = reply.contracts
    return reply.answer or (contracts[-1] if contracts else {})


def _as_list(value: Any) -> List[str]:
    return value if isinstance(value, list) else [value]


def closest_diff(expected: str, text: str) -> str:
    """A line diff between the expected text and the reply's closest line."""
    lines = [line for line in text.splitlines() if line.strip()] or [""]
    closest = max(lines, key=lambda line: difflib.SequenceMatcher(None, expected.lower(), line.lower()).ratio())
    return "\n".join(difflib.ndiff([expected], [closest]))


def _says(expected: Any, reply: BotTurn, contract: Dict[str, Any]) -> List[Check]:
    text = reply.text
    return [
        Check(
            "says",
            phrase,
            text,
            phrase.lower() in text.lower(),
            "" if phrase.lower() in text.lower() else closest_diff(phrase, text),
        )
        for phrase in _as_list(expected)
    ]


def _not_says(expected: Any, reply: BotTurn, contract: Dict[str, Any]) -> List[Check]:
    text = reply.text
    return [Check("not_says", phrase, text, phrase.lower() not in text.lower()) for phrase in _as_list(expected)]


def _buttons(expected: Any, reply: BotTurn, contract: Dict[str, Any]) -> List[Check]:
    offered = [b.get("title", "") for b in reply.buttons]
    lowered = [title.strip().lower() for title in offered]
    return [Check("buttons", label, offered, label.strip().lower() in lowered) for label in _as_list(expected)]


def _contract_field(name: str):
    def check(expected: Any, reply: BotTurn, contract: Dict[str, Any]) -> List[Check]:
        actual = contract.get(name)
        return [Check(name, expected, actual, actual == expected)]

    return check


def _offers(expected: Any, reply: BotTurn, contract: Dict[str, Any]) -> List[Check]:
    """Asked back ("Do you mean ...?") with each of these content items among the options."""
    offered = [str(o.get("content_id")) for o in contract.get("options") or []]
    return [Check("offers", item, offered, item in offered) for item in _as_list(expected)]


def _disclaimer(expected: Any, reply: BotTurn, contract: Dict[str, Any]) -> List[Check]:
    actual = bool(contract.get("disclaimer"))
    return [Check("disclaimer", expected, actual, actual == expected)]


def _emergency(expected: Any, reply: BotTurn, contract: Dict[str, Any]) -> List[Check]:
    kind = contract.get("kind")
    return [Check("emergency", expected, kind == "emergency", (kind == "emergency") == expected)]


CHECKS = {
    "topic": _contract_field("topic"),
    "kind": _contract_field("kind"),
    "content_id": _contract_field("content_id"),
    "offers": _offers,
    "says": _says,
    "not_says": _not_says,
    "buttons": _buttons,
    "disclaimer": _disclaimer,
    "emergency": _emergency,
}


def check_reply(expect: Dict[str, Any], reply: BotTurn) -> List[Check]:
    contract = contract_of(reply)
    checks: List[Check] = []
    for name, expected in expect.items():
        checks.extend(CHECKS[name](expected, reply, contract))
    if not reply.messages:
        checks.append(Check("reply", "at least one message", "no reply", False))
    return checks
