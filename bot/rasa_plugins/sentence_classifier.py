"""Rasa's `LogisticRegressionClassifier`, whose `_create_X` combined every featurizer's
sequence features for each message only to drop them and keep the sentence features.
Here it combines the sentence features alone, into the same float64 matrix: the same
predictions (tests/unit/rasa_plugins/test_sentence_classifier.py). Gain: 2.3 to 0.56 ms
per message before the stacking (issue #7); 0.86 ms per message in a focused timing
(2026-12-05, issue #23)."""

from __future__ import annotations

from typing import List, Optional

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from scipy.sparse import csr_matrix, hstack, vstack


def _sentence_features(message: Message, sparse: bool) -> Optional[Features]:
    """The message text's sentence features of one kind, combined as Message.get_*_features does."""
    _, sentence = message._filter_sparse_features(TEXT, []) if sparse else message._filter_dense_features(TEXT, [])
    return message._combine_features(sentence, [])


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SentenceFeatureClassifier(LogisticRegressionClassifier):
    def _create_X(self, messages: List[Message]) -> csr_matrix:
        """Each message's sparse then dense sentence features, one row each."""
        rows = []
        for message in messages:
            features = (_sentence_features(message, True), _sentence_features(message, False))
            parts = [csr_matrix(f.features) for f in features if f is not None]
            rows.append(parts[0] if len(parts) == 1 else hstack(parts or [csr_matrix([])]))
        return csr_matrix(rows[0] if len(rows) == 1 else vstack(rows), dtype=np.float64)  # Rasa's type: float64
