"""A patient's request to forget their conversation.

The plain "forget me" deletes at once (the REST channel). Other wordings ("delete my
chat", "erase what I wrote") are asked back first: "Delete this conversation? Yes / No"
(the NLU's SafetyOverride and the intent classifier find them; the Yes button sends
"forget me", and a typed yes to that question counts as the button)."""

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


PLAIN_FORGET = re.compile(r"^(please\s+)?forget\s+me(\s+please)?[\s.!?]*$", re.IGNORECASE)


def asks_to_forget(text: str) -> bool:
    return bool(FORGET_REQUEST.match(text.strip()))


def is_plain_forget(text: str) -> bool:
    """ "forget me" itself: deleted without asking back."""
    return bool(PLAIN_FORGET.match(text.strip()))


FORGET_PAYLOAD = "forget me"  # what the Yes button of "Delete this conversation?" sends (domain.yml)
YES_WORDS = frozenset("yes yeah yep yup y sure ok okay alright go ahead delete erase remove wipe confirm".split())
WITH_YES = frozenset("please do it everything all of that now thanks thank you i'm im i am".split())


def says_yes(text: str) -> bool:
    """A whole message that only says yes ("yes", "yes please", "ok do it", "sure, delete it"):
    to "Delete this conversation?" it is the Yes button."""
    words = re.findall(r"[a-z']+", text.lower())
    return bool(words) and set(words) <= YES_WORDS | WITH_YES and not YES_WORDS.isdisjoint(words)
