"""Start the widget's web server: `python -m bot.web --port 8080 --rasa-url http://127.0.0.1:5005`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import List, Optional

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from bot import settings
from bot.access.conversation_keys import ConversationKeys, key_from
from bot.access.exposure import require_secrets
from bot.access.guard import Guard, guard_from_settings
from bot.access.origins import own_sites
from bot.content.files import ContentError
from bot.content.store import ContentStore
from bot.records.ratings import FeedbackStore
from bot.records.schema import SchemaError
from bot.web.server import create_app
from bot.web.serving import serve


def load_content() -> ContentStore:
    """The content store as the explicit load step left it (sscbot content load / run)."""
    store = ContentStore(settings.database_url())
    try:
        store.refresh()
    except (SQLAlchemyError, SchemaError) as error:
        raise ContentError(
            settings.database_url(),
            f"the content store cannot be read ({error.__class__.__name__}): "
            "load it first with `sscbot content load`",
        ) from None
    if not store.items():
        raise ContentError(settings.database_url(), "the content store is empty: load it with `sscbot content load`")
    return store


def widget_guard(host: str, port: int) -> Guard:
    """The settings' sites and limits; without SSCBOT_PUBLIC_URL the server's own address
    (and, on loopback, its `localhost` name) is the assistant's site."""
    return guard_from_settings("WIDGET", own_sites(settings.public_url(), host, port))


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.web", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--rasa-url", default="http://127.0.0.1:5005", help="the Rasa server (REST channel)")
    args = parser.parse_args(argv)
    try:
        require_secrets(args.host, ["SSCBOT_WEBHOOK_TOKEN", "SSCBOT_CONVERSATION_KEY"])
        content = load_content()
        tracker = sa.create_engine(settings.tracker_url())
        guard = widget_guard(args.host, args.port)
        keys = ConversationKeys(key_from(settings.conversation_key(), settings.conversation_key_file()))
        feedback = FeedbackStore(settings.feedback_database_url())
    except (ContentError, ValueError, OSError, sa.exc.ArgumentError, SchemaError) as error:
        print(f"Cannot start the widget server: {error}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_app(
        args.rasa_url,
        content,
        feedback,
        tracker,
        guard,
        keys,
        webhook_token=settings.webhook_token(),
    )
    asyncio.run(serve(app, args.host, args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
