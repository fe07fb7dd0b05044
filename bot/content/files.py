"""Read and validate the plain-language content in `content/*.yml`.

Bad content raises `ContentError` with the file, the item and the field, so a
reviewer knows exactly what to fix. Nothing here touches a database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

import yaml

TOPICS = (
    "what_is_ssc",
    "what_is_refractory",
    "standard_immunosuppressants",
    "skin",
    "vascular",
    "heart",
    "lung",
    "kidney",
    "musculoskeletal",
    "emergency",
    "guardrail",
    "out_of_scope",
    "smalltalk",
)
ANSWER_TYPES = ("definition", "treatments", "overview", "safety")
ENTITY_TYPES = ("manifestation", "treatment", "term")
SETTINGS_FILE = "disclaimer.yml"
RULE_FILES = ("red_flags.yml",)  # read by their own modules (bot.safety.red_flags)
SETTING_KEYS = ("source_title", "disclaimer", "physician_pointer", "welcome")
FILE_DEFAULTS = ("topic", "section", "reviewed")


class ContentError(ValueError):
    """Content that must not reach patients; the message names file, item and field."""

    def __init__(self, file: str, message: str, item: Optional[str] = None, field: Optional[str] = None):
        where = file
        if item is not None:
            where += f": item '{item}'"
        if field is not None:
            where += f", field '{field}'"
        super().__init__(f"{where}: {message}")
        self.file, self.item, self.field = file, item, field


@dataclass(frozen=True)
class ContentItem:
    id: str
    topic: str
    answers: str
    title: str
    answer: str
    reviewed: dt.date
    section: Optional[str] = None
    concept: Optional[str] = None
    entity: Optional[str] = None
    terms: tuple = ()
    related: tuple = ()
    # Ways patients ask the question this item answers ("is it contagious"), matched on
    # lemmas in the question of a message (bot.language.understanding); "..." is up to 3 words.
    asked_as: tuple = ()
    # (term, where the mapping of that name or lay word to this concept comes from)
    term_sources: tuple = ()
    file: str = ""


@dataclass
class ContentLibrary:
    items: Dict[str, ContentItem] = field(default_factory=dict)
    settings: Dict[str, str] = field(default_factory=dict)

    def defining_items(self) -> Iterable[ContentItem]:
        """Items that own a concept's lexicon (entity + terms)."""
        return (item for item in self.items.values() if item.entity)


def load_library(content_dir: Path | str) -> ContentLibrary:
    """Read every YAML file in `content_dir` and check the whole set."""
    content_dir = Path(content_dir)
    files = sorted(content_dir.glob("*.yml"))
    if not files:
        raise ContentError(str(content_dir), "no content files (*.yml) found")
    library = ContentLibrary()
    for path in files:
        if path.name in RULE_FILES:
            continue
        data = read_yaml(path)
        if path.name == SETTINGS_FILE:
            library.settings = _parse_settings(path, data)
            continue
        for item in _parse_items(path, data):
            if item.id in library.items:
                first = library.items[item.id].file
                raise ContentError(str(path), f"duplicate id, already used in {first}", item.id, "id")
            library.items[item.id] = item
    if not library.settings:
        raise ContentError(str(content_dir / SETTINGS_FILE), "missing settings file")
    _check_links(library)
    return library


def read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ContentError(str(path), f"bad YAML: {error}") from error
    except UnicodeDecodeError as error:
        raise ContentError(str(path), f"not UTF-8 text: {error}") from error


def _parse_settings(path: Path, data: Any) -> Dict[str, str]:
    if not isinstance(data, dict):
        raise ContentError(str(path), "expected a mapping of settings")
    settings = {}
    for key in SETTING_KEYS:
        value = data.get(key)
        if value in (None, ""):
            raise ContentError(str(path), "missing", field=key)
        settings[key] = str(value).strip()
    return settings


def _parse_items(path: Path, data: Any) -> List[ContentItem]:
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise ContentError(str(path), "expected a mapping with a list under 'items'", field="items")
    defaults = {key: data[key] for key in FILE_DEFAULTS if key in data}
    return [_parse_item(path, index, raw, defaults) for index, raw in enumerate(data["items"])]


def _parse_item(path: Path, index: int, raw: Any, defaults: Dict[str, Any]) -> ContentItem:
    file = str(path)
    if not isinstance(raw, dict):
        raise ContentError(file, "expected a mapping", item=f"#{index + 1}")
    values = {**defaults, **raw}
    item_id = values.get("id")
    if not isinstance(item_id, str) or not item_id.strip():
        raise ContentError(file, "missing", item=f"#{index + 1}", field="id")
    unknown = set(raw) - (set(ContentItem.__dataclass_fields__) - {"file"})
    if unknown:
        raise ContentError(file, f"unknown field(s): {', '.join(sorted(unknown))}", item_id)

    def text(name: str, required: bool = True) -> Optional[str]:
        value = values.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise ContentError(file, "missing", item_id, name)
            return None
        if not isinstance(value, str):
            raise ContentError(file, f"expected text, got {type(value).__name__}", item_id, name)
        return " ".join(value.split())

    def choice(name: str, allowed: tuple, required: bool = True) -> Optional[str]:
        value = text(name, required)
        if value is not None and value not in allowed:
            raise ContentError(file, f"'{value}' is not one of: {', '.join(allowed)}", item_id, name)
        return value

    def given(value: Optional[str]) -> str:
        """A required text or choice: never None (a missing one raised)."""
        return value or ""

    def text_list(name: str) -> tuple:
        value = values.get(name) or []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise ContentError(file, "expected a list of texts", item_id, name)
        return tuple(v.strip() for v in value)

    def sources() -> tuple:
        value = values.get("term_sources") or {}
        if not isinstance(value, dict) or not all(isinstance(v, str) and v.strip() for v in value.values()):
            raise ContentError(file, "expected a mapping of term: source", item_id, "term_sources")
        unknown_terms = [t for t in value if t not in terms]
        if unknown_terms:
            raise ContentError(
                file, f"not among the item's terms: {', '.join(map(str, unknown_terms))}", item_id, "term_sources"
            )
        return tuple((str(t), " ".join(v.split())) for t, v in value.items())

    answers = choice("answers", ANSWER_TYPES)
    entity = choice("entity", ENTITY_TYPES, required=False)
    terms = text_list("terms")
    if entity and not terms:
        raise ContentError(file, "an item with an entity needs its terms", item_id, "terms")
    if terms and not entity:
        raise ContentError(file, "terms need an entity type", item_id, "entity")
    return ContentItem(
        id=item_id.strip(),
        topic=given(choice("topic", TOPICS)),
        answers=given(answers),
        title=given(text("title")),
        answer=given(text("answer")),
        reviewed=_parse_date(file, item_id, values.get("reviewed")),
        section=text("section", required=answers != "safety"),
        concept=text("concept", required=bool(entity) or answers in ("definition", "treatments")),
        entity=entity,
        terms=terms,
        related=text_list("related"),
        asked_as=text_list("asked_as"),
        term_sources=sources(),
        file=file,
    )


def _parse_date(file: str, item_id: str, value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as error:
        raise ContentError(file, "expected a date like 2023-11-22", item_id, "reviewed") from error


def _check_links(library: ContentLibrary) -> None:
    concept_owner: Dict[str, ContentItem] = {}
    term_owner: Dict[str, ContentItem] = {}
    for item in library.defining_items():
        if item.concept in concept_owner:
            other = concept_owner[item.concept].id
            raise ContentError(
                item.file, f"concept '{item.concept}' is already defined by '{other}'", item.id, "concept"
            )
        concept_owner[item.concept or ""] = item
        for term in item.terms:
            key = term.casefold()
            owner = term_owner.setdefault(key, item)
            if owner.concept != item.concept:
                raise ContentError(item.file, f"term '{term}' already belongs to '{owner.id}'", item.id, "terms")
    for item in library.items.values():
        if item.concept and item.concept not in concept_owner:
            raise ContentError(
                item.file, f"concept '{item.concept}' has no defining item (entity + terms)", item.id, "concept"
            )
        for related_id in item.related:
            if related_id not in library.items:
                raise ContentError(item.file, f"related id '{related_id}' does not exist", item.id, "related")
            if related_id == item.id:
                raise ContentError(item.file, "an item cannot relate to itself", item.id, "related")
