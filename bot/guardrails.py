"""Which guardrail a personal medicine or diagnosis question needs."""
from __future__ import annotations

import re

DOSE = re.compile(r"\b(dose|doses|dosage|dosing|how much|how many|mg|milligrams?|tablets?|pills?)\b", re.I)
DIAGNOSIS = re.compile(
    r"\b(do i have|have i got|is (this|it|my \w+)|could (this|it|i) be|am i|diagnos\w*|does my \w+ mean)\b", re.I
)


def guardrail_for(text: str) -> str:
    """The id of the guardrail item that answers `text`."""
    if DOSE.search(text or ""):
        return "guardrail.dose"
    if DIAGNOSIS.search(text or ""):
        return "guardrail.diagnosis"
    return "guardrail.medicine_change"
