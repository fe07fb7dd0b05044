"""Scripts saved from the staff console: the same YAML files in dialogues/ that the
command-line runner reads, checked by the same parser, never overwriting a change made on
disk since the console read the file. One save at a time (a lock on the folder), each
written whole (a new file renamed over the old)."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import yaml

from bot.dialogues.script import load_scripts, script_files

FILE_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,60}\.yml")


class ScriptConflict(RuntimeError):
    """The file changed on disk since the console read it; the message says what to do."""


def file_hash(path: Path) -> Optional[str]:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def list_files(folder: Path) -> List[Dict[str, Any]]:
    """Each script file: its name, its hash (to save into it later) and its scripts' names."""
    files = []
    for path in script_files([folder]):
        scripts = load_scripts([path])
        files.append({"file": path.name, "hash": file_hash(path), "scripts": [s.name for s in scripts]})
    return files


def save_script(folder: Path, file_name: str, script: Dict[str, Any], base_hash: Optional[str]) -> Path:
    """Add `script` to dialogues/`file_name` (made if missing). `base_hash`: the file's hash when
    the console read it (None for a new file). ValueError or ScriptFormatError for a bad script,
    ScriptConflict when the file changed meanwhile."""
    if not FILE_NAME.fullmatch(file_name):
        raise ValueError("a file name is lower-case letters, digits, '-' or '_', ending in .yml")
    with _one_at_a_time(folder):
        return _save(folder, folder / file_name, script, base_hash)


@contextlib.contextmanager
def _one_at_a_time(folder: Path) -> Iterator[None]:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # and the lock with it


def _save(folder: Path, path: Path, script: Dict[str, Any], base_hash: Optional[str]) -> Path:
    file_name = path.name
    if file_hash(path) != base_hash:
        raise ScriptConflict(
            f"dialogues/{file_name} changed on disk since it was opened here: reload the page and save again"
        )
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if old and not isinstance(yaml.safe_load(old), list):
        raise ValueError(f"dialogues/{file_name} holds one script, not a list: save into another file")
    text = (old.rstrip("\n") + "\n\n" if old else "") + yaml.safe_dump([script], sort_keys=False, allow_unicode=True)
    with tempfile.TemporaryDirectory() as scratch:  # the whole folder as it would be, checked first
        trial = Path(scratch)
        for other in script_files([folder]):
            if other != path:
                (trial / other.relative_to(folder)).parent.mkdir(parents=True, exist_ok=True)
                (trial / other.relative_to(folder)).write_bytes(other.read_bytes())
        (trial / file_name).write_text(text, encoding="utf-8")
        load_scripts([trial])
    new = path.with_name(f".{file_name}.new")
    new.write_text(text, encoding="utf-8")
    os.replace(new, path)
    return path
