"""`sscbot eval`: the real-question sets through the assistant, with reports."""

from __future__ import annotations

import argparse
import sys
import urllib.error
from pathlib import Path

from bot import settings
from bot.content.files import load_library
from bot.dialogues.runner import DEFAULT_URL
from bot.evaluation.dataset import HELD_OUT, PARTS, DatasetError, load_gate, load_sets
from bot.evaluation.metrics import gate_failures, score
from bot.evaluation.report import write_reports
from bot.evaluation.runner import ask_all
from bot.run.launcher import StartError, assistant_url

SETS_DIR = settings.PROJECT_DIR / "evaluation"


def _eval(args: argparse.Namespace) -> int:
    try:
        library = load_library(settings.content_dir())
        questions = [
            q for q in load_sets(args.sets, set(library.items), settings.max_message_chars()) if q.part in args.parts
        ]
    except DatasetError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    try:
        with assistant_url(args.url, args.start) as url:
            outcomes = ask_all(url, questions)
    except (StartError, urllib.error.URLError, OSError) as error:
        print(f"Error: could not ask the assistant: {error}", file=sys.stderr)
        return 2
    parts = [score(part, [o for o in outcomes if o.question.part == part]) for part in args.parts]
    print(write_reports(parts, args.report))
    print(f"Reports: {args.report / 'eval.txt'}, {args.report / 'eval.html'}")
    for scores in parts:
        for line in scores.unmet():
            print(f"{scores.part}: target of issue #20 not met: {line}", file=sys.stderr)
    failures = [
        line for scores in parts if scores.part == HELD_OUT for line in gate_failures(scores, load_gate(args.sets))
    ]
    for line in failures:
        print(f"Gate failed: {line}", file=sys.stderr)
    return 1 if failures and args.gate else 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    run = commands.add_parser("eval", help="measure understanding on the real-question sets (evaluation/)")
    run.add_argument("--url", default=DEFAULT_URL, help=f"the assistant's Rasa server (default {DEFAULT_URL})")
    run.add_argument("--start", action="store_true", help="start a private assistant on free ports for this run")
    run.add_argument("--sets", type=Path, default=SETS_DIR, help="folder with dev.yml and heldout.yml")
    run.add_argument(
        "--report",
        type=Path,
        default=settings.PROJECT_DIR / "results" / "eval",
        help="folder for the reports (default results/eval)",
    )
    run.add_argument(
        "--parts",
        nargs="+",
        choices=PARTS,
        default=list(PARTS),
        help="which parts to run (default both; tune on dev only)",
    )
    run.add_argument(
        "--gate", action="store_true", help="exit 1 when the held-out part falls below evaluation/gate.yml"
    )
    run.set_defaults(handler=_eval)
