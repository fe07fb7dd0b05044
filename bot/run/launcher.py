"""Start and stop the action server, the Rasa server, the widget's web server and the
staff console together, on loopback.

Used by `sscbot run` (`make run`) and by the end-to-end tests, so both run the
assistant the same way.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, NamedTuple, Optional

from sqlalchemy.engine import make_url

from bot import settings
from bot.settings import PROJECT_DIR, Settings

HOST = "127.0.0.1"
READY_TIMEOUT_S = 240.0
STOP_TIMEOUT_S = 20.0


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server(NamedTuple):
    name: str
    command: List[str]
    ready_url: str  # answers 200 once the server is ready


class StartError(RuntimeError):
    """A server did not come up; the message says which and shows its last log lines."""


class LoadError(StartError):
    """The content load step failed (bad content, a database); the message is the step's."""


@dataclass
class AssistantConfig:
    rasa_port: int = 5005
    action_port: int = 5055
    web_port: int = 8080
    staff_port: int = 8081
    model: Path = PROJECT_DIR / "models" / "ssc.tar.gz"
    endpoints: Path = field(default_factory=settings.endpoints_file)
    credentials: Path = PROJECT_DIR / "credentials.yml"
    runtime_dir: Path = PROJECT_DIR / "var"
    tracker_db: Optional[Path] = None  # SQLite tracker file instead of the settings' (SSCBOT_TRACKER_URL)
    action_endpoint: Optional[str] = None  # the actions' webhook when not this run's action server (a balancer)
    log_dir: Optional[Path] = None  # None: servers log to this terminal
    env: Dict[str, str] = field(default_factory=dict)

    @classmethod
    def private(cls, folder: Path) -> AssistantConfig:
        """Free ports, and tracker, content and feedback databases (and key) of its own in `folder`:
        runs beside `make run` without touching it (tests, dialogues, load test, benchmark)."""
        return cls(
            rasa_port=free_port(),
            action_port=free_port(),
            web_port=free_port(),
            staff_port=free_port(),
            runtime_dir=folder / "run",
            tracker_db=folder / "tracker.db",
            log_dir=folder / "logs",
            env={
                "SSCBOT_DATABASE_URL": f"sqlite:///{folder / 'content.db'}",
                "SSCBOT_FEEDBACK_DATABASE_URL": f"sqlite:///{folder / 'feedback.db'}",
                "SSCBOT_CONVERSATION_KEY_FILE": str(folder / "conversation.key"),
            },
        )

    @property
    def rasa_url(self) -> str:
        return f"http://{HOST}:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://{HOST}:{self.action_port}"

    @property
    def web_url(self) -> str:
        return f"http://{HOST}:{self.web_port}"

    @property
    def staff_url(self) -> str:
        return f"http://{HOST}:{self.staff_port}"


class Assistant:
    """The server processes; use as a context manager or call start/stop."""

    def __init__(self, config: AssistantConfig):
        self.config = config
        self.processes: Dict[str, subprocess.Popen] = {}
        self.content_loaded = False

    def __enter__(self) -> Assistant:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        """Load content/ into the content store (unless done), then start the four servers at once."""
        if not self.content_loaded:
            self.load_content()
        self.start_only("actions", "rasa", "web", "staff")

    def start_only(self, *names: str) -> None:
        """Start these servers ("actions", "rasa", "web", "staff") at once; all stopped if one fails."""
        try:
            servers = [self._server(name) for name in names]
            for server in servers:
                self._spawn(server)
            for server in servers:
                self.wait_ready(server)
        except BaseException:
            self.stop()
            raise

    def spawn(self, name: str) -> Server:
        """Start this server (again, after it exited) and return at once: then `wait_ready`."""
        server = self._server(name)
        self._spawn(server)
        return server

    def _server(self, name: str) -> Server:
        return {"actions": self._actions, "rasa": self._rasa, "web": self._web, "staff": self._staff}[name]()

    def start_actions(self) -> None:
        if not self.content_loaded:
            self.load_content()
        self._start(self._actions())

    def load_content(self) -> None:
        """The explicit load step, `sscbot content load` with this run's settings: content/
        checked against the model's copy (bot.content.model_parts) and written to this run's
        content store, the records' tables made, before any server reads them. LoadError, with
        the step's message, when it fails. A process of its own: reading the content brings
        spaCy, which this one would keep while it waits."""
        make_private(self.private_folders())
        step = [sys.executable, "-m", "bot.run.cli", "content", "load", "--model", str(self.config.model)]
        done = subprocess.run(step, cwd=PROJECT_DIR, env=self.env, capture_output=True, text=True)
        if done.returncode:
            raise LoadError(done.stderr.strip() or f"`sscbot content load` exited with code {done.returncode}")
        self.content_loaded = True

    @property
    def settings(self) -> Settings:
        """This run's settings: those of the servers' environment."""
        return Settings.from_environ(self.env)

    def private_folders(self) -> List[Path]:
        """The folders of this run's files and SQLite databases."""
        run = self.settings
        files = [sqlite_file(url) for url in (run.database_url, run.feedback_database_url, run.tracker_url)]
        return [self.config.runtime_dir, *(f.parent for f in files if f is not None)]

    def start_web(self) -> None:
        """The widget's web server, talking to this run's Rasa server (started or not)."""
        self._start(self._web())

    def _actions(self) -> Server:
        self.config.runtime_dir.mkdir(parents=True, exist_ok=True)
        return Server(
            "actions",
            [
                sys.executable,
                "-m",
                "bot.run.action_server",
                "--actions",
                "actions",
                "--port",
                str(self.config.action_port),
            ],
            f"{self.config.action_url}/health",
        )

    def _rasa(self) -> Server:
        return Server(
            "rasa", self.rasa_command("run", *self.rasa_server_args()), f"{self.config.rasa_url}/webhooks/rest/"
        )

    def _web(self) -> Server:
        return Server(
            "web",
            [
                sys.executable,
                "-m",
                "bot.web",
                "--host",
                HOST,
                "--port",
                str(self.config.web_port),
                "--rasa-url",
                self.config.rasa_url,
            ],
            f"{self.config.web_url}/health",
        )

    def _staff(self) -> Server:
        return Server(
            "staff",
            [
                sys.executable,
                "-m",
                "bot.staff",
                "--host",
                HOST,
                "--port",
                str(self.config.staff_port),
                "--rasa-url",
                self.config.rasa_url,
                "--model",
                str(self.config.model),
            ],
            f"{self.config.staff_url}/staff/health",
        )

    def rasa_server_args(self) -> List[str]:
        """Loopback; the HTTP API only with a token or JWT; CORS only for the listed origins."""
        args = ["--interface", HOST, "--port", str(self.config.rasa_port)]
        run = self.settings
        token, jwt_secret = run.api_token, run.api_jwt_secret
        if token or jwt_secret:
            args.append("--enable-api")
        if token:
            args += ["--auth-token", token]
        if jwt_secret:
            args += ["--jwt-secret", jwt_secret, "--jwt-method", "HS256"]
        origins = run.widget_origins
        return args + (["--cors", *origins] if origins else [])

    def rasa_command(self, *args: str) -> List[str]:
        """A `rasa` command line with this run's model, endpoints and credentials."""
        return [
            sys.executable,
            "-m",
            "bot.run.rasa_server",
            *args,
            "--model",
            str(self.config.model),
            "--endpoints",
            str(self.config.endpoints),
            "--credentials",
            str(self.config.credentials),
        ]

    @property
    def env(self) -> Dict[str, str]:
        """The servers' environment: this one's, this run's action server and tracker file
        (the settings endpoints.yml takes, bot.run.stores), and the config's."""
        own = {"SSCBOT_ACTION_URL": self.config.action_endpoint or f"{self.config.action_url}/webhook"}
        if self.config.tracker_db is not None:
            own["SSCBOT_TRACKER_URL"] = f"sqlite:///{self.config.tracker_db}"
        return {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "SANIC_HOST": HOST, **own, **self.config.env}

    def _start(self, server: Server) -> None:
        self._spawn(server)
        self.wait_ready(server)

    def _spawn(self, server: Server) -> None:
        output = None
        if self.config.log_dir is not None:
            self.config.log_dir.mkdir(parents=True, exist_ok=True)
            output = open(self.config.log_dir / f"{server.name}.log", "ab")
        self.processes[server.name] = subprocess.Popen(
            server.command,
            cwd=PROJECT_DIR,
            env=self.env,
            stdout=output,
            stderr=subprocess.STDOUT if output else None,
            start_new_session=True,
        )

    def wait_ready(self, server: Server) -> None:
        name, url = server.name, server.ready_url
        deadline = time.monotonic() + READY_TIMEOUT_S
        process = self.processes[name]
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise StartError(f"the {name} server exited with code {process.returncode}{self._log_tail(name)}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        raise StartError(
            f"the {name} server was not ready at {url} after {READY_TIMEOUT_S:.0f} s{self._log_tail(name)}"
        )

    def _log_tail(self, name: str) -> str:
        if self.config.log_dir is None:
            return ""
        lines = (self.config.log_dir / f"{name}.log").read_text(errors="replace").splitlines()
        return ":\n" + "\n".join(lines[-30:])

    def stop(self) -> None:
        """Stop each server before the one it talks to: staff console, web, Rasa, actions."""
        for name in ("staff", "web", "rasa", "actions"):
            process = self.processes.pop(name, None)
            if process is None or process.poll() is not None:
                continue
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def wait(self) -> int:
        """Block until a server exits; return its exit code."""
        while True:
            for process in self.processes.values():
                if process.poll() is not None:
                    return process.returncode
            time.sleep(0.5)


@contextlib.contextmanager
def assistant_url(url: str, start: bool) -> Iterator[str]:
    """The Rasa server to talk to: `url`, or with `start` a private assistant on free ports."""
    if not start:
        yield url
        return
    with tempfile.TemporaryDirectory(prefix="sscbot-private-") as folder:
        config = AssistantConfig.private(Path(folder))
        print(f"Starting a private assistant on {config.rasa_url} ...", file=sys.stderr, flush=True)
        with Assistant(config):
            yield config.rasa_url


def sqlite_file(url: str) -> Optional[Path]:
    """The file of an SQLite URL, None for another database or an in-memory one."""
    parsed = make_url(url)
    return (
        Path(parsed.database)
        if parsed.drivername.startswith("sqlite") and parsed.database not in (None, "", ":memory:")
        else None
    )


def make_private(folders: List[Path]) -> None:
    """Only this user can read what the assistant keeps, whatever the umask: new files 0600
    (umask 077, which the servers inherit), the folders 0700 and the files in them 0600."""
    os.umask(0o077)
    for folder in dict.fromkeys(folders):
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o700)
        for path in folder.iterdir():
            if path.is_file():
                path.chmod(0o600)
