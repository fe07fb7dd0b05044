"""Another disease named in a message, whether or not the lexicon knows its name.

A disease is recognised by its shape, not from a list of diseases: a word built like a
disease's name ("-itis", "-osis", "-oma", "-pathy", "-algia" ...: sarcoidosis, myasthenia,
lymphoma), a name with "disease" or "syndrome" after it ("Crohn's disease", "Still's
disease"), or a sclerosis other than systemic ("multiple sclerosis", "tuberous sclerosis").
A word the article's answers or the lexicon use (calcinosis, arthritis, telangiectasia,
ischaemia ...) is the article's, not another disease: the words are taken from the content,
so an item added later counts without a change here. A few common diseases have no such
shape (lupus, cancer, diabetes, covid ...); they are listed.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable, List, Set, Tuple

from bot.content.files import ContentItem
from bot.language.pipeline import edit_distance
from bot.names import OUT_OF_SCOPE

WORD = re.compile(r"[a-z][a-z'-]+")
DISEASE_SHAPE = re.compile(
    r"[a-z]{3,}(?:itis|osis|iasis|omas?|[ae]?emia|pathy|algia|plasia|trophy|sthenia|porosis|sclerosis)$"
)
HEADS = r"\s+(?:disease|syndrome|palsy|fever)\b"
# "Crohn's disease", "Pellard's pulmonary syndrome", "crohn's disease", "Tessaly fever"
NAMED_DISEASE = re.compile(
    r"\b(?:[A-Z][a-z]+(?:'s|s')(?:\s+[a-z]+){0,2}|[a-z]+'s|[A-Z][a-z]+(?:\s+[a-z]+){0,2})" + HEADS
)
DOUBLE_NAME = re.compile(r"\b[A-Z][a-z]+-[A-Z][a-z]+\b")  # Ehlers-Danlos, Guillain-Barre
# A condition of the article's name with a word that makes it another disease.
QUALIFIED = re.compile(r"\b(?:rheumatoid|psoriatic|juvenile|reactive|septic|gouty|idiopathic)\s+arthritis\b", re.I)
OTHER_SCLEROSIS = re.compile(r"\b([a-z]+)\s+sclerosis\b", re.I)  # unless the word before is the article's
# Common diseases whose names have no disease's shape.
SHAPELESS = frozenset(
    "lupus cancer diabetes covid covid-19 asthma copd hiv gout epilepsy dementia leukaemia leukemia eczema "
    "shingles lyme celiac coeliac crohn's crohns sarcoid migraine migraines als vitiligo rosacea gravis".split()
)
# Conditions that overlap SSc, which the article does not name: not another disease.
OVERLAPS = frozenset({"sjogren", "sjogren's", "sjogrens"})
COMMON = frozenset("my the your his her their our this that of with and or have has had having about".split())
# Words that say what kind a disease is, not which: "autoimmune disease", "a rare disease".
GENERIC = COMMON | frozenset("autoimmune chronic rare genetic inherited hereditary rheumatic connective tissue".split())
# Words with a disease's shape that name no disease.
NOT_DISEASES = frozenset(
    "diagnosis diagnoses prognosis osmosis hypnosis symbiosis emphasis stoma aroma diploma coma comma".split()
)


class OtherConditions:
    """Finds another disease in a message; `article_words`: the words the content uses."""

    def __init__(self, article_words: Set[str]) -> None:
        self.article_words = frozenset(article_words) | OVERLAPS
        self.article_stems = frozenset(re.sub(r"'s$|s$", "", word) for word in self.article_words)
        self.article_shapes = tuple(word for word in self.article_words if DISEASE_SHAPE.match(word))
        self.sclerosis_words = self.article_words | COMMON  # the words before "sclerosis" that keep it SSc

    @classmethod
    def of_content(cls, items: Iterable[ContentItem]) -> OtherConditions:
        """The words of the lexicon and of every answer about SSc (not the honest replies,
        which may name other diseases)."""
        words: Set[str] = set()
        for item in items:
            words.update(w for term in item.terms for w in WORD.findall(plain(term).lower()))
            if item.topic != OUT_OF_SCOPE:
                words.update(WORD.findall(plain(f"{item.title} {item.answer}").lower()))
        return cls(words)

    def named_in(self, text: str) -> List[Tuple[int, int]]:
        """Where `text` names a disease that is not the article's: (start, end) of each name."""
        text = plain(text)
        lowered = text.lower()
        found = [m.span() for m in NAMED_DISEASE.finditer(text) if not self._articles(m.group(0).split()[:-1])]
        found += [m.span() for m in QUALIFIED.finditer(text)]
        found += [
            m.span()
            for m in DOUBLE_NAME.finditer(text)
            if not {part.lower() for part in m.group(0).split("-")} & self.article_words
        ]
        found += [m.span() for m in OTHER_SCLEROSIS.finditer(lowered) if self._other_sclerosis(m.group(1))]
        found += [m.span() for m in WORD.finditer(lowered) if self._other(m.group(0))]
        return sorted(found)

    def _other(self, word: str) -> bool:
        word = word.strip("'-")
        if word in SHAPELESS:
            return True
        if not DISEASE_SHAPE.match(word) or word in NOT_DISEASES or word in self.article_words:
            return False
        typos = 1 if len(word) < 8 else 2  # "sclorosis", "calcinossis": the article's, misspelt
        return all(edit_distance(word, known, typos) > typos for known in self.article_shapes)

    def _other_sclerosis(self, before: str) -> bool:
        """ "multiple sclerosis", not "systemic sclerosis" (nor "sytemic" or "my sclerosis")."""
        return before not in self.sclerosis_words and edit_distance(before, "systemic", 2) > 2

    def _articles(self, words: List[str]) -> bool:
        """ "Raynaud's disease", "Sjögren's syndrome", "Interstitial lung disease": names the content
        uses (its first word if that is someone's name, else any of its words)."""
        stems = [re.sub(r"'s$|s'$|s$", "", word.lower()) for word in words]
        if words[0].endswith(("'s", "s'")):
            return stems[0] in self.article_stems
        return any(stem in self.article_stems or stem in GENERIC for stem in stems)


def plain(text: str) -> str:
    """Without accents: "Sjögren's" as "Sjogren's"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
