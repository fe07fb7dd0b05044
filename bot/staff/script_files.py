"""Scripts added, edited and deleted from the staff console: the same YAML files in
dialogues/ that the command-line runner reads, checked by the same parser, never
overwriting a change made on disk since the console read the file. One change at a time
(a lock on the folder), each file written whole (a new file renamed over the old)."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional

import yaml

from bot.dialogues.script import Problem, ScriptFormatError, load_scripts, script_files
from bot.staff import script_text

FILE_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,60}\.yml")
FILE_NAME_RULE = "a file name is lower-case letters, digits, '-' or '_', ending in .yml (e.g. skin-extra.yml)"


class ScriptConflict(RuntimeError):
    """The file changed on disk since the console read it, or the name is taken; the
    message says what to do."""


def file_hash(path: Path) -> Optional[str]:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def list_files(folder: Path) -> List[Dict[str, Any]]:
    """Each script file: its name, its hash (to save into it later) and its scripts' names."""
    files = []
    for path in script_files([folder]):
        scripts = load_scripts([path])
        files.append({"file": path.name, "hash": file_hash(path), "scripts": [s.name for s in scripts]})
    return files


def read_script(folder: Path, name: str) -> Dict[str, Any]:
    """The script called `name` as written, with its file and the file's hash (to edit it)."""
    for path in script_files([folder]):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for script in data if isinstance(data, list) else [data]:
            if isinstance(script, dict) and str(script.get("name", "")).strip() == name:
                return {"file": path.name, "hash": file_hash(path), "script": script}
    raise script_text.NoSuchScript(name)


def save_script(folder: Path, file_name: str, script: Dict[str, Any], base_hash: Optional[str]) -> Path:
    """Add `script` to dialogues/`file_name` (made if missing). `base_hash`: the file's hash when
    the console read it (None for a new file). ValueError or ScriptFormatError for a bad script,
    ScriptConflict when the file changed meanwhile or the name is taken."""
    return _change(folder, file_name, base_hash, script, lambda old: script_text.appended(old, script))


def edit_script(folder: Path, file_name: str, name: str, script: Dict[str, Any], base_hash: Optional[str]) -> Path:
    """Replace the script called `name` in its file by `script`; the same checks as saving,
    and NoSuchScript when it is gone."""
    return _change(folder, file_name, base_hash, script, lambda old: script_text.replaced(old, name, script), name)


def delete_script(folder: Path, file_name: str, name: str, base_hash: Optional[str]) -> Path:
    """Remove the script called `name` from its file; the file goes with its last script."""
    return _change(folder, file_name, base_hash, None, lambda old: script_text.removed(old, name), name)


def _change(
    folder: Path,
    file_name: str,
    base_hash: Optional[str],
    script: Optional[Dict[str, Any]],
    new_text: Callable[[str], str],
    old_name: Optional[str] = None,
) -> Path:
    if not FILE_NAME.fullmatch(file_name):
        raise ValueError(FILE_NAME_RULE)
    path = folder / file_name
    with _one_at_a_time(folder):
        if file_hash(path) != base_hash:
            raise ScriptConflict(
                f"dialogues/{file_name} changed on disk since it was opened here: reload the page and save again"
            )
        if script is not None:
            _check_name_free(folder, str(script.get("name", "")).strip(), old_name)
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        try:
            text = new_text(old)
        except ValueError as error:
            raise ValueError(f"dialogues/{file_name}: {error}") from None
        _check(folder, path, text)
        _write(path, text)
    return path


@contextlib.contextmanager
def _one_at_a_time(folder: Path) -> Iterator[None]:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # and the lock with it


def _check_name_free(folder: Path, name: str, old_name: Optional[str]) -> None:
    if not name or name == old_name:
        return
    for path in script_files([folder]):
        with contextlib.suppress(ScriptFormatError):  # a broken file is reported by the check
            if any(s.name == name for s in load_scripts([path])):
                raise ScriptConflict(
                    f"There is already a script called “{name}” (in dialogues/{path.name}). Please choose another name."
                )


def _check(folder: Path, path: Path, text: str) -> None:
    """The whole folder as it would be, checked by the scripts' parser in a scratch folder;
    problems name the files as dialogues/..., never the scratch folder."""
    with tempfile.TemporaryDirectory() as scratch:
        trial = Path(scratch)
        for other in script_files([folder]):
            if other != path:
                (trial / other.relative_to(folder)).parent.mkdir(parents=True, exist_ok=True)
                (trial / other.relative_to(folder)).write_bytes(other.read_bytes())
        if text:
            (trial / path.name).write_text(text, encoding="utf-8")
        try:
            load_scripts([trial])
        except ScriptFormatError as error:
            shown = [_in_dialogues(problem, trial) for problem in error.problems]
            raise ScriptFormatError(shown) from None


def _in_dialogues(problem: Problem, trial: Path) -> Problem:
    def shown(text: str) -> str:
        return text.replace(f"{trial}/", "dialogues/").replace(str(trial), "dialogues")

    return Problem(Path(shown(str(problem.file))), problem.line, shown(problem.message))


def _write(path: Path, text: str) -> None:
    if not text:
        path.unlink()
        return
    new = path.with_name(f".{path.name}.new")
    new.write_text(text, encoding="utf-8")
    os.replace(new, path)
