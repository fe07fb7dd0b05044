"""Where the question is in a patient's message, and what reads as a follow-up."""

import pytest

from bot.language.question_focus import (
    asks_for_treatment,
    focus_of,
    is_short,
    question_in,
    reads_as_follow_up,
    sentences,
)


def focused(text):
    focus = focus_of(text)
    return text[focus.start : focus.end]


def test_one_sentence_is_its_own_focus():
    assert focused("what helps calcinosis") == "what helps calcinosis"
    assert focus_of("what helps calcinosis").other_questions == ()


def test_the_question_after_a_story_is_the_focus():
    text = (
        "I was diagnosed with diffuse scleroderma two years ago. My hands are stiff every morning. "
        "I take mycophenolate. What helps calcium lumps on the elbows?"
    )
    assert focused(text) == "What helps calcium lumps on the elbows?"


def test_a_short_question_keeps_the_sentence_before_it():
    text = "I have had sores on my fingertips since the winter. What can I do?"
    assert focused(text) == text
    assert question_in(text, {"start": 0, "end": len(text), "question_start": text.index("What")}) == "What can I do?"


def test_questions_without_a_question_mark_are_found():
    text = "My mother has CREST syndrome. I would like to know how it affects the lungs."
    assert focused(text) == "I would like to know how it affects the lungs."


def test_the_other_questions_are_kept_for_buttons():
    text = "I have Raynaud's. What helps Raynaud's in the cold winter months? And is scleroderma hereditary? Why?"
    focus = focus_of(text)
    assert text[focus.start : focus.end] == "What helps Raynaud's in the cold winter months?"
    assert focus.other_questions == ("And is scleroderma hereditary?",)


def test_decimal_points_and_abbreviations_do_not_end_a_sentence():
    assert len(sentences("is 62.5mg of bosentan the right amount for me")) == 1


@pytest.mark.parametrize(
    "text",
    [
        "what else is there?",
        "and for the lungs?",
        "what helps it",
        "is there anything else for that if the first medicine did not work",
    ],
)
def test_follow_ups(text):
    assert reads_as_follow_up(text)


def test_a_long_new_question_is_not_a_follow_up():
    assert not reads_as_follow_up(
        "my fingers have had sores for three months and the skin on my hands keeps " "getting tighter every single week"
    )


def test_treatment_or_definition_question():
    assert asks_for_treatment("what can be done about my calcinosis")
    assert not asks_for_treatment("what is the treatment called imatinib")
    assert not asks_for_treatment("how do you pronounce hydroxychloroquine")


def test_short_messages_are_the_classifiers_shape():
    assert is_short("my chest hurts")
    assert not is_short("I had a bad week. My chest hurts.")
