"""The examples the item ranker (bot.language.item_ranking) learns from, each labelled with
a content item or NONE:
- each item's own wording: its title, its answer and the `asked_as` phrases;
- patients' ways of asking for each item, written from the article and the development
  questions (data/items/*.yml);
- the NLU examples (data/nlu/), labelled with the item their intent and named concept
  ask for (bot.content.questions); small talk and other subjects are NONE;
- the real patients' questions of the development part (evaluation/dev.yml), each with
  every item its label names that the ranker may choose. Never the held-out part: it
  measures what the ranker makes of words it has never seen.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Dict, Iterable, List, Optional, Tuple

from bot.content.files import ContentError, ContentItem, ContentLibrary, read_yaml
from bot.content.questions import ENTITY_ORDER, FIXED_ANSWERS, QUESTION_TYPES, find_item
from bot.evaluation.dataset import HELD_OUT, Question, load_part
from bot.language.item_ranking import NONE
from bot.names import DENY, FORGET, OTHER_CONDITION_ITEM, OUT_OF_SCOPE, SMALL_TALK

if TYPE_CHECKING:  # spaCy: not needed to say which items the ranker may choose (bot.content.model_parts)
    from bot.language.understanding import Analysis, Understanding

NO_ITEM_INTENTS = SMALL_TALK | {OUT_OF_SCOPE, FORGET, DENY}


@dataclass(frozen=True)
class Example:
    text: str
    concepts: Tuple[str, ...]  # what the lexicon finds in it
    label: str


def rankable(library: ContentLibrary) -> Dict[str, ContentItem]:
    """The items the ranker may choose: every answer, and the honest replies to common
    questions (`asked_as`) and to questions about another disease; never urgent advice, a
    refusal or a system message."""
    return {
        item.id: item
        for item in library.items.values()
        if item.answers != "safety" or (item.topic == OUT_OF_SCOPE and item.asked_as) or item.id == OTHER_CONDITION_ITEM
    }


def concepts_in(analysis: Analysis) -> Tuple[str, ...]:
    """The concepts the lexicon found, those of the question first, without repeats."""
    ordered = sorted(analysis.terms, key=lambda t: not analysis.focus.covers(t.start, t.end))
    return tuple(dict.fromkeys(t.value for t in ordered))


def read_written_examples(folder: Path, items: Dict[str, ContentItem]) -> List[Tuple[str, str]]:
    """(text, item id) from every file of `folder`; an unknown item fails naming file and item."""
    pairs: List[Tuple[str, str]] = []
    for path in sorted(folder.glob("*.yml")):
        data = read_yaml(path) or {}
        for item_id, texts in (data.get("items") or {}).items():
            if item_id not in items:
                raise ContentError(str(path), "not a content item the ranker may choose", item_id)
            pairs.extend((str(text), item_id) for text in texts or [])
    return pairs


def real_questions(path: Path, library: ContentLibrary) -> List[Question]:
    """The development part's questions, whatever their length; a held-out file is refused."""
    if path.stem == HELD_OUT:
        raise ContentError(str(path), "the held-out questions measure the ranker; it never learns from them")
    return load_part(path, path.stem, set(library.items), max_chars=sys.maxsize)


def real_examples(questions: Iterable[Question], items: Dict[str, ContentItem]) -> List[Tuple[str, str]]:
    """(text, item id) for each item that answers a question; urgent posts (answered by
    the red flags) and the refusals a question asks for are not the ranker's to learn."""
    return [(q.text, item_id) for q in questions if not q.urgent for item_id in q.content_ids if item_id in items]


def own_wording(item: ContentItem) -> List[str]:
    return [item.title, item.answer, *(phrase.replace("...", " ") for phrase in item.asked_as)]


def item_asked_for(
    intent: Optional[str], asked: Optional[str], named: Dict[str, str], items: Dict[str, ContentItem]
) -> Optional[str]:
    """The item a message asks for by its intent and the concepts its question names
    (`named`: entity type -> the first concept of that type); NONE for small talk and other
    subjects; None when it asks for no item of its own (urgent, advice, follow-ups)."""
    if intent in NO_ITEM_INTENTS - {OUT_OF_SCOPE}:
        return NONE  # "catch you later" is a goodbye, whatever `asked_as` phrase it holds
    if asked in items:
        return asked
    if intent in FIXED_ANSWERS:
        return FIXED_ANSWERS[intent]
    if intent == OUT_OF_SCOPE:
        return NONE
    if intent not in QUESTION_TYPES:
        return None
    question_type = QUESTION_TYPES[intent]
    concept = next((named[e] for e in ENTITY_ORDER[question_type] if e in named), None)
    found = find_item(items.values(), concept, question_type) if concept else None
    return found.id if found is not None else None


def nlu_label(intent: Optional[str], analysis: Analysis, items: Dict[str, ContentItem]) -> Optional[str]:
    named = {t.entity: t.value for t in reversed(analysis.terms) if analysis.focus.covers(t.start, t.end)}
    return item_asked_for(intent, analysis.asked, named, items)


def training_examples(
    library: ContentLibrary,
    understanding: Understanding,
    nlu: Iterable[Tuple[str, Optional[str]]],
    written: Path,
    real: Iterable[Question] = (),
) -> List[Example]:
    items = rankable(library)
    pairs: List[Tuple[str, str]] = [(text, item.id) for item in items.values() for text in own_wording(item)]
    pairs += read_written_examples(written, items)
    pairs += real_examples(real, items)
    examples = [Example(text, concepts_in(understanding.analyse(text)), label) for text, label in pairs]
    for text, intent in nlu:
        analysis = understanding.analyse(text)
        label = nlu_label(intent, analysis, items)
        if label is not None:
            examples.append(Example(text, concepts_in(analysis), label))
    return examples
