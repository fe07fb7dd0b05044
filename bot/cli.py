"""The `sscbot` command: run the assistant, check and load content."""
from __future__ import annotations

import argparse
import datetime as dt
import signal
import subprocess
import sys
from pathlib import Path
from typing import List, Optional

from bot import settings
from bot.content_files import ContentError, load_library
from bot.content_report import MAX_GRADE, check_items, report_lines
from bot.launcher import Assistant, AssistantConfig, StartError
from bot.store import ContentStore


def _run(args: argparse.Namespace) -> int:
    if _content_check(args):
        return 2
    if not args.model.exists():
        print(f"No trained model at {args.model}: run `make train` first.", file=sys.stderr)
        return 2
    config = AssistantConfig(rasa_port=args.port, action_port=args.action_port, model=args.model)
    assistant = Assistant(config)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C, even if started in the background
    try:
        print("Starting the action server and the Rasa server ...", flush=True)
        assistant.start()
        print(
            "\nThe assistant is ready.\n"
            f"  Chat in this terminal:   make shell\n"
            f"  Or over the REST webhook:\n"
            f"    curl -s -X POST {config.rasa_url}/webhooks/rest/webhook \\\n"
            "      -H 'Content-Type: application/json' \\\n"
            "      -d '{\"sender\": \"me\", \"message\": \"what helps calcinosis?\"}'\n"
            "Press Ctrl-C to stop both servers.\n",
            flush=True,
        )
        return assistant.wait()
    except StartError as error:
        print(f"Could not start the assistant: {error}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, SystemExit):
        print("\nStopping ...", flush=True)
        return 0
    finally:
        assistant.stop()


def _content_check(args: argparse.Namespace) -> int:
    """Validate content/ and load it into the content store; 2 when it is bad."""
    try:
        store = ContentStore(settings.database_url())
        library = store.load_dir(settings.content_dir())
        where = store.engine.url.render_as_string(hide_password=True)
        print(f"Content OK: {len(library.items)} items loaded into {where}")
    except ContentError as error:
        print(f"Content error: {error}", file=sys.stderr)
        return 2
    return 0


def _content_report(args: argparse.Namespace) -> int:
    """Each item's readability grade and review date, the distribution, overdue reviews."""
    try:
        library = load_library(settings.content_dir())
    except ContentError as error:
        print(f"Content error: {error}", file=sys.stderr)
        return 2
    max_age = args.max_age_days if args.max_age_days is not None else settings.review_max_age_days()
    checks = check_items(library, dt.date.today(), max_age)
    print("\n".join(report_lines(checks, max_age)))
    return 1 if any(c.grade > MAX_GRADE for c in checks) else 0


def _shell(args: argparse.Namespace) -> int:
    if _content_check(args):
        return 2
    assistant = Assistant(AssistantConfig(action_port=args.action_port, model=args.model))
    try:
        assistant.start_actions()
        return subprocess.call(assistant.rasa_command("shell"), cwd=settings.PROJECT_DIR, env=assistant.env)
    except StartError as error:
        print(f"Could not start the action server: {error}", file=sys.stderr)
        return 1
    finally:
        assistant.stop()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sscbot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="start the action server and the Rasa server")
    run.add_argument("--port", type=int, default=5005, help="Rasa server port (default 5005)")
    run.add_argument("--action-port", type=int, default=5055, help="action server port (default 5055)")
    run.add_argument("--model", type=Path, default=settings.PROJECT_DIR / "models" / "ssc.tar.gz")
    run.set_defaults(handler=_run)

    shell = commands.add_parser("shell", help="chat in this terminal (starts the action server)")
    shell.add_argument("--action-port", type=int, default=5055, help="action server port (default 5055)")
    shell.add_argument("--model", type=Path, default=settings.PROJECT_DIR / "models" / "ssc.tar.gz")
    shell.set_defaults(handler=_shell)

    content = commands.add_parser("content", help="work with content/")
    content_commands = content.add_subparsers(dest="content_command", required=True)
    check = content_commands.add_parser("check", help="validate content/ and load it into the content store")
    check.set_defaults(handler=_content_check)
    report = content_commands.add_parser("report", help="readability and review dates of every item")
    report.add_argument("--max-age-days", type=int, default=None,
                        help="review age limit (default SSCBOT_REVIEW_MAX_AGE_DAYS or 730)")
    report.set_defaults(handler=_content_report)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
