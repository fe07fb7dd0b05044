"""Deleted means deleted: after "forget me" or the purge, nothing of the conversation is
readable in the database files or SQLite's write-ahead log; and only this user can read
what the assistant keeps."""

import os
import stat
import subprocess
import sys
import uuid

import sqlalchemy as sa

from bot.settings import PROJECT_DIR


def on_disk(assistant) -> bytes:
    """Every byte of the tracker store's files: the database, its write-ahead log and index."""
    folder = assistant.config.tracker_db.parent
    return b"".join(p.read_bytes() for p in folder.iterdir() if p.name.startswith(assistant.config.tracker_db.name))


def test_forget_me_leaves_nothing_readable_on_disk(assistant, client, sender):
    marker = f"zebra{uuid.uuid4().hex[:12]}"
    client.send(sender, f"what helps calcinosis? my cat {marker} sits on my hands")
    assert marker.encode() in on_disk(assistant)  # stored, as any message is
    assert client.send(sender, "forget me").answer["content_id"] == "privacy.forgotten"
    assert marker.encode() not in on_disk(assistant)


def test_the_purge_leaves_nothing_readable_on_disk(assistant, client):
    marker = f"okapi{uuid.uuid4().hex[:12]}"
    sender = f"purge-{uuid.uuid4().hex}"
    client.send(sender, f"what helps raynauds? {marker}")
    engine = sa.create_engine(f"sqlite:///{assistant.config.tracker_db}")
    with engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE events SET timestamp = timestamp - 400 * 86400 WHERE sender_id = :s"), {"s": sender}
        )
    engine.dispose()
    assert marker.encode() in on_disk(assistant)
    done = subprocess.run(
        [sys.executable, "-m", "bot.run.cli", "purge", "--days", "365"],
        cwd=PROJECT_DIR,
        text=True,
        capture_output=True,
        env={
            **os.environ,
            "SSCBOT_TRACKER_URL": f"sqlite:///{assistant.config.tracker_db}",
            "SSCBOT_FEEDBACK_DATABASE_URL": assistant.config.env["SSCBOT_FEEDBACK_DATABASE_URL"],
        },
    )
    assert done.returncode == 0, done.stderr
    assert marker.encode() not in on_disk(assistant)


def test_only_this_user_can_read_what_the_assistant_keeps(assistant, client, sender):
    client.send(sender, "what helps calcinosis?")
    folder = assistant.config.tracker_db.parent
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    kept = [p for p in folder.iterdir() if p.is_file()]
    assert {p.name for p in kept} >= {"tracker.db", "content.db", "feedback.db"}
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in kept} == {p.name: 0o600 for p in kept}
