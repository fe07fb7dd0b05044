"""Start time and memory of the `sscbot` commands that need no model (issue #23: under 1 s),
each run a few times on temporary databases; the median wall time and the largest RSS."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Tuple

from bot.settings import PROJECT_DIR

SSCBOT = str(Path(sys.executable).with_name("sscbot"))
COMMANDS = (
    ("--help",),
    ("content", "load"),
    ("content", "digest"),
    ("content", "report"),
    ("purge", "--days", "30"),
    ("gaps", "report"),
    ("feedback", "report"),
    ("staff", "list"),
)
RUNS = 3


def _once(argv: Tuple[str, ...], env: Dict[str, str]) -> Tuple[float, float, int]:
    """Wall seconds, peak RSS (MB) and exit code of one run (a report on empty databases may
    say it has nothing to read: it is timed all the same)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [SSCBOT, *argv], cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - started, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def measure() -> List[Dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="sscbot-commands-") as folder:
        env = {
            **os.environ,
            **{
                f"SSCBOT_{name}_URL": f"sqlite:///{Path(folder) / name.lower()}.db"
                for name in ("TRACKER", "DATABASE", "FEEDBACK_DATABASE")
            },
        }
        found = []
        for argv in COMMANDS:
            runs = [_once(argv, env) for _ in range(RUNS)]
            found.append(
                {
                    "command": " ".join(argv),
                    "median_s": round(statistics.median(s for s, _, _ in runs), 2),
                    "rss_mb": round(max(mb for _, mb, _ in runs)),
                    "exit": runs[-1][2],
                }
            )
    return found
