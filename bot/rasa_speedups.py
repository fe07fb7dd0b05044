"""Two fixes for slow paths in Rasa 3.6, applied in the Rasa server process (imported
by bot/channel.py, which Rasa loads at start). Measured with `make bench`.

- RemoteAction._validate_action_result called jsonschema.validate() on every action
  reply, which checks Rasa's schema against the JSON Schema meta-schema each time;
  the validator is now built once, with the same checks and message.
- Event.resolve_by_type walked every subclass of Event for each event read back
  from the tracker store; the lookup by name is now cached.
"""
import functools
from typing import Any, Dict, Text

from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event

_SCHEMA = RemoteAction.action_response_format_spec()
_VALIDATOR = validator_for(_SCHEMA)(_SCHEMA)


def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    error = best_match(_VALIDATOR.iter_errors(result))
    if error is not None:
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


RemoteAction._validate_action_result = _validate_action_result
Event.resolve_by_type = staticmethod(functools.lru_cache(maxsize=None)(Event.resolve_by_type))
