"""The item ranker learns from labelled examples and ranks every label; what it may
choose and learn from (bot.language.item_examples)."""

import numpy as np
import pytest

from bot import settings
from bot.content.files import ContentError
from bot.language.item_examples import item_asked_for, rankable, read_written_examples
from bot.language.item_ranking import NONE, ItemRanker
from bot.names import OTHER_CONDITION_ITEM


def test_it_ranks_every_label_best_first_and_survives_storing():
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(3, 8))
    vectors = np.vstack([c + 0.05 * rng.normal(size=(10, 8)) for c in centres])
    labels = ["a"] * 10 + ["b"] * 10 + [NONE] * 10
    concepts = [("x",)] * 10 + [()] * 20
    ranker = ItemRanker.train(vectors, concepts, labels)
    ranked = ranker.rank(centres[1], [])
    assert [r.content_id for r in ranked][0] == "b"
    assert sorted(r.content_id for r in ranked) == ["a", "b", NONE]
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)
    assert sum(r.score for r in ranked) == pytest.approx(1.0)
    assert ranker.rank(centres[2], ["x"])[0].score < ranker.rank(centres[2], [])[0].score  # the concept counts
    copy = ItemRanker.from_arrays(*ranker.to_arrays())
    assert copy.rank(centres[0], ["x"]) == ranker.rank(centres[0], ["x"])


def test_urgent_advice_refusals_and_system_messages_are_never_rankable(library):
    items = rankable(library)
    assert not [i for i in items if i.startswith(("emergency.", "guardrail.", "privacy."))]
    assert {"out_of_scope.not_covered", "out_of_scope.not_understood", "out_of_scope.something_else"}.isdisjoint(items)
    assert {"out_of_scope.pregnancy", OTHER_CONDITION_ITEM, "skin.calcinosis_treatments"} <= set(items)


def test_the_written_examples_name_rankable_items_and_a_wrong_one_names_its_file(library, tmp_path):
    items = rankable(library)
    pairs = read_written_examples(settings.PROJECT_DIR / "data" / "items", items)
    assert len(pairs) > 800 and {label for _, label in pairs} <= set(items)
    (tmp_path / "bad.yml").write_text("items:\n  emergency.urgent:\n    - chest pain\n")
    with pytest.raises(ContentError, match=r"bad.yml.*emergency.urgent"):
        read_written_examples(tmp_path, items)


def test_an_nlu_example_is_labelled_with_the_item_its_intent_and_concept_ask_for(library):
    items = rankable(library)
    assert item_asked_for("ask_treatment", None, {"manifestation": "calcinosis"}, items) == "skin.calcinosis_treatments"
    assert item_asked_for("ask_definition", None, {"manifestation": "calcinosis"}, items) == "glossary.calcinosis"
    assert item_asked_for("ask_cure", None, {}, items) == "what_is_ssc.cure"
    assert item_asked_for("greet", None, {}, items) == NONE
    assert item_asked_for("report_urgent_symptom", None, {}, items) is None
    assert item_asked_for("out_of_scope", "out_of_scope.diet", {}, items) == "out_of_scope.diet"


def test_the_ranker_learns_from_development_questions_never_from_held_out_ones(library, tmp_path):
    from bot.language.item_examples import real_examples, real_questions

    dev = real_questions(settings.PROJECT_DIR / "evaluation" / "dev.yml", library)
    learnt = real_examples(dev, rankable(library))
    urgent = {q.text for q in dev if q.urgent}
    assert learnt and not urgent & {text for text, _ in learnt}
    assert all(not label.startswith(("guardrail.", "emergency.")) for _, label in learnt)
    held_out = tmp_path / "heldout.yml"
    held_out.write_text((settings.PROJECT_DIR / "evaluation" / "dev.yml").read_text())
    with pytest.raises(ContentError, match="held-out"):
        real_questions(held_out, library)
