"""Shared fixtures. The content store of the tests lives in a temporary SQLite file,
set before any test imports `actions` (which loads the store at import)."""
import os
import shutil
import socket
import tempfile
from pathlib import Path

import pytest

TEST_DIR = Path(tempfile.mkdtemp(prefix="sscbot-tests-"))
os.environ.setdefault("SSCBOT_DATABASE_URL", f"sqlite:///{TEST_DIR / 'content.db'}")

from bot import settings  # noqa: E402  (after the environment is set)
from bot.content_files import load_library  # noqa: E402


@pytest.fixture(scope="session")
def library():
    return load_library(settings.content_dir())


@pytest.fixture
def content_copy(tmp_path):
    """A writable copy of content/, for tests that break it on purpose."""
    target = tmp_path / "content"
    shutil.copytree(settings.content_dir(), target)
    return target


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(TEST_DIR, ignore_errors=True)
