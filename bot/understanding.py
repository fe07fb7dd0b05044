"""What the bot reads in a message: medical terms and red flags, in one spaCy pass.

Built from a content folder; used by the Rasa NLU components and the REST channel.
"""
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

from bot import settings
from bot.content_files import load_library
from bot.nlp import TermMatch, build_pipeline, lexicon_terms, terms_in
from bot.red_flags import Detection, RedFlagDetector, load_red_flags
from bot.text import plain_quotes


@dataclass(frozen=True)
class Analysis:
    terms: List[TermMatch]
    red_flag: Detection


class Understanding:
    def __init__(self, content_dir: Optional[Path] = None):
        content_dir = content_dir or settings.content_dir()
        rules = load_red_flags(content_dir)
        self.nlp = build_pipeline(lexicon_terms(load_library(content_dir).items.values()), rules.phrases())
        self.red_flags = RedFlagDetector(self.nlp, rules)

    def analyse(self, text: str) -> Analysis:
        doc = self.nlp(plain_quotes(text))
        return Analysis(terms_in(doc), self.red_flags.detect(doc))


def shared_understanding(content_dir: Optional[Path] = None) -> Understanding:
    """The Understanding of a content folder, built once per process: the REST channel
    and the NLU component in the Rasa server share one spaCy pipeline."""
    return _understanding_of(Path(content_dir or settings.content_dir()).resolve())


@functools.lru_cache(maxsize=None)
def _understanding_of(content_dir: Path) -> Understanding:
    return Understanding(content_dir)
