"""Several Rasa servers and action servers on shared stores, behind nginx, on this machine:
`sscbot cluster` (`make cluster`) and the cluster test.

    widget server ──> nginx :5005 ──> Rasa server 1..N ──> nginx :5055 ──> action server 1..N
    staff console ──┘                    │   PostgreSQL: conversations, content, ratings
                                         └── Redis: the per-conversation lock (leases)

The content is loaded once, by the explicit step, before any replica starts. A Rasa or
action server that exits is started again (bot.run.supervisor); meanwhile nginx passes
its requests to the others (bot.run.services.nginx_config).
"""

from __future__ import annotations

import dataclasses
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

from bot.run.launcher import HOST, Assistant, AssistantConfig, free_port, make_private
from bot.run.services import Nginx, Postgres, Redis, Upstream
from bot.run.supervisor import Supervisor
from bot.settings import PROJECT_DIR

WEBHOOK_MAX_BODY = "64k"
ACTIONS_MAX_BODY = "100m"  # the action server's own limit (Sanic's default)


@dataclass
class ClusterConfig:
    folder: Path  # logs, nginx, endpoints, the conversation key
    name: str = "cluster"  # of the PostgreSQL data folder, kept between runs
    replicas: int = 2
    rasa_port: int = 5005  # nginx, in front of the Rasa servers
    action_port: int = 5055  # nginx, in front of the action servers
    web_port: int = 8080
    staff_port: int = 8081
    model: Path = PROJECT_DIR / "models" / "ssc.tar.gz"

    @classmethod
    def private(cls, folder: Path, name: str, replicas: int = 2) -> ClusterConfig:
        return cls(folder, name, replicas, free_port(), free_port(), free_port(), free_port())


class Cluster:
    def __init__(self, config: ClusterConfig):
        self.config = config
        logs = config.folder / "logs"
        self.postgres = Postgres(config.name, free_port(), logs / "postgresql.log")
        self.redis = Redis(free_port(), logs / "redis.log")
        self.replicas: List[Assistant] = []
        self.web: Optional[Assistant] = None  # the widget server and the staff console
        self.nginx: Optional[Nginx] = None
        self.supervisor: Optional[Supervisor] = None

    def __enter__(self) -> Cluster:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def env(self) -> Dict[str, str]:
        return {
            "SSCBOT_POSTGRES_URL": self.postgres.url,
            # the content and the ratings in the same database, whatever this shell says
            "SSCBOT_DATABASE_URL": self.postgres.url,
            "SSCBOT_FEEDBACK_DATABASE_URL": self.postgres.url,
            "SSCBOT_REDIS_URL": self.redis.url,
            "SSCBOT_CONVERSATION_KEY_FILE": str(self.config.folder / "conversation.key"),
        }

    def replica_config(self, index: int) -> AssistantConfig:
        folder = self.config.folder
        return AssistantConfig(
            rasa_port=free_port(),
            action_port=free_port(),
            web_port=self.config.web_port,
            staff_port=self.config.staff_port,
            model=self.config.model,
            runtime_dir=folder / "run",
            log_dir=folder / "logs" / f"replica-{index}",
            env=self.env,
            action_endpoint=f"http://{HOST}:{self.config.action_port}/webhook",
        )

    def start(self) -> None:
        """The stores, the content (once), the action servers, nginx, the Rasa servers (from then
        on started again when they exit), the widget server and the staff console."""
        try:
            make_private([self.config.folder])
            self.postgres.start()
            self.postgres.create_database()
            self.redis.start()
            self.replicas = [Assistant(self.replica_config(i + 1)) for i in range(self.config.replicas)]
            self.replicas[0].load_content()  # the explicit step, once per deploy
            for replica in self.replicas:
                replica.content_loaded = True
                replica.start_only("actions")
            self.nginx = Nginx(
                self.config.folder / "nginx",
                {
                    self.config.rasa_port: Upstream([r.config.rasa_port for r in self.replicas], WEBHOOK_MAX_BODY),
                    # Rasa sends the action server the conversation's whole session
                    self.config.action_port: Upstream([r.config.action_port for r in self.replicas], ACTIONS_MAX_BODY),
                },
                self.config.folder / "logs" / "nginx.log",
            )
            self.nginx.start()
            for replica in self.replicas:
                replica.start_only("rasa")
            self.supervisor = Supervisor(self.replicas)
            self.supervisor.start()
            front = dataclasses.replace(self.replica_config(0), rasa_port=self.config.rasa_port)
            self.web = Assistant(dataclasses.replace(front, log_dir=self.config.folder / "logs" / "front"))
            self.web.start_only("web", "staff")
        except BaseException:
            self.stop()
            raise

    @property
    def rasa_url(self) -> str:
        return f"http://{HOST}:{self.config.rasa_port}"

    @property
    def web_url(self) -> str:
        return f"http://{HOST}:{self.config.web_port}"

    @property
    def staff_url(self) -> str:
        return f"http://{HOST}:{self.config.staff_port}"

    def stop(self, remove_data: bool = False) -> None:
        """Everything stopped, the widget first and the stores last; with `remove_data` the
        PostgreSQL data folder is deleted too."""
        if self.supervisor is not None:
            self.supervisor.stop()
        for assistant in [self.web, *self.replicas]:
            if assistant is not None:
                assistant.stop()
        for service in (self.nginx, self.redis, self.postgres):
            if service is not None:
                service.stop()
        if remove_data:
            shutil.rmtree(self.postgres.data, ignore_errors=True)
