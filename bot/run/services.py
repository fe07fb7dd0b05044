"""PostgreSQL, Redis and nginx from Debian's packages, run by the user as plain processes on
loopback ports for `sscbot cluster` and its test: no system service is touched.

PostgreSQL refuses to run as root; as root it runs as Debian's `postgres` user, with its
data under that user's home. nginx runs as one process (`master_process off`), so it
needs no user to switch to and stops with its parent.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, NamedTuple, Optional, Sequence

HOST = "127.0.0.1"
READY_TIMEOUT_S = 60.0
PACKAGES = {"postgres": "postgresql", "redis-server": "redis-server", "nginx": "nginx"}


class ServiceError(RuntimeError):
    """A service could not start; the message says which and why."""


def postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    if not found:
        raise ServiceError("PostgreSQL is not installed: run `make cluster-packages` (apt-get install postgresql)")
    return Path(found[-1]).parent


def require_binary(name: str) -> str:
    path = shutil.which(name, path="/usr/sbin:/usr/bin:/sbin:/bin")
    if path is None:
        raise ServiceError(f"{name} is not installed: run `make cluster-packages` (apt-get install {PACKAGES[name]})")
    return path


def wait_for_port(port: int, process: subprocess.Popen, name: str, log: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServiceError(f"{name} exited with code {process.returncode}:\n{_tail(log)}")
        with socket.socket() as sock:
            if sock.connect_ex((HOST, port)) == 0:
                return
        time.sleep(0.1)
    raise ServiceError(f"{name} did not listen on {HOST}:{port} within {READY_TIMEOUT_S:.0f} s:\n{_tail(log)}")


def _tail(log: Path) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-20:]) if log.exists() else "(no log)"


@dataclass
class Service:
    name: str
    port: int
    log: Path
    process: Optional[subprocess.Popen] = field(default=None, repr=False)
    stop_signal: int = signal.SIGTERM

    def _run(self, command: Sequence[str], user: Optional[str] = None) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        prefix = ["runuser", "-u", user, "--"] if user else []
        with open(self.log, "ab") as output:
            self.process = subprocess.Popen(
                [*prefix, *command], stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )
        wait_for_port(self.port, self.process, self.name, self.log)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, self.stop_signal)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, 9)
            self.process.wait()


class Postgres(Service):
    """A PostgreSQL server with one database and one user (password authentication)."""

    def __init__(self, name: str, port: int, log: Path, database: str = "sscbot", user: str = "sscbot"):
        super().__init__("postgresql", port, log, stop_signal=signal.SIGINT)  # a fast shutdown
        self.database, self.user = database, user
        self.run_as = "postgres" if os.geteuid() == 0 else None
        home = Path(pwd.getpwnam("postgres").pw_dir) if self.run_as else log.parent
        self.data = home / "sscbot" / name
        self.password_file = self.data / "sscbot.password"

    @property
    def url(self) -> str:
        return f"postgresql://{self.user}:{self.password}@{HOST}:{self.port}/{self.database}"

    @property
    def password(self) -> str:
        return self.password_file.read_text(encoding="ascii").strip()

    def start(self) -> None:
        binaries = postgres_bin()
        if not (self.data / "PG_VERSION").exists():
            self._init(binaries)
        command = [str(binaries / "postgres"), "-D", str(self.data), "-p", str(self.port), "-k", str(self.data)]
        self._run([*command, "-c", f"listen_addresses={HOST}", "-c", "max_connections=200"], self.run_as)
        self._wait_accepting(binaries)

    def _wait_accepting(self, binaries: Path) -> None:
        """The port opens before PostgreSQL accepts connections (after a crash it recovers first)."""
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            ready = subprocess.run([str(binaries / "pg_isready"), "-q", "-h", HOST, "-p", str(self.port)])
            if ready.returncode == 0:
                return
            time.sleep(0.2)
        raise ServiceError(f"PostgreSQL did not accept connections within {READY_TIMEOUT_S:.0f} s:\n{_tail(self.log)}")

    def _init(self, binaries: Path) -> None:
        self.data.mkdir(parents=True, exist_ok=True)
        password = secrets.token_urlsafe(18)
        pwfile = self.data.parent / f"{self.data.name}.pwfile"
        pwfile.write_text(password, encoding="ascii")
        if self.run_as:
            for path in (self.data.parent, self.data, pwfile):
                shutil.chown(path, self.run_as, self.run_as)
        init = [str(binaries / "initdb"), "-D", str(self.data), "-U", self.user, f"--pwfile={pwfile}"]
        init += ["--auth-local=peer", "--auth-host=scram-sha-256", "--encoding=UTF8", "--no-instructions"]
        prefix: List[str] = ["runuser", "-u", self.run_as, "--"] if self.run_as else []
        result = subprocess.run([*prefix, *init], capture_output=True, text=True)
        pwfile.unlink()
        if result.returncode:
            raise ServiceError(f"initdb failed: {result.stderr.strip()}")
        self.password_file.write_text(password, encoding="ascii")
        self.password_file.chmod(0o600)

    def create_database(self) -> None:
        """The database, if missing (after the first start)."""
        import sqlalchemy as sa

        admin = sa.create_engine(self.url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                exists = connection.execute(
                    sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": self.database}
                ).scalar()
                if not exists:
                    connection.execute(sa.text(f'CREATE DATABASE "{self.database}"'))
        finally:
            admin.dispose()


class Redis(Service):
    def __init__(self, port: int, log: Path):
        super().__init__("redis", port, log)

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/1"

    def start(self) -> None:
        binary = require_binary("redis-server")
        self._run([binary, "--port", str(self.port), "--bind", HOST, "--save", "", "--appendonly", "no"])


class Upstream(NamedTuple):
    backends: List[int]  # their ports
    max_body: str  # nginx's client_max_body_size


class Nginx(Service):
    """nginx balancing `upstreams` (by the port it listens on), as one process."""

    def __init__(self, folder: Path, upstreams: Dict[int, Upstream], log: Path):
        super().__init__("nginx", next(iter(upstreams)), log)
        self.folder, self.upstreams = folder, upstreams

    def start(self) -> None:
        binary = require_binary("nginx")
        self.folder.mkdir(parents=True, exist_ok=True)
        config = self.folder / "nginx.conf"
        config.write_text(nginx_config(self.folder, self.upstreams), encoding="utf-8")
        self._run([binary, "-p", str(self.folder), "-c", str(config), "-e", str(self.log)])
        for port in self.upstreams:
            wait_for_port(port, self.process, self.name, self.log)  # type: ignore[arg-type]


def nginx_config(folder: Path, upstreams: Dict[int, Upstream]) -> str:
    """Round robin over each group of backends. A request that could not reach one (refused,
    cut off by its death, no answer in time) goes to the next: POSTs too (`non_idempotent`),
    which is safe because a message sent again with its id is handled once (the channel)."""
    servers = []
    for listen, (backends, max_body) in upstreams.items():
        name = f"group_{listen}"
        members = "".join(f"    server {HOST}:{port} max_fails=1 fail_timeout=2s;\n" for port in backends)
        servers.append(
            f"  upstream {name} {{\n{members}    keepalive 32;\n  }}\n"
            f"  server {{\n    listen {HOST}:{listen};\n    client_max_body_size {max_body};\n"
            f"    location / {{\n      proxy_pass http://{name};\n      proxy_http_version 1.1;\n"
            '      proxy_set_header Connection "";\n      proxy_set_header X-Forwarded-For $remote_addr;\n'
            "      proxy_next_upstream error timeout non_idempotent;\n      proxy_connect_timeout 2s;\n"
            "      proxy_read_timeout 120s;\n"
            "      add_header X-Upstream $upstream_addr always;\n    }\n  }\n"
        )
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp = "".join(f"  {kind}_temp_path {folder / kind};\n" for kind in kinds)
    return (
        f"daemon off;\nmaster_process off;\npid {folder / 'nginx.pid'};\n"
        f"events {{ worker_connections 2048; }}\n"
        f"http {{\n  access_log off;\n{temp}{''.join(servers)}}}\n"
    )
