"""The house rules of the layout (docs/architecture.md): only the Rasa plug-ins import
Rasa, and every package says what it holds."""

import ast
from pathlib import Path

from bot.settings import PROJECT_DIR

CODE = [p for folder in ("bot", "actions", "bench") for p in (PROJECT_DIR / folder).rglob("*.py")]
PLUGINS = PROJECT_DIR / "bot" / "rasa_plugins"


def imported(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_only_the_rasa_plugins_import_rasa():
    outside = {
        str(p.relative_to(PROJECT_DIR))
        for p in CODE
        if PLUGINS not in p.parents and any(m == "rasa" or m.startswith("rasa.") for m in imported(p))
    }
    assert outside == set()


def test_every_package_says_what_it_holds():
    for init in (PROJECT_DIR / "bot").rglob("__init__.py"):
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), init
