"""Replaces `Event.resolve_by_type`, which walked every subclass of Event for each event
read back from the tracker store, with the same lookup cached by name. Gain: part of
the tracker retrieve time, 3.1 to 0.9 ms per message together with the prepared SQL
tracker store (issue #7); in a focused timing (#23) 72 lookups per message over a
10-message conversation (more in longer ones), 2.6 ms per message."""

import functools

from rasa.shared.core.events import Event

_ORIGINAL = Event.resolve_by_type
_CACHED = staticmethod(functools.lru_cache(maxsize=None)(_ORIGINAL))


def apply() -> None:
    Event.resolve_by_type = _CACHED


def active() -> bool:
    return Event.__dict__["resolve_by_type"] is _CACHED
