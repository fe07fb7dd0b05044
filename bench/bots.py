"""The two bots under test, trained and started in a work folder.

- ours: trained from config.yml, domain.yml and data/ (`rasa train --out`), started
  by bot.run.launcher as `make run` starts it (action server, Rasa server with the SQL
  tracker store, widget server), with its own SQLite files;
- the starter: Rasa's `rasa init` bot, created and trained by `rasa init`, served
  by `rasa run` with its own credentials (REST) and endpoints (no action server).

Both train with an empty Rasa cache of their own, so the times are full trainings.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import uuid
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

from bot.run.launcher import HOST, STOP_TIMEOUT_S, Assistant, AssistantConfig, StartError, free_port
from bot.run.rest_client import RestClient
from bot.settings import PROJECT_DIR

RASA_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "PYTHONWARNINGS": "ignore",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
}
COLD_START_TIMEOUT_S = 300.0


def _rasa(*args: str) -> List[str]:
    """Rasa as is (the starter bot)."""
    return [sys.executable, "-m", "rasa", *args]


def _our_rasa(*args: str) -> List[str]:
    """Rasa through our entry point, patched (bot.run.rasa_server), as `make train` runs it."""
    return [sys.executable, "-m", "bot.run.rasa_server", *args]


def _timed(command: List[str], cwd: Path, log: Path, env: Dict[str, str]) -> float:
    """Run a command to its end, output to `log`; its wall time in seconds."""
    log.parent.mkdir(parents=True, exist_ok=True)
    begin = time.monotonic()
    with log.open("wb") as output:
        code = subprocess.call(
            command, cwd=cwd, env={**os.environ, **RASA_ENV, **env}, stdout=output, stderr=subprocess.STDOUT
        )
    if code:
        raise StartError(f"`{' '.join(command[2:])}` failed with code {code}, see {log}")
    return time.monotonic() - begin


def _once(record: Path, make: Callable[[], Dict[str, Any]]) -> Dict[str, Any]:
    """`make()`'s model and training time, or those of an earlier run in the same work folder."""
    if record.exists():
        done = json.loads(record.read_text(encoding="utf-8"))
        if Path(done["model"]).exists():
            return {**done, "reused": True}
    done = make()
    record.write_text(json.dumps(done), encoding="utf-8")
    return {**done, "reused": False}


def train_ours(work: Path, logs: Path) -> Dict[str, Any]:
    """Our model, trained from config.yml, domain.yml and data/, and its training time."""
    out = work / "ours"

    def make() -> Dict[str, Any]:
        print("Training ours ...", flush=True)
        seconds = _timed(
            _our_rasa(
                "train",
                "--config",
                "config.yml",
                "--domain",
                "domain.yml",
                "--data",
                "data",
                "--out",
                str(out),
                "--fixed-model-name",
                "ssc",
            ),
            PROJECT_DIR,
            logs / "train-ours.log",
            {
                "RASA_CACHE_DIRECTORY": str(work / "cache-ours"),
                "SSCBOT_DATABASE_URL": f"sqlite:///{out / 'content.db'}",
            },
        )
        return {"model": str(out / "ssc.tar.gz"), "training_s": round(seconds, 1)}

    return _once(work / "ours.json", make)


def create_starter(work: Path, logs: Path) -> Dict[str, Any]:
    """Rasa's starter project made by `rasa init` (which trains it), and its training time."""
    project = work / "starter"

    def make() -> Dict[str, Any]:
        print("Creating and training the starter bot (rasa init) ...", flush=True)
        project.mkdir(parents=True, exist_ok=True)
        seconds = _timed(
            _rasa("init", "--no-prompt", "--init-dir", str(project)),
            project,
            logs / "train-starter.log",
            {"RASA_CACHE_DIRECTORY": str(work / "cache-starter")},
        )
        return {"model": str(next((project / "models").glob("*.tar.gz"))), "training_s": round(seconds, 1)}

    return _once(work / "starter.json", make)


class Ours:
    """Our assistant, as `make run` starts it, on free ports with its own databases."""

    name = "ours"

    def __init__(self, work: Path, logs: Path, model: Path, endpoints: Optional[Path], env: Dict[str, str]):
        run = work / "ours-run"
        self.assistant = Assistant(
            AssistantConfig(
                rasa_port=free_port(),
                action_port=free_port(),
                web_port=free_port(),
                staff_port=free_port(),
                model=model,
                endpoints=endpoints or PROJECT_DIR / "endpoints.yml",
                runtime_dir=run,
                # A given endpoints file keeps its own tracker store.
                tracker_db=None if endpoints else run / "tracker.db",
                log_dir=logs / "ours",
                env={
                    **RASA_ENV,
                    "SSCBOT_DATABASE_URL": f"sqlite:///{run / 'content.db'}",
                    "SSCBOT_FEEDBACK_DATABASE_URL": f"sqlite:///{run / 'feedback.db'}",
                    **env,
                },
            )
        )
        self.url = self.assistant.config.rasa_url

    def start(self) -> None:
        self.assistant.start()

    def alive(self) -> bool:
        return all(p.poll() is None for p in self.assistant.processes.values())

    def pids(self) -> Dict[str, int]:
        """Every server `make run` starts: actions, Rasa, the widget server and the staff console."""
        return {name: process.pid for name, process in self.assistant.processes.items()}

    def stop(self) -> None:
        self.assistant.stop()


class Starter:
    """Rasa's starter bot, served by `rasa run` from its project folder."""

    name = "starter"

    def __init__(self, work: Path, logs: Path, model: Path):
        self.project = work / "starter"
        self.model = model
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.log = logs / "starter" / "rasa.log"
        self.process: Optional[subprocess.Popen] = None

    def start(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                _rasa(
                    "run",
                    "--model",
                    str(self.model),
                    "--interface",
                    HOST,
                    "--port",
                    str(self.port),
                    "--credentials",
                    "credentials.yml",
                    "--endpoints",
                    "endpoints.yml",
                ),
                cwd=self.project,
                env={**os.environ, **RASA_ENV},
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def pids(self) -> Dict[str, int]:
        return {"rasa": self.process.pid}

    def stop(self) -> None:
        if not self.alive():
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def cold_start(bot, first_message: str) -> float:
    """Seconds from starting the bot's processes until its first answer arrives."""
    client = RestClient(bot.url, timeout=COLD_START_TIMEOUT_S)
    begin = time.monotonic()
    bot.start()
    while time.monotonic() < begin + COLD_START_TIMEOUT_S:
        if not bot.alive():
            raise StartError(f"{bot.name}: a server exited during start-up, see the logs")
        try:
            client.send(f"bench-{uuid.uuid4().hex}", first_message)
            return time.monotonic() - begin
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    raise StartError(f"{bot.name}: no answer {COLD_START_TIMEOUT_S:.0f} s after the start")


def _tree(pid: int) -> List[int]:
    """`pid` and its descendants (e.g. Sanic worker processes)."""
    children: List[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children += [int(c) for c in (task / "children").read_text().split()]
    return [pid] + [p for child in children for p in _tree(child)]


def _status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pids: Dict[str, int]) -> Dict[str, float]:
    """CPU time (user + system) used so far by each named process and its descendants."""
    return {name: sum(_cpu_ticks(p) for p in _tree(pid)) / os.sysconf("SC_CLK_TCK") for name, pid in pids.items()}


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return int(fields[11]) + int(fields[12])  # utime and stime, fields 14 and 15 of /proc/<pid>/stat


def memory(pids: Dict[str, int]) -> Dict[str, List[Dict[str, float]]]:
    """RSS and peak RSS (MB) of each named process and of each of its descendants."""
    return {
        name: [
            {"pid": p, "rss_mb": round(_status_mb(p, "VmRSS"), 1), "peak_mb": round(_status_mb(p, "VmHWM"), 1)}
            for p in _tree(pid)
        ]
        for name, pid in pids.items()
    }
