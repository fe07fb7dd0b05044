"""The project's own spaCy pipeline: blank English, lookup lemmatizer, a spelling
normaliser for medical words, and an entity ruler generated from the content's
lexicon (names, lay words, brand names).

Every token gets a `NORM`: its lower-case lemma, a plural `s` dropped when that
gives a lexicon word, and a near-miss of a lexicon word (typo) corrected. The
ruler's patterns match on `NORM`, so "Calcium Lumps", "calcium lump" and
"calcium lumbs" all find the concept `calcinosis`.
"""

from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Token

from bot.content.files import ContentItem
from bot.language.text import GAP

POSSESSIVES = {"'s", "’s", "'", "’"}
OPTIONAL_NORMS = POSSESSIVES | {"-"}
MIN_TYPO_LENGTH = 4


@dataclass(frozen=True)
class Term:
    text: str
    entity: str
    concept: str


@dataclass(frozen=True)
class TermMatch:
    entity: str
    value: str
    text: str
    start: int
    end: int


def lexicon_terms(items: Iterable[ContentItem]) -> List[Term]:
    """The terms of the items that own a concept's lexicon (entity + terms)."""
    return [Term(term, item.entity, item.concept or "") for item in items if item.entity for term in item.terms]


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (a swap of two letters costs 1); > limit means 'far'."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: List[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


class TermNormaliser:
    """Sets `token.norm_` to a comparable form: lemma, singular, typo fixed."""

    def __init__(self, nlp: Language):
        self.nlp = nlp
        self.words: Dict[str, str] = {}  # lexicon word (as written, or its lemma) -> its norm
        self._english: Optional[set] = None
        self._lemmas: Optional[Dict] = None

    def _tables(self):
        if self._lemmas is None:
            table = self.nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
            self._lemmas = table
            self._english = set(table.values())
        return self._lemmas, self._english

    def norm(self, token: Token) -> str:
        lemmas, english = self._tables()
        lower = token.lower_
        if lower in POSSESSIVES:
            return "'s"
        base = lemmas.get(lower, lower) if token.lemma_ in ("", token.text) else token.lemma_.lower()
        if base in self.words:
            return self.words[base]
        if not base.isalpha():
            return base
        if base.endswith("s") and base[:-1] in self.words:
            return self.words[base[:-1]]
        if len(base) < MIN_TYPO_LENGTH or lower in lemmas or base in english:
            return base
        return self._closest(base) or base

    def _closest(self, word: str) -> Optional[str]:
        limit = 1 if len(word) < 8 else 2
        best, best_distance = None, limit + 1
        for candidate in self.words:
            if candidate[0] != word[0] or len(candidate) < MIN_TYPO_LENGTH:
                continue
            distance = edit_distance(word, candidate, limit)
            if distance < best_distance:
                best, best_distance = candidate, distance
        return self.words[best] if best else None

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            token.norm_ = self.norm(token)
        return doc


@Language.factory("ssc_term_normaliser")
def make_term_normaliser(nlp: Language, name: str) -> TermNormaliser:
    return TermNormaliser(nlp)


def build_pipeline(terms: Iterable[Term], other_phrases: Iterable[str] = ()) -> Language:
    """Blank English + lemmatizer + normaliser + entity ruler for `terms`.

    The words of `terms` and `other_phrases` (e.g. red-flag phrases) are the
    vocabulary the normaliser corrects typos towards.
    """
    terms = list(terms)
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    normaliser: Any = nlp.add_pipe("ssc_term_normaliser")
    texts = [term.text for term in terms] + list(other_phrases)
    normaliser.words = {
        form: token.norm_
        for text in texts
        for token in nlp(text)
        if token.text.isalpha()
        for form in (token.norm_, token.lower_)
    }
    patterns = [
        {"label": term.entity, "id": term.concept, "pattern": [_token_pattern(t.norm_) for t in nlp(term.text)]}
        for term in terms
    ]
    ruler: Any = nlp.add_pipe("entity_ruler", config={"validate": True})
    ruler.add_patterns(patterns)
    return nlp


MAX_GAP = 3


def phrase_pattern(nlp: Language, phrase: str, attribute: str = "NORM") -> List[Dict]:
    """A Matcher pattern for `phrase` on the tokens' NORM (or LOWER); "..." allows a gap."""
    pattern: List[Dict] = []
    for part in phrase.split(GAP):
        if pattern:
            pattern.extend({"OP": "?"} for _ in range(MAX_GAP))
        tokens = nlp(part.strip())
        pattern.extend({attribute: t.norm_ if attribute == "NORM" else t.lower_} for t in tokens)
    return pattern


def _token_pattern(norm: str) -> Dict[str, str]:
    return {"NORM": norm, "OP": "?"} if norm in OPTIONAL_NORMS else {"NORM": norm}


def terms_in(doc: Doc) -> List[TermMatch]:
    """The lexicon terms the entity ruler found in `doc`."""
    return [TermMatch(ent.label_, ent.ent_id_, ent.text, ent.start_char, ent.end_char) for ent in doc.ents]


def find_terms(nlp: Language, text: str) -> List[TermMatch]:
    return terms_in(nlp(text))
