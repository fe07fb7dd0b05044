"""The feedback store (a real SQLite file) and `sscbot feedback report`."""

import pytest

from bot.records.ratings import FeedbackStore, ItemRatings, report_lines
from bot.run.cli import main


@pytest.fixture
def store(tmp_path):
    return FeedbackStore.create(f"sqlite:///{tmp_path / 'sub' / 'feedback.db'}")


def test_ratings_are_counted_per_item_and_a_new_rating_replaces_the_old(store):
    store.rate("conversation-a", "skin.calcinosis_treatments", "helpful")
    store.rate("conversation-b", "skin.calcinosis_treatments", "not_helpful")
    store.rate("conversation-c", "skin.calcinosis_treatments", "helpful")
    store.rate("conversation-a", "vascular.raynauds_treatments", "helpful")
    store.rate("conversation-a", "vascular.raynauds_treatments", "not_helpful")
    assert store.per_item() == [
        ItemRatings("skin.calcinosis_treatments", helpful=2, not_helpful=1),
        ItemRatings("vascular.raynauds_treatments", helpful=0, not_helpful=1),
    ]


def test_an_unknown_rating_is_refused(store):
    with pytest.raises(ValueError, match="helpful, not_helpful"):
        store.rate("conversation-a", "skin.calcinosis_treatments", "great")
    assert store.per_item() == []


def test_report_lines():
    lines = report_lines([ItemRatings("skin.calcinosis_treatments", 2, 1), ItemRatings("lung.overview", 0, 1)])
    assert lines == [
        "content item                helpful  not helpful  total",
        "skin.calcinosis_treatments        2            1      3",
        "lung.overview                     0            1      1",
        "Total: 4 ratings, 2 items.",
    ]
    assert report_lines([]) == ["No ratings yet."]


def test_the_feedback_report_command(store, monkeypatch, capsys):
    monkeypatch.setenv("SSCBOT_FEEDBACK_DATABASE_URL", str(store.engine.url))
    assert main(["feedback", "report"]) == 0
    assert capsys.readouterr().out == "No ratings yet.\n"
    store.rate("conversation-a", "lung.overview", "helpful")
    assert main(["feedback", "report"]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == [
        "lung.overview        1            0      1",
        "Total: 1 ratings, 1 items.",
    ]
