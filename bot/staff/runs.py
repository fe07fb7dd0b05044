"""Script runs started from the staff console: run in the background, watched while they
run, kept (who, when, which model and content version), and compared."""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path
from typing import Any, Dict, List, Optional

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from bot.content.store import create_db_engine
from bot.dialogues.runner import ScriptResult, TurnResult, run_scripts
from bot.dialogues.script import Script
from bot.staff.tables import RunRow


def one_line(text: str, limit: int = 160) -> str:
    """A reason on one line: the first `limit` characters, line breaks shown as spaces."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def turn_json(number: int, turn: TurnResult) -> Dict[str, Any]:
    messages = turn.reply.messages if turn.reply else []
    return {
        "number": number,
        "line": turn.turn.line,
        "label": turn.turn.label,
        "sent": turn.sent,
        "messages": [{k: m[k] for k in ("text", "buttons", "custom") if m.get(k)} for m in messages],
        "checks": [{"name": c.name, "passed": c.passed, "summary": one_line(c.summary)} for c in turn.checks],
        "error": turn.error,
        "passed": turn.passed,
    }


def script_json(result: ScriptResult) -> Dict[str, Any]:
    return {
        "name": result.script.name,
        "file": Path(result.script.file).name,
        "passed": result.passed,
        "failure": one_line(result.failure),
        "seconds": round(result.seconds, 2),
        "turns": [turn_json(n, t) for n, t in enumerate(result.turns, 1)],
    }


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def run_json(row: RunRow) -> Dict[str, Any]:
    results = json.loads(row.results)
    return {
        "id": row.id,
        "started_by": row.started_by,
        "started_at": row.started_at.isoformat(timespec="seconds") + "Z",
        "finished": row.finished_at is not None,
        "model": row.model,
        "content_version": row.content_version,
        "total": row.total,
        "done": len(results),
        "passed": sum(r["passed"] for r in results),
        "results": results,
    }


def compare(base: Dict[str, Any], other: Dict[str, Any]) -> Dict[str, List[str]]:
    """Scripts that fail in `other` but passed in `base`, and the other way round."""
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

    def start(self, scripts: List[Script], who: str, model: str, content_version: str, url: str) -> int:
        """Record a run and play it in a background thread; its id."""
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
        threading.Thread(target=self._play, args=(run_id, scripts, url), daemon=True).start()
        return run_id

    def _play(self, run_id: int, scripts: List[Script], url: str) -> None:
        run_scripts(scripts, url, jobs=2, on_done=lambda result: self._add(run_id, script_json(result)))
        with self._session.begin() as session:
            session.get(RunRow, run_id).finished_at = _now()

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
