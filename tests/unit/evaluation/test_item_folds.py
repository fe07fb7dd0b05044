"""The item-level cross-validation ranks each question with a ranker that never learnt it."""

import numpy as np

from bot.evaluation.dataset import Question
from bot.evaluation.item_folds import cross_validate, folds_of
from bot.language.item_examples import Example

WORDS = ["ulcer", "lung", "kidney", "heart", "skin", "gut", "joint", "eye"]


def encode(texts):
    """A word's own direction: a text is close to the texts that share its word."""
    vectors = np.array([[float(word in text) for word in WORDS] for text in texts], dtype=np.float32)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


def question(n, text, item):
    return Question(f"D{n}", text, "https://example.org", ("skin",), (item,), False, False, "dev")


ITEMS = dict.fromkeys(f"{w}.item" for w in WORDS)  # only which items may be chosen matters here


def test_folds_cover_every_question_once():
    folds = folds_of(20, 8)
    assert sorted(np.concatenate(folds).tolist()) == list(range(20))


def test_a_question_only_its_own_fold_knows_is_missed_and_one_others_teach_is_found():
    base = [Example(w, (), f"{w}.item") for w in WORDS[:4]]  # the ranker knows four items from their own words
    # Two questions per known item: each fold learns from the other. The unknown items' words are met only in
    # one question each, so a ranker that learnt a question from itself would get them right too.
    known = [question(n, f"my {w} {w}", f"{w}.item") for n, w in enumerate(WORDS[:4] * 2)]
    unknown = [question(10 + n, f"my {w}", f"{w}.item") for n, w in enumerate(WORDS[4:])]
    scores = cross_validate(base, known + unknown, ITEMS, encode, lambda text: (), folds=4)
    assert scores.questions == 12
    assert scores.top1 == 8 / 12  # the eight known ones, none of the four only they teach
