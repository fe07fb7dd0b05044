"""Personal details typed by a patient are replaced before anything is stored;
medical figures stay."""
import pytest
import yaml

from bot.safety.redaction import redact
from bot.settings import PROJECT_DIR


@pytest.mark.parametrize("text, expected", [
    ("my email is Jane.Doe+ssc@example.co.uk, what helps calcinosis?",
     "my email is [email], what helps calcinosis?"),
    ("call me on +44 20 7946 0958 or 07700 900123", "call me on [phone] or [phone]"),
    ("my number is (555) 123-4567", "my number is [phone]"),
    ("my number is 555.123.4567!", "my number is [phone]!"),
    ("born 03/05/1960", "born [date]"),
    ("DOB: 1960-05-03", "DOB: [date]"),
    ("I was born on 3rd May 1960 and have Raynaud's", "I was born on [date] and have Raynaud's"),
    ("born in 1958", "born [date]"),
    ("my birthday is May 3, 1960", "my birthday is [date]"),
    ("I live at 221B Baker Street, London NW1 6XE", "I live at [address], London [postcode]"),
    ("12 Rose Lane", "[address]"),
])
def test_personal_details_are_replaced(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", [
    "my blood pressure is 190/120 right now",
    "I took 20 tablets",
    "prednisolone over 10 mg per day",
    "since 2019 my fingers go white",
    "I am 45 and have had 3 ulcers",
    "WHO class 3 breathlessness",
    "what are PDE5 inhibitors?",
    "call 911",
    "12 of the 20 patients improved",
    # doses, counts and everyday words are not addresses or postcodes
    "I just took 50 tablets in a row",
    "took 15 pills close together",
    "I took 40 mg prednisolone my dr said is that too much",
    "vitamin b12 5mg",
    "took 30 pills on the drive",
])
def test_medical_figures_and_ordinary_numbers_are_kept(text):
    assert redact(text) == text


def test_a_kept_span_stays_whole_and_the_rest_is_redacted():
    text = "took 20 paracetamol on the road, call me on 07700 900123"
    assert redact(text) == "took [address], call me on [phone]"
    assert redact(text, keep=[(0, 19)]) == "took 20 paracetamol on the road, call me on [phone]"


def test_no_safety_phrasing_is_changed_by_redaction():
    """Redaction runs before NLU: it must never hide an urgent symptom or a medicine question."""
    changed = []
    for name in ("safety_phrasings.yml", "safety_phrasings_holdout.yml"):
        for group in yaml.safe_load((PROJECT_DIR / "tests" / "data" / name).read_text(encoding="utf-8")).values():
            texts = [entry["text"] if isinstance(entry, dict) else entry for entry in group]
            changed += [t for t in texts if redact(t) != t]
    assert changed == []


REDACTION_DATA = PROJECT_DIR / "tests" / "data" / "redaction"


def test_personal_details_in_real_looking_messages_get_their_own_labels():
    """At least 100 messages: names where people introduce themselves or sign off, dates in
    numeric and written forms, NHS, NI, MRN and hospital numbers, flats and house names."""
    cases = yaml.safe_load((REDACTION_DATA / "personal.yml").read_text(encoding="utf-8"))
    assert len(cases) >= 100
    wrong = [(text, redact(text), expected) for text, expected in cases if redact(text) != expected]
    assert wrong == []
    labels = {label for _, expected in cases for label in
              ("[name]", "[date]", "[NHS number]", "[NI number]", "[MRN]", "[hospital number]", "[address]",
               "[phone]", "[email]", "[postcode]") if label in expected}
    assert len(labels) == 10


def test_medical_messages_and_every_lexicon_term_come_through_unchanged(library):
    messages = yaml.safe_load((REDACTION_DATA / "medical.yml").read_text(encoding="utf-8"))
    assert len(messages) >= 100
    terms = [term for item in library.defining_items() for term in item.terms]
    messages += [template.format(term) for term in terms for template in ("what helps {}?", "I am {}", "Thanks, {}")]
    assert [m for m in messages if redact(m) != m] == []


def test_an_nhs_number_is_told_from_a_phone_number():
    assert redact("my NHS number is 943 476 5919") == "my NHS number is [NHS number]"
    assert redact("943 476 5919") == "[NHS number]"  # a valid check digit, in the NHS's grouping
    assert redact("943 476 5918") == "[phone]"  # the check digit is wrong: a phone number
