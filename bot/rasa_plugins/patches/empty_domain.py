"""Replaces `Domain.is_empty`, which built an empty Domain for every message to compare
with; the empty domain's dict is now built once. Gain: 1.4 % of the Rasa server's CPU
at 20 conversations (issue #7)."""

from rasa.shared.core.domain import Domain

_EMPTY_DOMAIN = Domain.empty().as_dict()


def _is_empty(self: Domain) -> bool:
    return self.as_dict() == _EMPTY_DOMAIN


def apply() -> None:
    Domain.is_empty = _is_empty


def active() -> bool:
    return Domain.is_empty is _is_empty
