"""A patient's request to forget their conversation, asked in their own words."""

from __future__ import annotations

import re

# The whole message must be the request, so "forget me" inside a longer message
# (perhaps an urgent one) still goes to the assistant.
FORGET_REQUEST = re.compile(
    r"^(please\s+)?(can you\s+|could you\s+)?"
    r"(forget\s+(me|everything|all\s+of\s+this|this\s+conversation|my\s+(conversation|chat|data|details|messages))"
    r"|(delete|erase|remove|clear|wipe)\s+(me|everything|(my|this|our|the)\s+(whole\s+)?"
    r"(conversation|chat|data|details|history|messages|chat\s+history)))"
    r"(\s+please)?[\s.!?]*$",
    re.IGNORECASE,
)


def asks_to_forget(text: str) -> bool:
    return bool(FORGET_REQUEST.match(text.strip()))
