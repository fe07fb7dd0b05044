"""The deterministic red-flag layer, built from `content/red_flags.yml`.

Runs beside the intent classifier on every message: spaCy token patterns on
normalised lemmas (see bot.language.pipeline) plus blood pressure readings. A match counts
unless it is negated, in the past, asked about, over or a figure of speech; the
rules are spelled out at the top of content/red_flags.yml.
"""

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Set, Tuple

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from bot.language.pipeline import phrase_pattern
from bot.safety.red_flag_rules import RedFlag, RedFlagRules

NEGATION_WINDOW = 4
CLAUSE_BREAKS = {".", "?", "!", ";", ":", ",", "but", "however"}
BLOOD_PRESSURE = re.compile(r"\b(\d{2,3})\s*(?:/|over)\s*(\d{2,3})\b", re.I)
# One number after "blood pressure", "bp", "top number" or "systolic": "bp of 230", "top number is 205".
SYSTOLIC_ALONE = re.compile(
    r"\b(?:blood\s*pressure|bp|top\s+number|systolic)\b[^\d/.?!]{0,20}?\b(\d{2,3})\b(?!\s*(?:/|over\b|mg\b|%))", re.I
)
PILL_COUNT = re.compile(
    r"\b(took|taken|swallowed|ate)\b\D{0,20}?\b(\d{1,3})\b\s*(\w+\s+){0,3}?"
    r"(tablets?|pills?|capsules?|paracetamol|ibuprofen|aspirin|co-?codamol|codeine|tramadol|morphine)\b",
    re.I,
)


@dataclass(frozen=True)
class Detection:
    """A red flag found in a message (`flag`), or only set-aside mentions (`set_aside`)."""

    flag: Optional[RedFlag]
    text: str = ""
    start: int = 0
    end: int = 0
    set_aside: bool = False


class RedFlagDetector:
    """Finds red flags in a doc made by the project's pipeline (bot.language.pipeline)."""

    def __init__(self, nlp: Language, rules: RedFlagRules):
        self.rules = rules
        self.flags = {flag.id: flag for flag in rules.flags}
        self.matcher = Matcher(nlp.vocab)
        for flag in rules.flags:
            self._add(nlp, f"flag:{flag.id}", flag.phrases)
            if flag.with_any:
                self._add(nlp, f"with:{flag.id}", flag.with_any)
            if flag.unless_any:
                self._add(nlp, f"unless:{flag.id}", flag.unless_any)
        # Cues are matched on the exact words ("i have" must not match "i had");
        # mentions of conditions, like flags, on their lemmas.
        for kind, cues in rules.cues.items():
            self._add(nlp, kind, cues, attribute="NORM" if kind == "mentions" else "LOWER")
        self.matcher.add("past", [[{"SHAPE": "dddd", "TEXT": {"REGEX": "^(19|20)"}}]])  # a year

    def _add(self, nlp: Language, label: str, phrases: Sequence[str], attribute: str = "NORM") -> None:
        self.matcher.add(label, [phrase_pattern(nlp, phrase, attribute) for phrase in phrases])

    def detect(self, doc: Doc) -> Detection:
        found: Dict[str, List[Span]] = {}
        for match_id, start, end in self.matcher(doc):
            found.setdefault(doc.vocab.strings[match_id], []).append(doc[start:end])
        candidates = [
            (self.flags[label.split(":", 1)[1]], span)
            for label, spans in found.items()
            if label.startswith("flag:")
            for span in spans
        ]
        readings, normal_readings = self._numeric_spans(doc)
        set_aside = list(normal_readings)
        reading_spans = {(span.start, span.end) for _, span in readings}
        for flag, span in sorted(candidates + readings, key=lambda c: c[1].start):
            if not self._counts(doc, span, found, recent_counts=(span.start, span.end) in reading_spans):
                set_aside.append(span)
            elif _in_clause(doc, span, found.get(f"unless:{flag.id}", [])):
                set_aside.append(span)
            elif not flag.with_any or any(self._counts(doc, c, found) for c in found.get(f"with:{flag.id}", [])):
                return Detection(flag, span.text, span.start_char, span.end_char)
        set_aside += [span for span in found.get("mentions", []) if not self._counts(doc, span, found)]
        # Something said to happen right now, in another part of the message, outweighs them.
        aside_clauses = [_clause(doc, span) for span in set_aside]
        now_elsewhere = any(
            not any(start <= cue.start < end for start, end in aside_clauses) for cue in found.get("happening", [])
        )
        return Detection(None, set_aside=bool(set_aside) and not now_elsewhere)

    def _numeric_spans(self, doc: Doc) -> Tuple[List[Tuple[RedFlag, Span]], List[Span]]:
        """Blood pressure readings and tablet counts: those over a limit, and normal readings."""
        over: List[Tuple[RedFlag, Span]] = []
        normal: List[Tuple[RedFlag, Span]] = []
        for flag in self.rules.flags:
            if flag.blood_pressure is not None:
                systolic_limit, diastolic_limit = flag.blood_pressure
                for reading in BLOOD_PRESSURE.finditer(doc.text):
                    systolic, diastolic = int(reading.group(1)), int(reading.group(2))
                    if systolic <= diastolic or systolic < 70 or diastolic < 40:
                        continue  # not a blood pressure (a date like 25/10, a score)
                    high = systolic >= systolic_limit or diastolic >= diastolic_limit
                    self._collect(doc, reading, flag, over if high else normal)
                for reading in SYSTOLIC_ALONE.finditer(doc.text):
                    if int(reading.group(1)) >= systolic_limit:
                        self._collect(doc, reading, flag, over)
            if flag.pill_count is not None:
                for taken in PILL_COUNT.finditer(doc.text):
                    if int(taken.group(2)) >= flag.pill_count:
                        self._collect(doc, taken, flag, over)
        return over, [span for _, span in normal]

    @staticmethod
    def _collect(doc: Doc, match: re.Match, flag: RedFlag, into: list) -> None:
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is not None:
            into.append((flag, span))

    @staticmethod
    def _counts(doc: Doc, span: Span, found: Dict[str, List[Span]], recent_counts: bool = False) -> bool:
        """Whether a match speaks of something happening now (see content/red_flags.yml).
        `recent_counts`: a past cue of the last day ("yesterday") does not set it aside (a
        blood pressure reading that high is still urgent the next day)."""
        start, end = _clause(doc, span)

        def cues(kind: str) -> List[Span]:
            return [c for c in found.get(kind, []) if start <= c.start and c.end <= end]

        fillers = {t.i for c in found.get("fillers", []) for t in c}
        for negation in cues("negations"):
            between = range(negation.end, span.start)
            if negation.end <= span.start and len(between) <= NEGATION_WINDOW and set(between) <= fillers:
                return False
        if any(c.start < span.end and span.start < c.end for c in cues("figures")):
            return False
        if cues("about") or any(c.start >= span.end for c in cues("over")):
            return False
        if cues("present"):
            return True
        recent = {(c.start, c.end) for c in cues("recent")} if recent_counts else set()
        past = [c for c in cues("past") if (c.start, c.end) not in recent]
        return not (past or any(c.end <= span.start for c in cues("questions")))


def _in_clause(doc: Doc, span: Span, others: List[Span]) -> bool:
    """Whether one of `others` stands in the same part of the sentence as `span` (up to a
    clause break, "and" or "or": "chest pain and an itchy rash" keeps the pain)."""
    start, end = _clause(doc, span, CLAUSE_BREAKS | {"and", "or"})
    return any(start <= other.start < end for other in others)


def _clause(doc: Doc, span: Span, breaks: Set[str] = CLAUSE_BREAKS) -> Tuple[int, int]:
    """Token bounds of the clause around `span`."""
    start = span.start
    while start > 0 and doc[start - 1].lower_ not in breaks:
        start -= 1
    end = span.end
    while end < len(doc) and doc[end].lower_ not in breaks:
        end += 1
    return start, end
