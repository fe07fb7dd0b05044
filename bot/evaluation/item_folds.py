"""Item-level cross-validation on the development part of the real questions.

The item ranker learns from the development part (bot.language.item_examples), so the
development figures of `make eval` are figures on questions it was trained on. This
measures it on words it has not seen: the questions are split into folds; for each fold
the ranker learns from every other example and the other folds' questions, and ranks the
fold's questions. Top-1: the best item answers the question; top-3: one of the best three does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, List, Sequence, Tuple

import numpy as np

from bot.content.files import ContentItem
from bot.evaluation.dataset import Question
from bot.language.item_examples import Example, real_examples
from bot.language.item_ranking import NONE, ItemRanker

FOLDS = 8
SEED = 2023

Encode = Callable[[Sequence[str]], np.ndarray]
Concepts = Callable[[str], Tuple[str, ...]]


@dataclass(frozen=True)
class ItemScores:
    top1: float
    top3: float
    questions: int  # scored: not urgent, answered by an item the ranker may choose

    def as_dict(self) -> Dict[str, float]:
        return {"top1": self.top1, "top3": self.top3, "questions": self.questions}


def folds_of(count: int, folds: int = FOLDS, seed: int = SEED) -> List[np.ndarray]:
    return np.array_split(np.random.RandomState(seed).permutation(count), folds)


def cross_validate(
    base: Sequence[Example],
    questions: Sequence[Question],
    items: Dict[str, ContentItem],
    encode: Encode,
    concepts_of: Concepts,
    folds: int = FOLDS,
) -> ItemScores:
    """`base`: every example but the real questions; `items`: those the ranker may choose."""
    scored = [q for q in questions if not q.urgent and any(i in items for i in q.content_ids)]
    base_vectors = encode([e.text for e in base])
    vectors = encode([q.text for q in scored])
    concepts = [concepts_of(q.text) for q in scored]
    index = {q.text: n for n, q in enumerate(scored)}
    hits1 = hits3 = 0
    for fold in folds_of(len(scored), folds):
        inside = set(fold.tolist())
        learnt = real_examples([q for n, q in enumerate(scored) if n not in inside], items)
        ranker = ItemRanker.train(
            np.vstack([base_vectors, vectors[[index[text] for text, _ in learnt]]]),
            [e.concepts for e in base] + [concepts[index[text]] for text, _ in learnt],
            [e.label for e in base] + [label for _, label in learnt],
        )
        for n in fold:
            best = [r.content_id for r in ranker.rank(vectors[n], concepts[n]) if r.content_id != NONE][:3]
            right = set(scored[n].content_ids)
            hits1 += best[0] in right
            hits3 += bool(right & set(best))
    return ItemScores(hits1 / len(scored), hits3 / len(scored), len(scored))
