"""The real-question sets: reading and checking `evaluation/*.yml`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Collection, Dict, List, Tuple

import yaml

from bot.content.files import TOPICS

HELD_OUT = "heldout"
PARTS = ("dev", HELD_OUT)
GATE_FILE = "gate.yml"


class DatasetError(ValueError):
    """A question set that cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    source: str
    topics: Tuple[str, ...]
    content_ids: Tuple[str, ...]
    urgent: bool
    asks_advice: bool
    part: str

    @property
    def expected_topic(self) -> str:
        """The first acceptable topic: the row of the confusion table."""
        return self.topics[0]

    @property
    def education(self) -> bool:
        """Asks to learn something: neither urgent nor a request for personal advice."""
        return not (self.urgent or self.asks_advice)


def load_part(path: Path, part: str, content_ids: Collection[str], max_chars: int) -> List[Question]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise DatasetError(f"{path}: {error}") from error
    if not isinstance(raw, list) or not raw:
        raise DatasetError(f"{path}: expected a list of questions")
    return [_question(path, part, index, entry, content_ids, max_chars) for index, entry in enumerate(raw, 1)]


def load_sets(folder: Path, content_ids: Collection[str], max_chars: int) -> List[Question]:
    """Both parts; ids unique across them, and no text in both."""
    questions = [q for part in PARTS for q in load_part(folder / f"{part}.yml", part, content_ids, max_chars)]
    seen_ids: set = set()
    seen_texts: Dict[str, str] = {}
    for question in questions:
        if question.id in seen_ids:
            raise DatasetError(f"{folder}: question id {question.id} appears twice")
        seen_ids.add(question.id)
        key = " ".join(question.text.lower().split())
        if key in seen_texts:
            raise DatasetError(f"{folder}: {question.id} repeats the text of {seen_texts[key]}")
        seen_texts[key] = question.id
    return questions


def _question(path: Path, part: str, index: int, entry, content_ids: Collection[str], max_chars: int) -> Question:
    where = f"{path}: entry {index}"
    if not isinstance(entry, dict):
        raise DatasetError(f"{where}: expected a mapping")
    for field in ("id", "text", "source", "topics"):
        if not entry.get(field):
            raise DatasetError(f"{where}: missing {field}")
    text = str(entry["text"]).strip()
    if len(text) > max_chars:
        raise DatasetError(f"{where} ({entry['id']}): longer than {max_chars} characters")
    if not str(entry["source"]).startswith(("http://", "https://")):
        raise DatasetError(f"{where} ({entry['id']}): source must be the page's address")
    topics = tuple(entry["topics"])
    unknown = [t for t in topics if t not in TOPICS]
    if unknown:
        raise DatasetError(f"{where} ({entry['id']}): unknown topics {unknown}")
    ids = tuple(entry.get("content_ids") or ())
    missing = [i for i in ids if i not in content_ids]
    if missing:
        raise DatasetError(f"{where} ({entry['id']}): unknown content ids {missing}")
    for flag in ("urgent", "asks_advice"):
        if not isinstance(entry.get(flag), bool):
            raise DatasetError(f"{where} ({entry['id']}): {flag} must be true or false")
    return Question(
        str(entry["id"]), text, str(entry["source"]), topics, ids, entry["urgent"], entry["asks_advice"], part
    )


def load_gate(folder: Path) -> Dict[str, Dict[str, float]]:
    """The held-out figures `make test` holds the assistant to (gate.yml: {figure: {min|max: value}})."""
    path = folder / GATE_FILE
    try:
        gate = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise DatasetError(f"{path}: {error}") from error
    if not isinstance(gate, dict) or not all(isinstance(v, dict) and set(v) <= {"min", "max"} for v in gate.values()):
        raise DatasetError(f"{path}: expected {{figure: {{min: value}} or {{max: value}}}}")
    return gate
