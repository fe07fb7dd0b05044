"""The house rules of the layout (docs/architecture.md): only the Rasa plug-ins import
Rasa, only the tracker store reads Rasa's `events` table, and every package says what it
holds."""

import ast
import re
from pathlib import Path

from bot.settings import PROJECT_DIR

CODE = [p for folder in ("bot", "actions", "bench") for p in (PROJECT_DIR / folder).rglob("*.py")]
PLUGINS = PROJECT_DIR / "bot" / "rasa_plugins"
TRACKER_RECORDS = PROJECT_DIR / "bot" / "records" / "tracker_records.py"
TRACKER_STORE = PLUGINS / "tracker_store.py"
# the table named in SQL, or as SQLAlchemy's table name, or Rasa's mapped class for it
EVENTS_TABLE = re.compile(r"\b(from|into|update|table|vacuum|join)\s+events\b|^events$", re.IGNORECASE)


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


def uses_the_events_table(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and EVENTS_TABLE.search(node.value.strip()):
            return True
        if isinstance(node, ast.Attribute) and node.attr == "SQLEvent":
            return True
    return False


def test_only_the_tracker_store_reads_or_deletes_rasas_events_table():
    """The store, and its part that needs no Rasa (bot.records.tracker_records), which it inherits."""
    store = (TRACKER_STORE, TRACKER_RECORDS)
    assert all(uses_the_events_table(path) for path in store)  # the check finds what it looks for
    assert {str(p.relative_to(PROJECT_DIR)) for p in CODE if p not in store and uses_the_events_table(p)} == set()


def test_every_package_says_what_it_holds():
    for init in (PROJECT_DIR / "bot").rglob("__init__.py"):
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), init
