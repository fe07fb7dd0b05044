"""The project's spaCy pipeline finds medical terms with canonical values."""

import pytest

from bot.language.pipeline import build_pipeline, edit_distance, find_terms, lexicon_terms


@pytest.fixture(scope="module")
def nlp(library):
    return build_pipeline(lexicon_terms(library.items.values()))


def concepts(nlp, text):
    return [(m.entity, m.value) for m in find_terms(nlp, text)]


@pytest.mark.parametrize(
    "text, entity, value",
    [
        ("what helps calcium lumps?", "manifestation", "calcinosis"),
        ("my white fingers in winter", "manifestation", "raynauds"),
        ("i have finger sores", "manifestation", "digital_ulcers"),
        ("what is CellCept for", "treatment", "mycophenolate"),
        ("they gave me cytoxan", "treatment", "cyclophosphamide"),
        ("Rituxan?", "treatment", "rituximab"),
        ("is gleevec used", "treatment", "imatinib"),
        ("plaquenil", "treatment", "hydroxychloroquine"),
        ("Imuran side", "treatment", "azathioprine"),
        ("what is ventavis", "treatment", "iloprost"),
        ("Actemra", "treatment", "tocilizumab"),
        ("orencia for arthritis", "treatment", "abatacept"),
        ("kidney crisis", "manifestation", "renal_crisis"),
        ("Raynaud's phenomenon", "manifestation", "raynauds"),
        ("raynauds", "manifestation", "raynauds"),
        ("Calcinosis treatmnt", "manifestation", "calcinosis"),
        ("calcinossis", "manifestation", "calcinosis"),
        ("metotrexate", "treatment", "methotrexate"),
        ("anti tnf", "treatment", "anti_tnf"),
        ("ACE inhibitors", "treatment", "ace_inhibitors"),
        ("whats an echo", "term", "echocardiography"),
    ],
)
def test_names_lay_words_brands_and_typos(nlp, text, entity, value):
    assert (entity, value) in concepts(nlp, text)


@pytest.mark.parametrize(
    "text",
    ["hello there", "what should i eat", "I feel fine today", "thank you so much", "is it going to rain"],
)
def test_plain_words_are_not_medical_terms(nlp, text):
    assert concepts(nlp, text) == []


def test_every_lexicon_term_finds_its_own_concept(nlp, library):
    missed = [
        (term.text, term.concept)
        for term in lexicon_terms(library.items.values())
        if (term.entity, term.concept) not in concepts(nlp, term.text)
    ]
    assert missed == []


def test_offsets_point_at_the_words_in_the_message(nlp):
    text = "does Rituxan help calcium lumps"
    found = {m.value: text[m.start : m.end] for m in find_terms(nlp, text)}
    assert found == {"rituximab": "Rituxan", "calcinosis": "calcium lumps"}


def test_edit_distance_counts_a_swap_as_one():
    assert edit_distance("calcinosis", "calcinoiss", 2) == 1
    assert edit_distance("abc", "abc", 1) == 0
    assert edit_distance("imatinib", "azathioprine", 2) == 3
