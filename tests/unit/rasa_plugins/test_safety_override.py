"""The last word on the intent (bot/rasa_plugins/safety_override.py), on messages as the
term extractor leaves them, with the classifier's verdict given."""

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_plugins.safety_override import SafetyOverride
from bot.rasa_plugins.term_extractor import MedicalTermExtractor


@pytest.fixture(scope="module")
def decide():
    extractor, override = MedicalTermExtractor({"content_dir": None}), SafetyOverride({})

    def run(text, predicted, confidence=0.9, runner_up="ask_definition"):
        message = Message(data={TEXT: text})
        extractor.process([message])
        message.set(INTENT, {"name": predicted, "confidence": confidence})
        message.set(
            INTENT_RANKING_KEY,
            [{"name": predicted, "confidence": confidence}, {"name": runner_up, "confidence": 1 - confidence}],
        )
        override.process([message])
        return message.get(INTENT)["name"]

    return run


@pytest.fixture(scope="module")
def verdict_of():
    extractor, override = MedicalTermExtractor({"content_dir": None}), SafetyOverride({})

    def run(text, predicted):
        message = Message(data={TEXT: text})
        extractor.process([message])
        message.set(INTENT, {"name": predicted, "confidence": 0.9})
        message.set(INTENT_RANKING_KEY, [{"name": predicted, "confidence": 0.9}, {"name": "ask_definition"}])
        override.process([message])
        return message.get("verdict")

    return run


@pytest.mark.parametrize(
    "text, predicted, expected",
    [
        # the deterministic layers decide, whatever the classifier said
        ("my blood pressure is 230 and my head hurts", "greet", "report_urgent_symptom"),
        ("how much methotrexate should I take", "ask_definition", "ask_personal_advice"),
        # the classifier's urgent or advice verdict on a long post, or on a common question, does not stand
        (
            "I had a bad winter. My hands were stiff and sore. What helps calcium lumps?",
            "report_urgent_symptom",
            "ask_treatment",
        ),
        ("can I have children with scleroderma?", "ask_personal_advice", "ask_definition"),
        # a named thing is never "not covered"
        ("who should get nifedipine and why?", "out_of_scope", "ask_definition"),
        ("what is CREST syndrome?", "out_of_scope", "ask_definition"),
        ("joint pain", "ask_definition", "ask_treatment"),
        ("what helps it?", "ask_capabilities", "ask_treatment"),
        # a "no" or a deletion that asks a question is a question
        ("do i need another chest x-ray", "deny", "ask_definition"),
        ("my dr mentioned a holter test, what is that about", "request_forget", "ask_definition"),
        # what the classifier got right stays
        ("what helps calcinosis?", "ask_treatment", "ask_treatment"),
        ("hello", "greet", "greet"),
    ],
)
def test_the_last_word_on_the_intent(decide, text, predicted, expected):
    assert decide(text, predicted, runner_up=expected if predicted != expected else "ask_definition") == expected


def test_the_classifier_alone_never_makes_an_emergency(decide):
    assert decide("everything is spinning", "report_urgent_symptom", runner_up="ask_definition") == "ask_definition"
    assert decide("my chest hurts badly right now", "greet") == "report_urgent_symptom"  # the red flag does


def test_nonsense_the_classifier_was_unsure_of_is_not_understood(decide):
    assert decide("purple monkey dishwasher", "out_of_scope", confidence=0.36, runner_up="greet") == "nlu_fallback"


@pytest.mark.parametrize(
    "text, predicted, rule",
    [
        ("my blood pressure is 230 and my head hurts", "greet", "red_flag"),
        ("how much methotrexate should I take, my chest hurts badly", "ask_definition", "red_flag"),
        ("how much methotrexate should I take", "ask_definition", "guardrail"),
        ("delete my chat", "greet", "forget"),
        ("do i need another chest x-ray", "deny", "demoted"),
        ("joint pain", "ask_definition", "condition_alone"),
        ("anything more?", "greet", "more_of_it"),
        ("tell me more", "goodbye", "more_of_it"),
        ("is that all?", "goodbye", "more_of_it"),
        ("what is CREST syndrome?", "out_of_scope", "name_alone"),
        ("what helps calcinosis?", "ask_treatment", "classifier"),
    ],
)
def test_the_rule_that_decided_the_intent_is_named_in_the_verdict(verdict_of, text, predicted, rule):
    assert verdict_of(text, predicted)["intent_rule"] == rule
