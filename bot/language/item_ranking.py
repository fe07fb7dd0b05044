"""Ranks the content items for a whole message: a logistic regression on the message's
sentence vector (bot.language.encoder) beside the concepts the lexicon finds in it.

It learns from examples labelled with an item (bot.language.item_examples); the items it
may choose are those examples' labels, so the urgent-advice and refusal items, which
have no examples, are never among them. No Rasa imports: the Rasa component
(bot.rasa_plugins.item_ranker) trains, stores and runs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterable, List, Sequence, Tuple

import numpy as np

NONE = "none"  # the label of messages that ask for no item (greetings, thanks, other subjects)
TERM_WEIGHT = 1.0  # a found concept's feature value, beside a unit-length sentence vector
C = 2.0  # inverse regularisation strength, chosen on the development questions (evaluation/dev.yml)
SEED = 2023


@dataclass(frozen=True)
class Ranked:
    content_id: str  # NONE for "no item"
    score: float  # the probability the regression gives it


class ItemRanker:
    def __init__(self, labels: Sequence[str], concepts: Sequence[str], weights: np.ndarray, bias: np.ndarray):
        self.labels = list(labels)
        self.concepts = list(concepts)
        self.weights = weights  # (features, labels)
        self.bias = bias  # (labels,)
        self._concept_index = {c: i for i, c in enumerate(self.concepts)}

    @classmethod
    def train(
        cls, vectors: np.ndarray, concepts: Sequence[Iterable[str]], labels: Sequence[str], c: float = C
    ) -> ItemRanker:
        from sklearn.linear_model import LogisticRegression

        vocabulary = sorted({concept for found in concepts for concept in found})
        untrained = cls(sorted(set(labels)), vocabulary, np.zeros(0), np.zeros(0))
        features = untrained._features(vectors, concepts)
        model = LogisticRegression(C=c, max_iter=2000, random_state=SEED)
        model.fit(features, list(labels))
        return cls(list(model.classes_), vocabulary, model.coef_.T.copy(), model.intercept_.copy())

    def rank(self, vector: np.ndarray, concepts: Iterable[str]) -> List[Ranked]:
        """Every label, best first."""
        # einsum, not `@`: one row times a small matrix is quicker than BLAS wakes up, and BLAS's worker
        # threads went on spinning after each message (Rasa's CPU per message doubled under load).
        logits = np.einsum("j,jk->k", self._features(vector[None, :], [concepts])[0], self.weights) + self.bias
        scores = np.exp(logits - logits.max())
        scores /= scores.sum()
        return [Ranked(self.labels[i], float(scores[i])) for i in np.argsort(-scores, kind="stable")]

    def _features(self, vectors: np.ndarray, concepts: Sequence[Iterable[str]]) -> np.ndarray:
        found = np.zeros((len(vectors), len(self.concepts)), dtype=np.float32)
        for row, names in enumerate(concepts):
            for name in names:
                if name in self._concept_index:
                    found[row, self._concept_index[name]] = TERM_WEIGHT
        return np.hstack([vectors.astype(np.float32), found])

    def to_arrays(self) -> Tuple[Dict[str, List[str]], Dict[str, np.ndarray]]:
        """(labels and concepts, weights and bias): what is stored with the trained model."""
        return {"labels": self.labels, "concepts": self.concepts}, {"weights": self.weights, "bias": self.bias}

    @classmethod
    def from_arrays(cls, names: Dict[str, List[str]], arrays: Dict[str, np.ndarray]) -> ItemRanker:
        return cls(names["labels"], names["concepts"], arrays["weights"], arrays["bias"])
