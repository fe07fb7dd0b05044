"""Start again a server that exits, as Kubernetes restarts a container whose process ends:
`sscbot cluster` watches its Rasa servers and action servers with it."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import List, Sequence

from bot.run.launcher import Assistant, StartError

logger = logging.getLogger(__name__)
POLL_S = 0.5
BACKOFF_S = 5.0  # before trying again a server that would not start


@dataclass(frozen=True)
class Restart:
    replica: int  # 1-based, as in the logs' folder names
    server: str  # "rasa" or "actions"
    exit_code: int
    died_at: float  # time.monotonic(), when it was seen dead
    ready_at: float  # ready again


class Supervisor:
    def __init__(self, replicas: Sequence[Assistant], servers: Sequence[str] = ("actions", "rasa")):
        self.replicas, self.servers = replicas, servers
        self.restarts: List[Restart] = []
        self._stopping = threading.Event()
        self._spawning = threading.Lock()  # a server is never started again after stop() began
        self._thread = threading.Thread(target=self._watch, name="supervisor", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """No server is started again from now on; call before stopping the servers."""
        with self._spawning:
            self._stopping.set()

    def _watch(self) -> None:
        while not self._stopping.wait(POLL_S):
            for number, replica in enumerate(self.replicas, start=1):
                for name in self.servers:
                    process = replica.processes.get(name)
                    if process is not None and process.poll() is not None:
                        self._restart(number, replica, name, process.returncode)

    def _restart(self, number: int, replica: Assistant, name: str, exit_code: int) -> None:
        died_at = time.monotonic()
        logger.warning("The %s server of replica %d exited with code %d: starting it again", name, number, exit_code)
        while True:
            with self._spawning:
                if self._stopping.is_set():
                    return
                server = replica.spawn(name)
            try:
                replica.wait_ready(server)
            except StartError as error:  # exited again, or stopped: tried again later unless stopping
                logger.error("%s", error)
                self._stopping.wait(BACKOFF_S)
                continue
            self.restarts.append(Restart(number, name, exit_code, died_at, time.monotonic()))
            logger.warning("The %s server of replica %d is back after %.0f s", name, number, time.monotonic() - died_at)
            return
