"""Run-time settings, read from the environment with embedded defaults.

Paths are relative to the project folder (where `make run` starts).
"""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


def content_dir() -> Path:
    return Path(os.environ.get("SSCBOT_CONTENT_DIR", PROJECT_DIR / "content"))


def database_url() -> str:
    """Where the content store lives: any SQLAlchemy URL; SQLite file by default."""
    return os.environ.get("SSCBOT_DATABASE_URL", f"sqlite:///{PROJECT_DIR / 'var' / 'content.db'}")


def review_max_age_days() -> int:
    """Content reviewed longer ago than this is listed as overdue by `make content-report`."""
    return int(os.environ.get("SSCBOT_REVIEW_MAX_AGE_DAYS", "730"))
