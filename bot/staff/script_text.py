"""A script file's text with one script added, replaced or removed; every other line, the
comments included, stays as it was written."""

from __future__ import annotations

from typing import Any, Dict, Tuple

import yaml


class NoSuchScript(LookupError):
    """The file holds no script of that name (any more)."""


def dumped(script: Dict[str, Any], indent: int = 0) -> str:
    """`script` as one item of a YAML list, its lines indented by `indent` spaces."""
    text = yaml.safe_dump([script], sort_keys=False, allow_unicode=True, width=100)
    return "".join(" " * indent + line for line in text.splitlines(keepends=True))


def appended(old: str, script: Dict[str, Any]) -> str:
    if old and not isinstance(yaml.safe_load(old), list):
        raise ValueError("it holds one script, not a list: save into another file")
    return (old.rstrip("\n") + "\n\n" if old else "") + dumped(script)


def replaced(old: str, name: str, script: Dict[str, Any]) -> str:
    start, end, indent = _span(old, name)
    return old[:start] + dumped(script, indent) + old[end:]


def removed(old: str, name: str) -> str:
    """The text without the script; '' when no script is left."""
    start, end, _ = _span(old, name)
    rest = old[:start] + old[end:].lstrip("\n")
    return rest if yaml.safe_load(rest) else ""


def _span(text: str, name: str) -> Tuple[int, int, int]:
    """(start, end, indent) of the script called `name`: from the start of its `- ` line to the
    end of its last line, the comments and blank lines after it left out."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    nodes = root.value if isinstance(root, yaml.SequenceNode) else []
    starts = [_line_start(text, node.start_mark.index) for node in nodes] + [len(text)]
    for number, node in enumerate(nodes):
        if isinstance(node, yaml.MappingNode) and _name_of(node) == name:
            start = starts[number]
            lines = text[start : starts[number + 1]].splitlines(keepends=True)
            while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
                lines.pop()
            indent = len(text[start:]) - len(text[start:].lstrip(" "))
            return start, start + sum(len(line) for line in lines), indent
    if isinstance(root, yaml.MappingNode) and _name_of(root) == name:  # a file of one script
        return 0, len(text), 0
    raise NoSuchScript(name)


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _name_of(node: yaml.MappingNode) -> Any:
    return next((str(value.value).strip() for key, value in node.value if key.value == "name"), None)
