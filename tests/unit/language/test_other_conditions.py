"""Another disease is recognised by the shape of its name, not from a list: names made up
here are in no list of the code."""

import pytest

from bot.content.repository import library
from bot.language.other_conditions import OtherConditions


@pytest.fixture(scope="module")
def other():
    return OtherConditions.of_content(library().items.values())


@pytest.mark.parametrize(
    "text",
    [
        "does rituximab help with florimentosis?",  # made up: the shape of a disease's name
        "my mum has ravenitis, is it like scleroderma",
        "can mycophenolate treat Tamsin's disease",
        "I was told I have Kessler-Vance, does iloprost help",
        "does abatacept help juvenile arthritis",
        "I have tuberous sclerosis, what medicines help",
        "does mycophenolate help myasthenia gravis",
        "what helps lupus",
        "does bosentan help Pellard's pulmonary syndrome",
        "is hydroxychloroquine good for Tessaly fever",
    ],
)
def test_another_disease_is_found_by_its_shape(other, text):
    assert other.named_in(text)


def test_where_the_name_stands_so_that_the_articles_words_inside_it_do_not_count(other):
    text = "is rituximab good for rheumatoid arthritis"
    assert other.named_in(text) == [(text.index("rheumatoid"), len(text))]


@pytest.mark.parametrize(
    "text",
    [
        "what helps calcinosis?",
        "my Raynaud's disease is bad in winter",
        "what is digital ischaemia",
        "I have Sjögren's syndrome and my eyes are dry",
        "what helps myositis",
        "does scleroderma cause arthritis",
        "I have limited cutaneous sytemic sclerosis",
        "shows no signs of limited system sclorosis, as I have",
        "what is interstitial lung disease",
        "is my diagnosis right",
        "I have CREST syndrome",
        "Interstitial lung disease, what is it?",
        "Kidney disease in scleroderma",
        "Autoimmune disease runs in my family",
    ],
)
def test_the_articles_conditions_and_overlaps_are_not_another_disease(other, text):
    assert not other.named_in(text)
