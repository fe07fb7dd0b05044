"""Which refusal a question needs, read deterministically (bot.safety.guardrails)."""

import pytest

from bot.safety.guardrails import guardrail_reason


@pytest.mark.parametrize(
    "text, reason",
    [
        ("how many mg of nifedipine", "dose"),
        ("I take 20 mg of prednisolone. How much more can I take?", "dose"),
        ("I take 20 mg of prednisolone. I want to double it.", "dose"),
        ("I take 7 mg of methotrexate", "dose"),
        ("is this lump a sign of calcinosis", "diagnosis"),
        ("is this scleroderma?", "diagnosis"),
    ],
)
def test_a_dose_or_diagnosis_question_is_refused(text, reason):
    assert guardrail_reason(text) == reason


@pytest.mark.parametrize(
    "text",
    [
        "My cousin has scleroderma too, my doctor says it is rare in families with limited disease, is this true",
        "I take 7 milligrams of methotrexate per week. The pain is intense in my hands. My doctors say it is new "
        "to them.",
    ],
)
def test_a_fact_check_and_a_dose_told_in_a_story_are_not_refused(text):
    assert guardrail_reason(text) is None
