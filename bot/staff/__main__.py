"""Start the staff console: `python -m bot.staff --port 8081 --rasa-url http://127.0.0.1:5005`.

Its own process, on loopback unless told otherwise; beyond loopback it needs
SSCBOT_STAFF_KEY and SSCBOT_WEBHOOK_TOKEN set (bot.access.exposure).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path
from typing import List, Optional

import sqlalchemy as sa

from bot import settings
from bot.access.client_address import trusted_proxies
from bot.access.conversation_keys import key_from
from bot.access.exposure import require_secrets
from bot.access.guard import Guard
from bot.access.origins import OriginPolicy, own_sites
from bot.access.rate_limits import Rate
from bot.content.files import ContentError
from bot.records.ratings import FeedbackStore
from bot.records.schema import SchemaError
from bot.records.staff_copies import StaffCopies
from bot.staff.accounts import StaffStore
from bot.staff.console import StaffConsole, create_app
from bot.staff.runs import RunStore
from bot.staff.sessions import SessionStore
from bot.web.__main__ import load_content
from bot.web.serving import serve

SIGN_IN_RATE = "SSCBOT_STAFF_SIGN_IN_RATE_PER_ADDRESS"


def console_guard(host: str, port: int) -> Guard:
    """Only the console's own site (SSCBOT_STAFF_URL, else its address) may write to it."""
    own = own_sites(settings.staff_url(), host, port)
    return Guard(OriginPolicy.of(own, ()), trusted_proxies=trusted_proxies(settings.trusted_proxies()), name="staff")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.staff", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--rasa-url", default="http://127.0.0.1:5005", help="the Rasa server (REST channel)")
    parser.add_argument(
        "--model",
        type=Path,
        default=settings.PROJECT_DIR / "models" / "ssc.tar.gz",
        help="the model the Rasa server serves (named in the runs)",
    )
    args = parser.parse_args(argv)
    records = settings.feedback_database_url()
    try:
        require_secrets(args.host, ["SSCBOT_STAFF_KEY", "SSCBOT_WEBHOOK_TOKEN"])
        console = StaffConsole(
            StaffStore(records),
            SessionStore(records, key_from(settings.staff_key(), settings.staff_key_file())),
            RunStore(records),
            FeedbackStore(records),
            StaffCopies(records),
            load_content(),
            sa.create_engine(settings.tracker_url()),
            settings.dialogues_dir(),
            args.model,
            args.rasa_url.rstrip("/"),
            sign_in_rate=Rate.parse(settings.rate_setting(SIGN_IN_RATE), SIGN_IN_RATE),
            secure_cookie=(settings.staff_url() or settings.public_url()).startswith("https://"),
        )
        guard = console_guard(args.host, args.port)
    except (ContentError, ValueError, OSError, sa.exc.ArgumentError, SchemaError) as error:
        print(f"Cannot start the staff console: {error}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    asyncio.run(serve(create_app(console, guard, settings.webhook_token()), args.host, args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
