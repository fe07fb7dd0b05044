"""The real-question sets are well formed, and the figures are computed as documented."""

import pytest

from bot import settings
from bot.evaluation.dataset import DatasetError, Question, load_gate, load_part, load_sets
from bot.evaluation.metrics import Outcome, Reply, gate_failures, score

SETS = settings.PROJECT_DIR / "evaluation"


def question(qid="Q1", topics=("skin",), content_ids=("skin.calcinosis_treatments",), urgent=False, advice=False):
    return Question(
        qid,
        "what helps calcinosis",
        "https://example.org/q",
        tuple(topics),
        tuple(content_ids),
        urgent,
        advice,
        "heldout",
    )


def test_the_shipped_sets_load_and_are_apart(library):
    questions = load_sets(SETS, set(library.items), settings.max_message_chars())
    parts = {q.part for q in questions}
    assert parts == {"dev", "heldout"}
    assert all(q.source.startswith("http") for q in questions)
    assert any(q.urgent for q in questions) and any(not q.urgent for q in questions)
    assert load_gate(SETS)


def test_a_bad_entry_names_the_file_and_the_entry(tmp_path, library):
    path = tmp_path / "dev.yml"
    path.write_text(
        "- {id: X1, text: hi, source: 'https://a.example', topics: [nonsense], urgent: false, " "asks_advice: false}\n"
    )
    with pytest.raises(DatasetError, match=r"dev.yml: entry 1 \(X1\): unknown topics"):
        load_part(path, "dev", set(library.items), 1000)
    path.write_text(
        "- {id: X1, text: hi, source: 'https://a.example', topics: [skin], content_ids: [skin.nope], "
        "urgent: false, asks_advice: false}\n"
    )
    with pytest.raises(DatasetError, match="unknown content ids"):
        load_part(path, "dev", set(library.items), 1000)


def test_figures():
    outcomes = [
        Outcome(question("A"), Reply("skin", "answer", "skin.calcinosis_treatments")),
        Outcome(question("B"), Reply("vascular", "answer", "vascular.overview")),  # wrong topic and item
        Outcome(
            question("C", topics=("emergency",), content_ids=(), urgent=True),
            Reply("emergency", "emergency", "emergency.urgent"),
        ),
        Outcome(
            question("D", topics=("guardrail", "skin"), advice=True), Reply("guardrail", "guardrail", "guardrail.dose")
        ),
        Outcome(
            question("E", topics=("out_of_scope",), content_ids=()),
            Reply("guardrail", "guardrail", "guardrail.diagnosis"),
        ),
        # asked back, the right item second among the options: a top-1 miss, a top-3 hit
        Outcome(question("F"), Reply("skin", "clarify", "", options=("skin.overview", "skin.calcinosis_treatments"))),
        # asked back without the right item
        Outcome(question("G"), Reply("vascular", "clarify", "", options=("vascular.overview",))),
    ]
    scores = score("heldout", outcomes)
    assert scores.counts["topic_accuracy"] == (4, 7)
    assert scores.counts["content_top1"] == (2, 5)  # A yes, B no, D: the guardrail is right for advice; F, G no
    assert scores.counts["content_top3"] == (3, 5)  # ... and F
    assert scores.counts["ask_back_rate"] == (2, 7)
    assert scores.counts["urgent_recall"] == (1, 1)
    assert scores.counts["false_urgent_rate"] == (0, 6)
    assert scores.counts["guardrail_false_rate"] == (1, 5)  # A, B, E, F, G are education questions; E got it
    assert [m.question.id for m in scores.misses()] == ["B", "E", "F", "G"]
    assert scores.per_topic()["skin"] == (1.0, 0.5, 4)
    assert scores.confusion()[("skin", "vascular")] == 2
    assert gate_failures(scores, {"topic_accuracy": {"min": 0.6}, "guardrail_false_rate": {"max": 0.1}}) == [
        "heldout topic_accuracy 57.1% (4/7) is below 60.0%",
        "heldout guardrail_false_rate 20.0% (1/5) is above 10.0%",
    ]
    assert any(line.startswith("topic_accuracy 57.1%") for line in scores.unmet())
    assert any(line.startswith("ask_back_rate 28.6%") for line in scores.unmet())
