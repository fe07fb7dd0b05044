"""The sentence-feature classifier builds Rasa's LogisticRegressionClassifier's matrix, value
for value and in its type, from messages featurized as our pipeline does them."""

import numpy as np
import pytest
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from scipy.sparse import csr_matrix

from bot.rasa_plugins.sentence_classifier import SentenceFeatureClassifier

rng = np.random.default_rng(7)


def message(tokens, dense=True):
    """A message with two sparse featurizers' and (optionally) a dense one's sequence and sentence features."""
    features = []
    for origin, width in (("words", 5), ("letters", 7)):
        features.append(Features(csr_matrix(rng.integers(0, 3, (tokens, width))), "sequence", TEXT, origin))
        features.append(Features(csr_matrix(rng.integers(0, 3, (1, width))), "sentence", TEXT, origin))
    if dense:
        features.append(Features(rng.random((tokens, 4)), "sequence", TEXT, "encoder"))
        features.append(Features(rng.random((1, 4)).astype(np.float32), "sentence", TEXT, "encoder"))
    return Message(data={TEXT: "x " * tokens}, features=features)


@pytest.mark.parametrize(
    "messages", [[message(3)], [message(2), message(6), message(1)], [message(4, dense=False), message(2, dense=False)]]
)
def test_the_matrix_is_rasas(messages):
    ours = SentenceFeatureClassifier._create_X(None, messages)
    rasas = LogisticRegressionClassifier._create_X(None, messages)
    assert ours.dtype == rasas.dtype == np.float64
    assert np.array_equal(ours.toarray(), rasas.toarray())
