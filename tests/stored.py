"""What the tracker store keeps of a conversation, read through the store itself: no other
code reads Rasa's `events` table (tests/unit/test_layout.py)."""

from typing import Any, Dict, List, Tuple, Union

import sqlalchemy as sa

from bot.rasa_plugins.tracker_store import PreparedSQLTrackerStore


def events_of(database: Union[str, sa.engine.Engine], sender: str) -> List[Tuple[str, Dict[str, Any]]]:
    """(type, event) of one conversation, in order."""
    url = database if isinstance(database, str) else database.url.render_as_string(hide_password=False)
    store = PreparedSQLTrackerStore.from_url(url)
    try:
        return [(event["event"], event) for event in store.events_of(sender)]
    finally:
        store.engine.dispose()
