"""Medical words a patient may not know ("WHO class IV", "PDE-5 inhibitors") are explained
where the lung and heart answers use them (issue #22): in the answer itself, or by a
"What is ...?" button among the suggested questions the widget shows."""

import re

import pytest

SHOWN_BUTTONS = 3  # the widget shows an answer's first three suggested questions
TOPICS = ("lung", "heart")
# Concepts any answer may name unexplained: the assistant's subject, which its welcome
# names, and an everyday word.
EVERYDAY = {"systemic_sclerosis", "refractory", "steroids"}


def hard_words(library):
    """The tests, grades and groups of medicines ("What are ...?") that the content defines."""
    return [
        item
        for item in library.defining_items()
        if item.concept not in EVERYDAY and (item.entity == "term" or item.title.startswith("What are"))
    ]


def used(term, text):
    return re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text, re.I) is not None


def explained(term, text):
    """In brackets after the term, or the term in brackets after plain words ("heart tracing
    (ECG)"), or a sentence that starts with the term and says what it is, or the term named
    after a plain description ("medicines that widen blood vessels, such as ...")."""
    name = re.escape(term)
    return any(
        re.search(pattern, text, re.I)
        for pattern in (
            rf"(?<![\w-]){name} \(",
            rf"\({name}\)",
            rf"(^|\. ){name} (is|are|means|grade)\b",
            rf"\bsuch as [^.]*(?<![\w-]){name}(?![\w-])",
        )
    )


@pytest.mark.parametrize("topic", TOPICS)
def test_the_hard_words_of_an_answer_are_explained_in_it_or_by_a_button(library, topic):
    unexplained = {}
    for item in library.items.values():
        if item.topic != topic or item.answers == "safety":
            continue
        buttons = set(item.related[:SHOWN_BUTTONS])
        for word in hard_words(library):
            if word.concept == item.concept or word.id in buttons:
                continue
            terms = [term for term in word.terms if used(term, item.answer)]
            if terms and not any(explained(term, item.answer) for term in terms):
                unexplained.setdefault(item.id, []).append(terms[0])
    assert unexplained == {}


def test_the_rules_tell_an_explained_word_from_a_bare_one():
    assert explained("ECG", "It shows on a heart tracing (ECG).")
    assert explained("WHO classes", "In class III. WHO classes grade how much it limits life.")
    assert explained("ACE inhibitors", "Medicines that widen blood vessels, such as CCBs and ACE inhibitors.")
    assert not explained("PDE-5 inhibitors", "Imatinib, with PDE-5 inhibitors, has helped.")
