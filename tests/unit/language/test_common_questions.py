"""Common questions the article does not answer (or answers in part) are recognised in the
question of a message (`asked_as` in content/), and each reply is honest and names who
can answer."""

import pytest

from bot.language.understanding import Understanding


@pytest.fixture(scope="module")
def understanding():
    return Understanding()


@pytest.mark.parametrize(
    "text, item",
    [
        ("is it hereditary?", "what_is_ssc.causes"),
        ("Could my children inherit scleroderma from me?", "what_is_ssc.causes"),
        ("is scleroderma contagious", "out_of_scope.contagion"),
        ("is there a cure for this?", "what_is_ssc.cure"),
        ("what is the life expectancy with systemic sclerosis", "out_of_scope.prognosis"),
        ("My mum was just diagnosed. How long do people live with it?", "out_of_scope.prognosis"),
        ("can I have children with scleroderma?", "out_of_scope.pregnancy"),
        ("will I be able to keep working full time", "out_of_scope.work"),
        ("is there a special diet for ssc", "out_of_scope.diet"),
        ("what kind of doctor should I see for this", "out_of_scope.specialist"),
        ("are there any support groups near me", "out_of_scope.support"),
        ("what are the side effects of CellCept?", "out_of_scope.side_effects"),
        ("is nifedipine safe long term", "out_of_scope.side_effects"),
    ],
)
def test_common_questions_are_recognised(understanding, text, item):
    assert understanding.analyse(text).asked == item


@pytest.mark.parametrize(
    "text",
    [
        "what causes calcinosis?",  # a question about a named condition is about that condition
        "is calcinosis dangerous",  # not "the side effects of calcinosis"
        "what helps Raynaud's?",
        "I was pregnant in 2010. What helps calcium lumps on my elbows now?",  # the story is not the question
    ],
)
def test_questions_about_a_named_thing_are_left_to_it(understanding, text):
    assert understanding.analyse(text).asked is None


def test_every_honest_reply_says_what_the_article_covers_and_who_can_answer(library):
    replies = [i for i in library.items.values() if i.asked_as and i.topic == "out_of_scope"]
    assert len(replies) >= 8
    for item in replies:
        assert "The article does not" in item.answer, item.id
        assert any(who in item.answer for who in ("rheumatologist", "nurse", "doctor", "pharmacist")), item.id


def test_lexicon_additions_name_their_source(library):
    for item in library.defining_items():
        for term, source in item.term_sources:
            assert term in item.terms and source.strip(), (item.id, term)
    sourced = {term for item in library.defining_items() for term, _ in item.term_sources}
    assert {"CREST syndrome", "morphea scleroderma", "PH", "cor pulmonale", "nifedipine", "Procardia"} <= sourced
