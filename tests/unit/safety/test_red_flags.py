"""The deterministic red-flag layer (content/red_flags.yml) on its own."""

import pytest

from bot.content.files import ContentError
from bot.language.understanding import Understanding
from bot.safety.red_flag_rules import load_red_flags


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
        ("my fingertip ulcer won't stop bleeding", "heavy_bleeding"),
        ("there's a lot of blood coming from my finger ulcer and it won't stop", "heavy_bleeding"),
        ("it's been bleeding for 30 minutes now soaking through the bandage", "heavy_bleeding"),
        ("I feel like I can't get any air in", "breathing"),
        ("can pulmonary hypertension cause fainting? I fainted just now", "fainting"),
        ("can pulmonary hypertension cause fainting? just curious, i'm fine", None),
        ("can iloprost make me faint?", None),
        ("could my kidney problem be a renal crisis?", "renal_crisis_now"),  # a feared renal crisis is urgent
        ("my ulcer bled a lot last week but it's fine now", None),
        ("my period is heavy, bleeding a lot, is that the mycophenolate?", None),
        ("there's blood pouring out of the sore on my thumb, I can't get it to stop", "heavy_bleeding"),
        ("it feels like an elephant is sitting on my chest", "chest_pain"),
        ("my dad has scleroderma and he's slurring his words and his face is drooping", "stroke_signs"),
        ("my lips have gone grey and I can hardly breathe", "breathing"),
        ("hi there. I don't see the point in living anymore", "self_harm"),
        ("i cant take this anymore, planning to take all my tablets tonight", "self_harm"),
        ("my hand went ice cold and white and it's been like that for three hours", "cold_white_hand"),
        ("I fainted once as a teenager, is that linked to scleroderma?", None),
        ("my mum died of a heart attack, is my heart at risk from SSc", None),
        ("can scleroderma cause a stroke?", None),
        ("I can't speak to my doctor until monday", None),
        ("I just coughed up a load of blood", "coughing_blood"),
        ("my poo has gone black and sticky like tar", "gut_bleeding"),
        ("half my face has dropped when I look in the mirror and I can't smile properly", "stroke_signs"),
        ("wish i was dead", "self_harm"),
        ("infected ulcer on my finger and im burning up", "infected_ulcer"),
        ("my ulcer got infected over christmas but antibiotics sorted it", None),
        ("ok I'll end it there, thanks for the help", None),
        ("I can't see my rheumatologist until next month, is that ok?", None),
        ("my boss nearly gave me a heart attack when he said I'd be on nights", None),
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
        ("chest pain and an itchy rash", "chest_pain"),  # a skin word sets aside a tight chest only
        ("my chest feels tight", "chest_tightness"),
        ("my chest skin is tight, and I have crushing chest pain right now", "chest_pain"),
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


@pytest.mark.parametrize(
    "text",
    [
        "the skin on my chest has got tight and shiny",
        "the skin on my chest is tight",
        "tight itchy skin across my chest",
    ],
)
def test_tight_skin_on_the_chest_is_not_a_tight_chest(understanding, text):
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


# The urgent signs a clinician expects (issue #13, item 8; sources named in content/red_flags.yml),
# in patients' own wording, and the same words where nothing urgent is happening.
CLINICAL_URGENT = [
    # scleroderma renal crisis: very high blood pressure in any written form, headache, vision, urine
    ("my blood pressure is 230 and i feel awful", "renal_crisis_signs"),
    ("bp of 205 this morning, is that bad", "renal_crisis_signs"),
    ("the top number is 210 and the bottom 115 on my home monitor", "renal_crisis_signs"),
    ("Yesterday she recorded a blood pressure of 210/100. Is this an emergency?", "renal_crisis_signs"),
    ("190 over 120 on the machine", "renal_crisis_signs"),
    ("sudden splitting headache and my vision has gone blurry", "renal_crisis_signs"),
    ("i have hardly peed anything since yesterday", "renal_crisis_signs"),
    # heart and lung
    ("tight heavy feeling in the middle of my chest started 20 min ago", "chest_pain"),
    ("i fainted in the kitchen an hour ago", "fainting"),
    ("i am breathless even sitting still", "breathing"),
    ("my breathing is getting worse and worse today", "breathing"),
    ("my legs are swollen and i get breathless lying flat at night", "heart_failure_signs"),
    ("new swelling in both ankles and i have to sleep propped up on pillows to breathe", "heart_failure_signs"),
    ("heart racing and i feel dizzy", "racing_heart"),
    # fingers
    ("the end of my thumb looks black and dead", "finger_gangrene"),
    ("my finger went white two hours ago and won't warm up", "finger_gangrene"),
    ("I have a small wound under my nail and the tissue looks necrotic", "finger_gangrene"),
    ("finger sore is oozing pus, hot and red up to the wrist, temp 38.9", "infected_ulcer"),
    # bleeding, infection, self-harm
    ("i vomited blood after lunch", "gut_bleeding"),
    ("there is blood in my stool and i feel faint", "gut_bleeding"),
    ("i have a fever and shivering and i am on mycophenolate", "sepsis_signs"),
    ("high temperature since my rituximab infusion and feeling very unwell", "sepsis_signs"),
    ("ive started cutting myself again", "self_harm"),
    ("everyone would be better off without me", "self_harm"),
]

CLINICAL_NOT_URGENT = [
    # about the future, fears, hypotheticals
    "will it spread to other organs?",
    "what if my kidneys fail?",
    "I am scared to start cyclophosphamide next week in case I get an infection",
    "does methotrexate cause fever?",
    # someone else's past, or the patient's own past
    "my mother had a renal crisis when she was pregnant with me",
    "my bp was 220/120 last year but it is fine now",
    "I had gangrene in 2015",
    # asked about
    "what are the signs of a renal crisis?",
    "what is gangrene?",
    "how high does blood pressure go in a renal crisis",
    # ordinary readings and wording
    "my bp was 150 yesterday",
    "blood pressure 120/80 all fine",
    "my ankles swell in the heat",
    "this is all very confusing",
    "arthritis that would not respond to any anti-inflammatory drugs",
    "feeling a bit low about my diagnosis lately but no thoughts of harming myself",
]


@pytest.mark.parametrize("text, expected", CLINICAL_URGENT)
def test_clinical_urgent_signs_in_real_wording(understanding, text, expected):
    assert flag(understanding, text) == expected


@pytest.mark.parametrize("text", CLINICAL_NOT_URGENT)
def test_the_same_words_when_nothing_urgent_happens(understanding, text):
    assert flag(understanding, text) is None


def test_the_rules_name_their_published_source():
    from bot import settings

    header = (settings.content_dir() / "red_flags.yml").read_text(encoding="utf-8").split("\nhappening:")[0]
    assert "selfmanagescleroderma.com" in header and "srfcure.org" in header
