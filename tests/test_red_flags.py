"""The deterministic red-flag layer (content/red_flags.yml) on its own."""
import pytest

from bot.content_files import ContentError
from bot.red_flags import load_red_flags
from bot.understanding import Understanding


@pytest.fixture(scope="module")
def understanding():
    return Understanding()


def flag(understanding, text):
    found = understanding.analyse(text).red_flag.flag
    return found.id if found else None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("i have crushing chest pain right now", "chest_pain"),
        ("my bp is 210/125 and my head is pounding", "renal_crisis_signs"),
        ("bp 190 over 115", "renal_crisis_signs"),
        ("chets pain", "chest_pain"),
        ("fanted in the shower just now", "fainting"),
        ("my fingertip has turned black", "finger_gangrene"),
        ("i want to end my life", "self_harm"),
        ("my husband collapsed and isnt responding", "collapse"),
        ("heart racing and i feel dizzy", "racing_heart"),
        ("i have not passed any urine since yesterday", "renal_crisis_signs"),
        ("I have no energy and chest pain", "chest_pain"),
        ("Nothing helps my chest pain", "chest_pain"),
        ("without warning I fainted", "fainting"),
        ("crushing chest pain do i need an ambulance", "chest_pain"),
        ("my chest pain is killing me", "chest_pain"),
        ("since 25/10 i have had a thumping headache", "renal_crisis_signs"),
        ("I had a renal crisis in 2019. Now I have a thumping headache", "renal_crisis_signs"),
        ("I don\u2019t want to live anymore", "self_harm"),
        ("I can\u2019t breathe", "breathing"),
    ],
)
def test_red_flags_now(understanding, text, expected):
    assert flag(understanding, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "what is a renal crisis?",
        "my pressure is normal now",
        "I had chest pain last year",
        "no chest pain today",
        "what are the signs of chest pain in ssc",
        "bp 120/80 this morning",
        "my heart races when i run",  # racing heart needs faintness or dizziness too
        "i collapsed onto the sofa after work",
        "i had a seizure in 2015",
        "I take 10 tablets of methotrexate once a week",
        "my heart is racing but I am not dizzy",
        "I have an ulcer on my finger and no fever",
        "I have read that chest pain is a sign of heart involvement",
        "since 25/10 my skin is itchy",
    ],
)
def test_education_negation_and_past_are_not_red_flags(understanding, text):
    assert flag(understanding, text) is None


def test_set_aside_mentions_are_reported(understanding):
    assert understanding.analyse("no chest pain today").red_flag.set_aside is True
    assert understanding.analyse("what helps calcinosis").red_flag.set_aside is False


def test_bad_red_flags_file_is_refused(content_copy):
    path = content_copy / "red_flags.yml"
    path.write_text(path.read_text().replace('negations: ["no",', "negations: [no,"))
    with pytest.raises(ContentError, match=r"red_flags\.yml, field 'negations': False is not a phrase \(quote"):
        load_red_flags(content_copy)


def test_a_flag_needs_a_reply(content_copy):
    path = content_copy / "red_flags.yml"
    path.write_text(path.read_text().replace("    reply: emergency.crisis\n", "", 1))
    with pytest.raises(ContentError, match=r"item 'self_harm', field 'reply': missing"):
        load_red_flags(content_copy)
