"""The scripted-dialogue format: parse and check `dialogues/*.yml` before any script runs.

A file holds one script (a mapping) or several (a list of mappings):

    - name: Calcinosis
      description: optional words for people
      turns:
        - user: what helps calcinosis?      # or `click: <button label>`, or `restart: true`
          topic: skin
          kind: answer
          says: calcium                     # text or list of texts, case-insensitive
          not_says: dose
          buttons: [What is calcinosis?]    # offered, among others
          disclaimer: true
          emergency: false
          content_id: skin.calcinosis_treatments

Every problem is reported with its file and line, all at once.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

import yaml

from bot.content.files import TOPICS
from bot.content.replies import KINDS

RESTART_MESSAGE = "/restart"
ACTIONS = ("user", "click", "restart")
SCRIPT_KEYS = ("name", "description", "turns")


@dataclass(frozen=True)
class Turn:
    line: int
    action: str  # one of ACTIONS
    text: str  # what the user types, or the button label to click
    expect: Dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return "restart" if self.action == "restart" else f"{self.action}: {self.text}"


@dataclass(frozen=True)
class Script:
    name: str
    file: Path
    line: int
    turns: Tuple[Turn, ...]
    description: str = ""

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Problem:
    file: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class ScriptFormatError(ValueError):
    """One or more malformed scripts; `problems` says where and what."""

    def __init__(self, problems: List[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _texts(value: Any) -> Optional[str]:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(v, str) and v.strip() for v in items):
        return "must be a text or a list of texts, none of them empty"
    return None


def _one_of(allowed: Iterable[str]) -> Callable[[Any], Optional[str]]:
    allowed = tuple(allowed)

    def check(value: Any) -> Optional[str]:
        if value in allowed:
            return None
        return f"must be one of: {', '.join(allowed)} (got {value!r})"

    return check


def _boolean(value: Any) -> Optional[str]:
    return None if isinstance(value, bool) else f"must be true or false (got {value!r})"


def _text(value: Any) -> Optional[str]:
    return None if isinstance(value, str) and value.strip() else "must be a non-empty text"


EXPECTATIONS: Dict[str, Callable[[Any], Optional[str]]] = {
    "topic": _one_of(TOPICS),
    "kind": _one_of(KINDS),
    "content_id": _text,
    "offers": _texts,
    "says": _texts,
    "not_says": _texts,
    "buttons": _texts,
    "disclaimer": _boolean,
    "emergency": _boolean,
}


class _FileParser:
    """Walks one file's YAML nodes, so every problem keeps its line number."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: List[Problem] = []

    def problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(self.path, node.start_mark.line + 1, message))

    def parse(self) -> List[Script]:
        try:
            root = yaml.compose(self.path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
            if root is None:
                self.problems.append(Problem(self.path, 1, "is empty: write at least one script"))
                return []
            nodes = root.value if isinstance(root, yaml.SequenceNode) else [root]
            return [s for s in (self.script(n) for n in nodes) if s is not None]
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark else 1
            self.problems.append(
                Problem(
                    self.path,
                    line,
                    f'not valid YAML: {error.problem or error} (put texts with : # [ ] {{ }} , ? in "quotes")',
                )
            )
            return []
        except (OSError, UnicodeDecodeError) as error:
            self.problems.append(Problem(self.path, 1, f"cannot be read: {error}"))
            return []

    def mapping(self, node: yaml.Node, what: str, allowed: Iterable[str]) -> Optional[Dict[str, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a mapping of `key: value` lines")
            return None
        allowed = tuple(allowed)
        fields: Dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key not in allowed:
                hint = difflib.get_close_matches(str(key), allowed, n=1)
                suggestion = f" (did you mean `{hint[0]}`?)" if hint else f"; allowed: {', '.join(allowed)}"
                self.problem(key_node, f"unknown key `{key}` in {what}{suggestion}")
            elif key in fields:
                self.problem(key_node, f"`{key}` is given twice in {what}")
            else:
                fields[key] = value_node
        return fields

    def script(self, node: yaml.Node) -> Optional[Script]:
        fields = self.mapping(node, "a script", SCRIPT_KEYS)
        if fields is None:
            return None
        name = _value(fields["name"]) if "name" in fields else None
        if not isinstance(name, str) or not name.strip():
            self.problem(fields.get("name", node), "a script needs a `name:` (a non-empty text)")
            return None
        description = _value(fields["description"]) if "description" in fields else ""
        if not isinstance(description, str):
            self.problem(fields["description"], f"script {name!r}: `description` must be a text")
        turns_node = fields.get("turns")
        if not isinstance(turns_node, yaml.SequenceNode) or not turns_node.value:
            self.problem(turns_node or node, f"script {name!r} needs `turns:`, a list with at least one turn")
            return None
        read = [self.turn(name, index, n) for index, n in enumerate(turns_node.value)]
        turns = tuple(t for t in read if t is not None)
        if len(turns) < len(read):
            return None
        return Script(name.strip(), self.path, node.start_mark.line + 1, turns, str(description or ""))

    def turn(self, script: str, index: int, node: yaml.Node) -> Optional[Turn]:
        what = f"turn {index + 1} of script {script!r}"
        fields = self.mapping(node, what, ACTIONS + tuple(EXPECTATIONS))
        if fields is None:
            return None
        actions = [a for a in ACTIONS if a in fields]
        if len(actions) != 1:
            self.problem(node, f"{what} needs exactly one of `user:`, `click:` or `restart: true`")
            return None
        action = actions[0]
        value = _value(fields[action])
        if action == "restart" and value is not True:
            self.problem(fields[action], f"{what}: write `restart: true`")
            return None
        if action != "restart" and (not isinstance(value, str) or not value.strip()):
            self.problem(fields[action], f"{what}: `{action}:` needs a text")
            return None
        if action == "click" and index == 0:
            self.problem(node, f"{what}: `click:` needs an earlier reply with buttons; the first turn must type")
            return None
        expect = {}
        for key, check in EXPECTATIONS.items():
            if key not in fields:
                continue
            expected = _value(fields[key])
            error = check(expected)
            if error:
                self.problem(fields[key], f"{what}: `{key}` {error}")
            expect[key] = expected
        text = RESTART_MESSAGE if action == "restart" else value.strip()
        return Turn(node.start_mark.line + 1, action, text, expect)


def _value(node: yaml.Node) -> Any:
    return yaml.SafeLoader("").construct_object(node, deep=True)


def script_files(paths: Iterable[Path]) -> List[Path]:
    """The .yml/.yaml files named, and those inside the folders named, in order."""
    files: List[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yml", ".yaml")))
        else:
            files.append(path)
    return files


def load_scripts(paths: Iterable[Path]) -> List[Script]:
    """Every script in `paths`; raises ScriptFormatError listing every problem found."""
    scripts: List[Script] = []
    problems: List[Problem] = []
    files = script_files(paths)
    for file in files:
        if not file.exists():
            problems.append(Problem(file, 0, "no such file or folder"))
            continue
        parser = _FileParser(file)
        scripts.extend(parser.parse())
        problems.extend(parser.problems)
    seen: Dict[str, Script] = {}
    for script in scripts:
        if script.name in seen:
            problems.append(
                Problem(
                    script.file,
                    script.line,
                    f"script name {script.name!r} is already used at {seen[script.name].where}",
                )
            )
        seen.setdefault(script.name, script)
    if not files:
        problems.append(Problem(Path("."), 0, "no dialogue files (.yml) found"))
    if problems:
        raise ScriptFormatError(problems)
    return scripts
