"""The digest of what the trained model uses from content/ (bot.content.model_parts): it changes
with a term, a red-flag rule, an `asked_as` phrase or the wording the item ranker learns from,
and with nothing else."""

import pytest

from bot.content import model_parts
from bot.content.repository import library
from bot.settings import content_dir


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


ORIGINAL = model_parts.digest(content_dir())

USED = {
    "a term": ("glossary.yml", "terms: [calcinosis, ", "terms: [calcinosis, calcium stones, "),
    "a red-flag rule": ("red_flags.yml", "  - id: chest_pain", "  - id: chest_pain\n    with_any: [now]"),
    "an asked_as phrase": ("out_of_scope.yml", "asked_as: [contagious, ", "asked_as: [contagious, passed on, "),
    "the answer of an item the ranker learns from": (
        "glossary.yml",
        "The article says there is no effective treatment for calcinosis",
        "The article says no treatment clearly works for calcinosis",
    ),
}
NOT_USED = {
    "the urgent advice": (
        "emergency.yml",
        "Tell them you have systemic sclerosis (scleroderma).",
        "Tell them you have scleroderma.",
    ),
    "a comment in the red-flag rules": ("red_flags.yml", "# Red flags: symptoms", "# Red flags (reviewed): symptoms"),
    "a review date": ("skin.yml", "reviewed: 2023-11-22", "reviewed: 2024-01-05"),
    "a section": ("skin.yml", "section: Refractory Skin Involvement", "section: Refractory skin involvement"),
}


@pytest.mark.parametrize("what", USED)
def test_an_edit_of_what_the_model_uses_changes_the_digest(content_copy, what):
    assert model_parts.digest(content_copy) == ORIGINAL
    file, old, new = USED[what]
    edit(content_copy / file, old, new)
    assert model_parts.digest(content_copy) != ORIGINAL


@pytest.mark.parametrize("what", NOT_USED)
def test_an_edit_the_model_does_not_use_keeps_the_digest(content_copy, what):
    file, old, new = NOT_USED[what]
    edit(content_copy / file, old, new)
    assert model_parts.digest(content_copy) == ORIGINAL


def test_the_saved_copy_carries_the_digest_and_a_mismatch_names_the_fix(tmp_path, content_copy):
    model_parts.save_copy(content_dir(), tmp_path)
    saved = model_parts.saved_digest(tmp_path)
    assert saved == ORIGINAL
    assert library(model_parts.saved_copy(tmp_path)).items.keys() == library().items.keys()
    assert model_parts.mismatch(saved, content_copy) is None
    edit(content_copy / "glossary.yml", "terms: [calcinosis, ", "terms: [calcinosis, calcium stones, ")
    problem = model_parts.mismatch(saved, content_copy, "models/ssc.tar.gz")
    assert problem is not None and problem.startswith("models/ssc.tar.gz does not match")
    assert "Run `make train`" in problem
    assert "make train" in (model_parts.mismatch(None, content_copy) or "")
