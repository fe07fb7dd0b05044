"""Script runs started from the staff console: run in the background, watched while they
run, stopped on request, kept (who, when, which model and content version), and compared.

Each check is kept as a sentence in plain words (bot.staff.plain_words), with what the
assistant did instead when it failed."""

from __future__ import annotations

import datetime as dt
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Dict, List, Optional

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from bot.content.store import create_db_engine
from bot.dialogues.runner import ScriptResult, TurnResult, run_script
from bot.dialogues.script import Script
from bot.staff.plain_words import Wording
from bot.staff.tables import RunRow

JOBS = 2  # scripts played at once


def one_line(text: str, limit: int = 160) -> str:
    """A reason on one line: the first `limit` characters, line breaks shown as spaces."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def turn_json(number: int, turn: TurnResult, wording: Wording) -> Dict[str, Any]:
    messages = turn.reply.messages if turn.reply else []
    return {
        "number": number,
        "line": turn.turn.line,
        "action": turn.turn.action,
        "text": turn.turn.text,
        "sent": turn.sent,
        "messages": [{k: m[k] for k in ("text", "buttons", "custom") if m.get(k)} for m in messages],
        "checks": [wording.check(c) for c in turn.checks],
        "error": turn.error,
        "passed": turn.passed,
    }


def failure(turns: List[Dict[str, Any]], expected_turns: int) -> str:
    """Why a script failed, in plain words ('' when it passed)."""
    for turn in turns:
        if turn["error"]:
            return f"Turn {turn['number']}: {turn['error']}"
        failed = next((c for c in turn["checks"] if not c["passed"]), None)
        if failed:
            return f"Turn {turn['number']}: {failed['sentence']} ✗ ({failed['outcome']})"
    return "" if len(turns) == expected_turns else "Not every turn was played."


def script_json(result: ScriptResult, wording: Wording) -> Dict[str, Any]:
    turns = [turn_json(n, t, wording) for n, t in enumerate(result.turns, 1)]
    return {
        "name": result.script.name,
        "file": Path(result.script.file).name,
        "passed": result.passed,
        "failure": one_line(failure(turns, len(result.script.turns))) if not result.passed else "",
        "seconds": round(result.seconds, 2),
        "turns": turns,
    }


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def run_json(row: RunRow) -> Dict[str, Any]:
    results = json.loads(row.results)
    model_file, _, model_hash = row.model.partition(" ")
    finished = row.finished_at is not None
    return {
        "id": row.id,
        "started_by": row.started_by,
        "started_at": row.started_at.isoformat(timespec="seconds") + "Z",
        "finished": finished,
        "stopped": finished and len(results) < row.total,  # ended before every script was played
        "model_file": model_file,
        "model_hash": model_hash,
        "content_version": row.content_version,
        "total": row.total,
        "done": len(results),
        "passed": sum(r["passed"] for r in results),
        "results": results,
    }


def compare(base: Dict[str, Any], other: Dict[str, Any]) -> Dict[str, List[str]]:
    """Scripts that fail in `other` but passed in `base`, the other way round, and the scripts
    only one of the two runs played."""
    before = {r["name"]: r["passed"] for r in base["results"]}
    after = {r["name"]: r["passed"] for r in other["results"]}
    common = sorted(before.keys() & after.keys())
    return {
        "newly_failing": [n for n in common if before[n] and not after[n]],
        "newly_passing": [n for n in common if after[n] and not before[n]],
        "only_in_base": sorted(before.keys() - after.keys()),
        "only_in_other": sorted(after.keys() - before.keys()),
    }


class RunStore:
    """Runs in the ratings database (tables made by StaffStore.create)."""

    def __init__(self, url: str):
        self._session = sessionmaker(create_db_engine(url), future=True)
        self._lock = threading.Lock()
        self._stops: Dict[int, threading.Event] = {}  # the runs playing in this process

    def start(
        self, scripts: List[Script], who: str, model: str, content_version: str, url: str, wording: Wording
    ) -> int:
        """Record a run and play it in a background thread; its id. `wording` puts its checks in
        plain words."""
        with self._session.begin() as session:
            row = RunRow(
                started_by=who,
                started_at=_now(),
                model=model,
                content_version=content_version,
                total=len(scripts),
                results="[]",
            )
            session.add(row)
            session.flush()
            run_id = row.id
        self._stops[run_id] = threading.Event()
        threading.Thread(target=self._play, args=(run_id, scripts, url, wording), daemon=True).start()
        return run_id

    def stop(self, run_id: int) -> bool:
        """Play no further script of this run (those being played finish); False if it is not
        playing."""
        stop = self._stops.get(run_id)
        if stop is not None:
            stop.set()
        return stop is not None

    def _play(self, run_id: int, scripts: List[Script], url: str, wording: Wording) -> None:
        stop = self._stops[run_id]

        def play(script: Script) -> None:
            if not stop.is_set():  # checked before each script
                self._add(run_id, script_json(run_script(script, url), wording))

        try:
            with ThreadPoolExecutor(JOBS) as pool:
                list(pool.map(play, scripts))
        finally:
            with self._session.begin() as session:
                session.get(RunRow, run_id).finished_at = _now()
            del self._stops[run_id]

    def _add(self, run_id: int, result: Dict[str, Any]) -> None:
        with self._lock, self._session.begin() as session:
            row = session.get(RunRow, run_id)
            row.results = json.dumps([*json.loads(row.results), result])

    def get(self, run_id: int) -> Optional[Dict[str, Any]]:
        with self._session() as session:
            row = session.get(RunRow, run_id)
            return run_json(row) if row else None

    def recent(self, limit: int = 20) -> List[Dict[str, Any]]:
        with self._session() as session:
            rows = session.execute(select(RunRow).order_by(RunRow.id.desc()).limit(limit)).scalars().all()
            return [{k: v for k, v in run_json(row).items() if k != "results"} for row in rows]
