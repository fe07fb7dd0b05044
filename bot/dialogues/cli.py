"""`sscbot dialogues run|record`: the support staff's commands."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bot import settings
from bot.dialogues.record import RecordError, record_script, script_yaml
from bot.dialogues.report import progress_line, summary_line, write_reports
from bot.dialogues.runner import DEFAULT_TIMEOUT_S, DEFAULT_URL, Unreachable, check_reachable, run_scripts
from bot.dialogues.script import ScriptFormatError, load_scripts
from bot.records.conversations import TrackerStoreError
from bot.run.launcher import StartError, assistant_url
from bot.settings import PROJECT_DIR

DEFAULT_JOBS = 4


def _positive(kind):
    def parse(text: str):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be more than 0 (got {text})")
        return value

    return parse


def _run(args: argparse.Namespace) -> int:
    try:
        scripts = load_scripts(args.paths)
    except ScriptFormatError as error:
        print(f"{len(error.problems)} problem(s) in the scripts; nothing was run:\n{error}", file=sys.stderr)
        return 2
    try:
        with assistant_url(args.url, args.start) as url:
            check_reachable(url, args.timeout)
            started = time.monotonic()
            done = []

            def show(result):
                done.append(result)
                print(progress_line(result, len(done), len(scripts)), flush=True)

            results = run_scripts(scripts, url, args.jobs, args.timeout, on_done=show)
            seconds = time.monotonic() - started
    except (Unreachable, StartError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    print(summary_line(results, seconds))
    for path in write_reports(results, args.report, url, seconds):
        print(f"Report: {path}")
    return 0 if all(r.passed for r in results) else 1


def _record(args: argparse.Namespace) -> int:
    try:
        text = script_yaml(record_script(args.tracker_db or settings.tracker_url(), args.sender_id, args.name))
    except (RecordError, TrackerStoreError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    if args.out is None:
        print(text, end="")
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        print(f"Wrote {args.out}; check the expectations, then keep it in dialogues/.", file=sys.stderr)
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    dialogues = commands.add_parser("dialogues", help="run or record scripted dialogues")
    sub = dialogues.add_subparsers(dest="dialogues_command", required=True)

    run = sub.add_parser("run", help="run scripts against a running assistant")
    run.add_argument(
        "paths",
        nargs="*",
        type=Path,
        default=[PROJECT_DIR / "dialogues"],
        help="script files or folders (default: dialogues/)",
    )
    run.add_argument("--url", default=DEFAULT_URL, help=f"the assistant's Rasa server (default {DEFAULT_URL})")
    run.add_argument(
        "--start",
        action="store_true",
        help="start a private assistant on free ports for this run instead of using --url",
    )
    run.add_argument(
        "--report",
        type=Path,
        default=PROJECT_DIR / "results" / "dialogues",
        help="folder for the HTML and JUnit reports (default results/dialogues)",
    )
    run.add_argument(
        "--jobs",
        type=_positive(int),
        default=DEFAULT_JOBS,
        help=f"scripts run at the same time (default {DEFAULT_JOBS})",
    )
    run.add_argument(
        "--timeout",
        type=_positive(float),
        default=DEFAULT_TIMEOUT_S,
        help=f"seconds to wait for each reply (default {DEFAULT_TIMEOUT_S:g})",
    )
    run.set_defaults(handler=_run)

    record = sub.add_parser("record", help="turn a conversation in the tracker store into a script")
    record.add_argument("sender_id", help="the conversation's sender id")
    record.add_argument("--name", help="the script's name")
    record.add_argument("--out", type=Path, help="write the script to this file (default: print it)")
    record.add_argument(
        "--tracker-db", help="SQLAlchemy URL of the tracker store (default: the setting, SSCBOT_TRACKER_URL)"
    )
    record.set_defaults(handler=_record)
