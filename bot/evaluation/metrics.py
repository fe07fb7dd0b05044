"""Scores of one part of a question set, from the assistant's answer contracts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from bot.evaluation.dataset import Question

# The targets of issue #20 for the held-out part: (name, minimum or maximum, value).
TARGETS: Tuple[Tuple[str, str, float], ...] = (
    ("topic_accuracy", "min", 0.85),
    ("content_top1", "min", 0.70),
    ("content_top3", "min", 0.90),
    ("ask_back_rate", "max", 0.15),
    ("urgent_recall", "min", 1.00),
    ("false_urgent_rate", "max", 0.0),
    ("guardrail_false_rate", "max", 0.02),
)


@dataclass(frozen=True)
class Reply:
    """What the assistant answered: the answer contract's fields (all empty: no contract)."""

    topic: str
    kind: str
    content_id: str
    title: str = ""
    text: str = ""
    options: Tuple[str, ...] = ()  # an ask-back's content items, best first


@dataclass(frozen=True)
class Outcome:
    question: Question
    reply: Reply

    @property
    def topic_ok(self) -> bool:
        return self.reply.topic in self.question.topics

    @property
    def content_ok(self) -> Optional[bool]:
        """Top-1: a direct answer with a right item (an ask-back is a miss); None where the
        article does not answer the question (nothing to score)."""
        if not self.question.content_ids or self.question.urgent:
            return None
        if self.question.asks_advice and self.reply.kind == "guardrail":
            return True
        return self.reply.kind != "clarify" and self.reply.content_id in self.question.content_ids

    @property
    def content_top3(self) -> Optional[bool]:
        """A right direct answer, or a right item among the ask-back's options."""
        if self.content_ok is None:
            return None
        return self.content_ok or any(option in self.question.content_ids for option in self.reply.options)

    @property
    def asked_back(self) -> bool:
        return self.reply.kind == "clarify"

    @property
    def urgent_reply(self) -> bool:
        return self.reply.kind == "emergency"

    @property
    def missed(self) -> bool:
        return not self.topic_ok or self.content_ok is False or self.urgent_reply != self.question.urgent


def _rate(hits: int, total: int) -> Optional[float]:
    return hits / total if total else None


@dataclass
class Scores:
    part: str
    outcomes: List[Outcome]
    figures: Dict[str, Optional[float]] = field(default_factory=dict)
    counts: Dict[str, Tuple[int, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        o = self.outcomes
        self._put("topic_accuracy", sum(x.topic_ok for x in o), len(o))
        scored = [x for x in o if x.content_ok is not None]
        self._put("content_top1", sum(bool(x.content_ok) for x in scored), len(scored))
        self._put("content_top3", sum(bool(x.content_top3) for x in scored), len(scored))
        self._put("ask_back_rate", sum(x.asked_back for x in o), len(o))
        urgent = [x for x in o if x.question.urgent]
        self._put("urgent_recall", sum(x.urgent_reply for x in urgent), len(urgent))
        calm = [x for x in o if not x.question.urgent]
        self._put("false_urgent_rate", sum(x.urgent_reply for x in calm), len(calm))
        education = [x for x in o if x.question.education]
        self._put("guardrail_false_rate", sum(x.reply.kind == "guardrail" for x in education), len(education))

    def _put(self, name: str, hits: int, total: int) -> None:
        self.counts[name] = (hits, total)
        self.figures[name] = _rate(hits, total)

    def per_topic(self) -> Dict[str, Tuple[Optional[float], Optional[float], int]]:
        """topic -> (precision, recall, number of questions whose first topic it is)."""
        topics = sorted({x.question.expected_topic for x in self.outcomes} | {x.reply.topic for x in self.outcomes})
        table = {}
        for topic in topics:
            expected = [x for x in self.outcomes if x.question.expected_topic == topic]
            answered = [x for x in self.outcomes if x.reply.topic == topic]
            table[topic] = (
                _rate(sum(topic in x.question.topics for x in answered), len(answered)),
                _rate(sum(x.topic_ok for x in expected), len(expected)),
                len(expected),
            )
        return table

    def confusion(self) -> Counter:
        """(first acceptable topic, topic answered) -> count."""
        return Counter((x.question.expected_topic, x.reply.topic or "(none)") for x in self.outcomes)

    def misses(self) -> List[Outcome]:
        return [x for x in self.outcomes if x.missed]

    def unmet(self) -> List[str]:
        """The targets this part misses, as sentences."""
        failures = []
        for name, bound, value in TARGETS:
            figure = self.figures.get(name)
            if figure is None:
                continue
            if (bound == "min" and figure < value) or (bound == "max" and figure > value):
                hits, total = self.counts[name]
                word = "at least" if bound == "min" else "at most"
                failures.append(f"{name} {figure:.1%} ({hits}/{total}), target {word} {value:.0%}")
        return failures


def score(part: str, outcomes: Sequence[Outcome]) -> Scores:
    return Scores(part, list(outcomes))


def gate_failures(scores: Scores, gate: Dict[str, Dict[str, float]]) -> List[str]:
    """The figures of `scores` outside the bounds of `gate` ({figure: {min|max: value}})."""
    failures = []
    for name, bounds in gate.items():
        figure = scores.figures.get(name)
        if figure is None:
            continue
        hits, total = scores.counts[name]
        if "min" in bounds and figure < bounds["min"] - 1e-9:
            failures.append(f"{scores.part} {name} {figure:.1%} ({hits}/{total}) is below {bounds['min']:.1%}")
        if "max" in bounds and figure > bounds["max"] + 1e-9:
            failures.append(f"{scores.part} {name} {figure:.1%} ({hits}/{total}) is above {bounds['max']:.1%}")
    return failures
