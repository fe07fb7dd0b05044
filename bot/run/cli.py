"""The `sscbot` command: run the assistant, check and load content, report answer ratings and
unanswered questions, measure understanding (`sscbot eval`).

The content's reader and spaCy (which brings TensorFlow) are imported only by the commands
that read content, so that `sscbot --help`, `sscbot staff ...` and the like start at once."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import secrets
import signal
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from typing import List, Optional

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from bot import settings
from bot.content.files import ContentError, load_library
from bot.content.report import MAX_GRADE, check_items, report_lines
from bot.content.store import unreachable
from bot.dialogues.cli import add_commands as add_dialogue_commands
from bot.evaluation.cli import add_commands as add_eval_commands
from bot.records.conversations import TrackerStoreError
from bot.records.ratings import FeedbackStore
from bot.records.ratings import report_lines as feedback_report_lines
from bot.records.schema import SchemaError
from bot.records.staff_copies import StaffCopies
from bot.records.tracker_records import ConversationRecords
from bot.records.unanswered import group_by_terms, unanswered_questions
from bot.records.unanswered import report_lines as gaps_report_lines
from bot.run.cluster import Cluster, ClusterConfig
from bot.run.launcher import Assistant, AssistantConfig, LoadError, StartError
from bot.run.services import ServiceError
from bot.staff.accounts import AccountError, StaffStore, check_password


def _settings_check() -> int:
    """2, with the cause, when a setting is invalid or a database cannot be reached."""
    try:
        run = settings.current()
    except ValueError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return 2
    databases = {
        "content store": run.database_url,
        "tracker store": run.tracker_url,
        "feedback store": run.feedback_database_url,
    }
    for name, url in databases.items():
        reason = unreachable(url)
        if reason:
            print(f"Cannot use the {name} database ({_shown_url(url)}): {reason}", file=sys.stderr)
            return 2
    return 0


def _shown_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "an invalid URL"


def _model_missing(model: Path) -> bool:
    if model.exists():
        return False
    print(f"No trained model at {model}: run `make train` first.", file=sys.stderr)
    return True


def _stop_on_signals() -> None:
    """SIGTERM and Ctrl-C (even when started in the background) stop the servers in order."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, signal.default_int_handler)


def _run(args: argparse.Namespace) -> int:
    if _settings_check():
        return 2
    if _model_missing(args.model):
        return 2
    config = AssistantConfig(
        rasa_port=args.port,
        action_port=args.action_port,
        web_port=args.web_port,
        staff_port=args.staff_port,
        model=args.model,
    )
    assistant = Assistant(config)
    _stop_on_signals()
    try:
        assistant.load_content()  # bad content stops it here, before any server or port
        print("Starting the action server, the Rasa server, the chat widget and the staff console ...", flush=True)
        assistant.start()
        print(
            "\nThe assistant is ready.\n"
            f"  Chat widget:             http://localhost:{config.web_port}/\n"
            f"  Staff console:           http://localhost:{config.staff_port}/staff/ (this machine only; "
            "add a name with `sscbot staff add NAME`)\n"
            f"  Chat in this terminal:   make shell\n"
            f"  Or over the REST webhook:\n"
            f"    curl -s -X POST {config.rasa_url}/webhooks/rest/webhook \\\n"
            "      -H 'Content-Type: application/json' \\\n"
            f'      -d \'{{"sender": "{secrets.token_urlsafe(16)}", "message": "what helps calcinosis?"}}\'\n'
            "    (the sender: a conversation id of 128 random bits; each conversation its own)\n"
            "Press Ctrl-C to stop the servers.\n",
            flush=True,
        )
        return assistant.wait()
    except LoadError as error:
        print(error, file=sys.stderr)
        return 2
    except StartError as error:
        print(f"Could not start the assistant: {error}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, SystemExit):
        print("\nStopping ...", flush=True)
        return 0
    finally:
        assistant.stop()


def _content_load(args: argparse.Namespace) -> int:
    """The explicit load step: validate content/ and write it to the content store; 2 when it is
    bad, or when the trained model `--model` was made from other content than content/ in what
    it uses (bot.content.model_parts)."""
    from bot.content.repository import load_into_store

    try:
        if args.model is not None and _model_refused(args.model):
            return 2
        store = load_into_store(settings.database_url())
        FeedbackStore.create(settings.feedback_database_url())
        StaffStore.create(settings.feedback_database_url())
        StaffCopies.create(settings.feedback_database_url())
    except ContentError as error:
        print(f"Content error: {error}", file=sys.stderr)
        return 2
    except (SchemaError, SQLAlchemyError) as error:
        print(f"Database error: {error}", file=sys.stderr)
        return 2
    where = store.engine.url.render_as_string(hide_password=True)
    done = "loaded into" if store.changed else "already current in"
    version = (store.loaded_digest() or "")[:12]
    print(f"Content OK: {len(store.items())} items (version {version}) {done} {where}")
    return 0


def _content_digest(args: argparse.Namespace) -> int:
    """The digest of what the trained model uses from content/; with --write FILE, written there
    only when it changed, so that make retrains then and only then."""
    from bot.content import model_parts

    try:
        digest = model_parts.digest(settings.content_dir())
    except ContentError as error:
        print(f"Content error: {error}", file=sys.stderr)
        return 2
    if args.write is None:
        print(digest)
    elif not args.write.exists() or args.write.read_text(encoding="utf-8").strip() != digest:
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text(f"{digest}\n", encoding="utf-8")
    return 0


def _model_refused(model: Path) -> bool:
    from bot.content import model_parts

    try:
        saved = model_parts.archive_digest(model)
    except (OSError, tarfile.TarError) as error:
        print(f"Cannot read the trained model {model}: {error}. Run `{model_parts.RETRAIN}`.", file=sys.stderr)
        return True
    problem = model_parts.mismatch(saved, settings.content_dir(), f"The trained model {model}")
    if problem:
        print(problem, file=sys.stderr)
    return problem is not None


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


def _feedback_report(args: argparse.Namespace) -> int:
    """How patients rated each answer in the widget."""
    try:
        ratings = FeedbackStore(settings.feedback_database_url()).per_item()
    except (SchemaError, SQLAlchemyError) as error:
        print(f"Feedback report failed: {error}", file=sys.stderr)
        return 2
    print("\n".join(feedback_report_lines(ratings)))
    return 0


def _gaps_report(args: argparse.Namespace) -> int:
    """Questions answered "not covered" or "not understood", grouped by the terms they name."""
    try:
        questions = unanswered_questions(create_engine(args.tracker_db or settings.tracker_url()))
    except (TrackerStoreError, SQLAlchemyError) as error:
        print(f"Gaps report failed: {error}", file=sys.stderr)
        return 2
    groups = group_by_terms(questions)
    print("\n".join(gaps_report_lines(questions, groups, args.most)))
    return 0


def _purge(args: argparse.Namespace) -> int:
    """Delete conversations whose last message is older than --days, their ratings and the
    staff's tries of their questions, and any rating older than that."""
    try:
        records = ConversationRecords.at(settings.tracker_url())
        senders = records.purge(args.days) if records else []
        feedback = FeedbackStore(settings.feedback_database_url())
        ratings = feedback.forget(senders) + feedback.purge(args.days)
        copies = StaffCopies(settings.feedback_database_url()).forget(senders)
        if records:
            records.forget(copies)
    except (TrackerStoreError, SchemaError, SQLAlchemyError) as error:
        print(f"Purge failed: {error}", file=sys.stderr)
        return 2
    print(
        f"Deleted {len(senders)} conversations older than {args.days:g} days, {ratings} ratings "
        f"and {len(copies)} staff tries of their questions."
    )
    return 0


def _shell(args: argparse.Namespace) -> int:
    assistant = Assistant(AssistantConfig(action_port=args.action_port, model=args.model))
    try:
        assistant.start_actions()
        return subprocess.call(assistant.rasa_command("shell"), cwd=settings.PROJECT_DIR, env=assistant.env)
    except LoadError as error:
        print(error, file=sys.stderr)
        return 2
    except StartError as error:
        print(f"Could not start the action server: {error}", file=sys.stderr)
        return 1
    finally:
        assistant.stop()


def _cluster(args: argparse.Namespace) -> int:
    """PostgreSQL, Redis, nginx, N Rasa servers and N action servers (started again when they exit),
    the widget server and the staff console; Ctrl-C stops all."""
    if _model_missing(args.model):
        return 2
    folder = settings.PROJECT_DIR / "var" / "cluster"
    cluster = Cluster(
        ClusterConfig(
            folder, "cluster", args.replicas, args.port, args.action_port, args.web_port, args.staff_port, args.model
        )
    )
    _stop_on_signals()
    try:
        print(f"Starting PostgreSQL, Redis, nginx and {args.replicas} replicas ...", flush=True)
        cluster.start()
        print(
            f"\nThe assistant is ready: {args.replicas} Rasa servers and {args.replicas} action servers behind nginx.\n"
            f"  Chat widget:        http://localhost:{args.web_port}/\n"
            f"  Staff console:      http://localhost:{args.staff_port}/staff/ (this machine only)\n"
            f"  REST webhook:       {cluster.rasa_url}/webhooks/rest/webhook (nginx)\n"
            f"  PostgreSQL, Redis:  {cluster.postgres.url.split('@')[1]}, {cluster.redis.url}\n"
            f"  Logs:               {folder / 'logs'}\n"
            "A Rasa or action server that exits is started again.\n"
            "Press Ctrl-C to stop all of it.\n",
            flush=True,
        )
        while True:
            time.sleep(3600)
    except (ServiceError, StartError, SchemaError, SQLAlchemyError) as error:
        print(f"Could not start the cluster: {error}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, SystemExit):
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C does not cut the stopping short
        print("\nStopping ...", flush=True)
    finally:
        cluster.stop()
    return 0


def _staff_add(args: argparse.Namespace) -> int:
    """Add a staff member to the console, or set a new password (which lifts the slow-down
    and ends every session of the name)."""
    try:
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass(f"Password for {args.name}: ")
            check_password(password)
            if getpass.getpass("Again: ") != password:
                print("The two passwords differ.", file=sys.stderr)
                return 2
        StaffStore.create(settings.feedback_database_url()).add(args.name, password)
    except (AccountError, SchemaError, SQLAlchemyError) as error:
        print(f"Cannot add {args.name}: {error}", file=sys.stderr)
        return 2
    print(f"{args.name} can sign in to the staff console: {_console_address()}")
    return 0


def _console_address() -> str:
    return f"{settings.staff_url() or 'http://localhost:8081'}/staff/"


def _staff_remove(args: argparse.Namespace) -> int:
    """Remove a staff member; every session of the name ends at once."""
    try:
        removed = StaffStore.create(settings.feedback_database_url()).remove(args.name)
    except (SchemaError, SQLAlchemyError) as error:
        print(f"Cannot remove {args.name}: {error}", file=sys.stderr)
        return 2
    print(f"Removed {args.name}; their sessions are ended." if removed else f"There is no staff member {args.name}.")
    return 0 if removed else 1


def _staff_list(args: argparse.Namespace) -> int:
    """Names, last sign-in (UTC) and whether sign-in is slowed down after failures."""
    try:
        accounts = StaffStore.create(settings.feedback_database_url()).accounts()
    except (SchemaError, SQLAlchemyError) as error:
        print(f"Cannot list the staff: {error}", file=sys.stderr)
        return 2
    if not accounts:
        print("No staff members yet: add one with `sscbot staff add NAME`.")
    for account in accounts:
        last = f"{account.last_sign_in:%Y-%m-%d %H:%M} UTC" if account.last_sign_in else "never"
        state = f"{account.failures} failed sign-ins" if account.failures else "no failed sign-ins"
        if account.slowed_until:
            state += f", next try checked after {account.slowed_until:%H:%M:%S} UTC"
        print(f"{account.name}  last sign-in: {last}  {state}")
    return 0


def _command_group(commands, name: str, help: str):
    """A command with subcommands of its own, e.g. `sscbot content check`."""
    return commands.add_parser(name, help=help).add_subparsers(dest=f"{name}_command", required=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sscbot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="start the action server, the Rasa server, the chat widget and the console")
    run.add_argument("--port", type=int, default=5005, help="Rasa server port (default 5005)")
    run.add_argument("--action-port", type=int, default=5055, help="action server port (default 5055)")
    run.add_argument("--web-port", type=int, default=8080, help="chat widget port (default 8080)")
    run.add_argument("--staff-port", type=int, default=8081, help="staff console port (default 8081)")
    run.add_argument("--model", type=Path, default=settings.PROJECT_DIR / "models" / "ssc.tar.gz")
    run.set_defaults(handler=_run)

    shell = commands.add_parser("shell", help="chat in this terminal (starts the action server)")
    shell.add_argument("--action-port", type=int, default=5055, help="action server port (default 5055)")
    shell.add_argument("--model", type=Path, default=settings.PROJECT_DIR / "models" / "ssc.tar.gz")
    shell.set_defaults(handler=_shell)

    cluster = commands.add_parser("cluster", help="replicas on PostgreSQL and Redis behind nginx, on this machine")
    cluster.add_argument("--replicas", type=int, default=2, help="Rasa servers and action servers (default 2)")
    cluster.add_argument("--port", type=int, default=5005, help="nginx in front of the Rasa servers (default 5005)")
    cluster.add_argument("--action-port", type=int, default=5055, help="nginx in front of the action servers")
    cluster.add_argument("--web-port", type=int, default=8080, help="chat widget port (default 8080)")
    cluster.add_argument("--staff-port", type=int, default=8081, help="staff console port (default 8081)")
    cluster.add_argument("--model", type=Path, default=settings.PROJECT_DIR / "models" / "ssc.tar.gz")
    cluster.set_defaults(handler=_cluster)

    staff_commands = _command_group(commands, "staff", "staff console accounts")
    add = staff_commands.add_parser("add", help="add a staff member (asks for the password)")
    add.add_argument("name")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.set_defaults(handler=_staff_add)
    remove = staff_commands.add_parser("remove", help="remove a staff member and end their sessions")
    remove.add_argument("name")
    remove.set_defaults(handler=_staff_remove)
    staff_commands.add_parser("list", help="names, last sign-in and slow-down").set_defaults(handler=_staff_list)

    content_commands = _command_group(commands, "content", "work with content/")
    for name in ("load", "check"):
        load = content_commands.add_parser(name, help="validate content/ and load it into the content store")
        load.add_argument("--model", type=Path, help="first check that this trained model was made from content/")
        load.set_defaults(handler=_content_load)
    digest = content_commands.add_parser("digest", help="the digest of what the trained model uses from content/")
    digest.add_argument("--write", type=Path, help="write it to this file, only when it changed")
    digest.set_defaults(handler=_content_digest)
    report = content_commands.add_parser("report", help="readability and review dates of every item")
    report.add_argument(
        "--max-age-days", type=int, default=None, help="review age limit (default SSCBOT_REVIEW_MAX_AGE_DAYS or 730)"
    )
    report.set_defaults(handler=_content_report)

    feedback_commands = _command_group(commands, "feedback", "answer ratings from the chat widget")
    feedback_commands.add_parser("report", help="helpful / not helpful counts per content item").set_defaults(
        handler=_feedback_report
    )

    gaps_commands = _command_group(commands, "gaps", "questions the assistant could not answer")
    gaps = gaps_commands.add_parser("report", help="unanswered questions grouped by the terms they name")
    gaps.add_argument("--most", type=int, default=30, help="how many groups to list (default 30)")
    gaps.add_argument(
        "--tracker-db", help="SQLAlchemy URL of the tracker store (default: the setting, SSCBOT_TRACKER_URL)"
    )
    gaps.set_defaults(handler=_gaps_report)

    purge_command = commands.add_parser("purge", help="delete conversations older than some days, with their ratings")
    purge_command.add_argument(
        "--days", type=_days, required=True, help="delete conversations whose last message is older than this"
    )
    purge_command.set_defaults(handler=_purge)

    add_dialogue_commands(commands)
    add_eval_commands(commands)
    return parser


def _days(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more (got {text})")
    return value


def main(argv: Optional[List[str]] = None) -> int:
    os.umask(0o077)  # what the assistant writes (databases, logs) is readable by this user only
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
