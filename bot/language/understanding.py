"""What the bot reads in a message: medical terms, red flags and where its question is,
in one spaCy pass.

Built from a content folder; used by the Rasa NLU components and the REST channel.
"""

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

from spacy.matcher import Matcher
from spacy.tokens import Doc

from bot import settings
from bot.content.repository import content
from bot.language.pipeline import TermMatch, build_pipeline, lexicon_terms, phrase_pattern, terms_in
from bot.language.question_focus import Focus, focus_of
from bot.language.text import plain_quotes
from bot.names import MANIFESTATION, NAME, PREGNANCY_ITEM, TREATMENT_ENTITY
from bot.safety.red_flags import Detection, RedFlagDetector

OUT_OF_SCOPE = "out_of_scope"


@dataclass(frozen=True)
class Analysis:
    terms: List[TermMatch]
    red_flag: Detection
    focus: Focus
    asked: Optional[str] = None  # the item whose `asked_as` phrase the question uses


class Understanding:
    def __init__(self, content_dir: Optional[Path] = None):
        content_dir = content_dir or settings.content_dir()
        read = content(content_dir)
        rules, items = read.red_flags, read.library.items.values()
        asked_as = [phrase for item in items for phrase in item.asked_as]
        self.nlp = build_pipeline(lexicon_terms(items), [*rules.phrases(), *asked_as])
        self.red_flags = RedFlagDetector(self.nlp, rules)
        self.questions = Matcher(self.nlp.vocab)
        self.naming = {item.id for item in items if NAME in item.answer}
        self.about_ssc = {item.id for item in items if item.asked_as and item.topic != OUT_OF_SCOPE}
        for item in items:
            if item.asked_as:
                self.questions.add(item.id, [phrase_pattern(self.nlp, phrase) for phrase in item.asked_as])

    def analyse(self, text: str) -> Analysis:
        doc = self.nlp(plain_quotes(text))
        focus = focus_of(doc.text)
        terms = terms_in(doc)
        return Analysis(terms, self.red_flags.detect(doc), focus, self._asked(doc, focus, terms))

    def _asked(self, doc: Doc, focus: Focus, terms: List[TermMatch]) -> Optional[str]:
        """The item whose `asked_as` phrase the question uses (pregnancy before any other, then
        the first found, the longest at one place), where it fits what the question names:
        - a question about SSc itself ("is it hereditary?") names no condition or medicine;
        - one about a medicine ({name}: "side effects of CellCept") names no condition, or a medicine;
        - the honest "not covered" replies (pregnancy, diet ...) fit whatever is named."""
        if not len(self.questions):
            return None
        named = {t.entity for t in terms if focus.covers(t.start, t.end)}

        def fits(item_id: str) -> bool:
            if item_id in self.about_ssc:
                return not named & {MANIFESTATION, TREATMENT_ENTITY}
            if item_id in self.naming:
                return TREATMENT_ENTITY in named or MANIFESTATION not in named
            return True

        found = [
            (start, -(end - start), doc.vocab.strings[match_id])
            for match_id, start, end in self.questions(doc)
            if focus.covers(doc[start].idx, doc[end - 1].idx + len(doc[end - 1]))
        ]
        found = [f for f in found if fits(f[2])]
        # Pregnancy, breastfeeding or trying for a baby is what the question is about, whatever else it asks.
        return min(found, key=lambda f: (f[2] != PREGNANCY_ITEM, f))[2] if found else None


def shared_understanding(content_dir: Optional[Path] = None) -> Understanding:
    """The Understanding of a content folder, built once per process: the REST channel
    and the NLU component in the Rasa server share one spaCy pipeline."""
    return _understanding_of(Path(content_dir or settings.content_dir()).resolve())


@functools.cache
def _understanding_of(content_dir: Path) -> Understanding:
    return Understanding(content_dir)
