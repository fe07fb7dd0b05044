"""Plain-language and review checks on the content, for reviewers and tests.

Readability is the Flesch-Kincaid grade (textstat) of each answer after every
medical name from the lexicon is replaced by a one-syllable word: names cannot
be simplified, the sentences around them can.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from dataclasses import dataclass
from typing import Iterable, List

import textstat

from bot.content.files import ContentItem, ContentLibrary

MAX_GRADE = 8.0
NAME_STAND_IN = "name"


@dataclass(frozen=True)
class ItemCheck:
    item: ContentItem
    grade: float
    age_days: int
    overdue: bool


def name_pattern(library: ContentLibrary) -> re.Pattern:
    names = sorted({t for item in library.defining_items() for t in item.terms}, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b", re.I)


def readability_grade(text: str, names: re.Pattern) -> float:
    return textstat.flesch_kincaid_grade(names.sub(NAME_STAND_IN, text))


def check_items(library: ContentLibrary, today: dt.date, max_age_days: int) -> List[ItemCheck]:
    names = name_pattern(library)
    checks = []
    for item in sorted(library.items.values(), key=lambda i: i.id):
        age = (today - item.reviewed).days
        checks.append(ItemCheck(item, readability_grade(item.answer, names), age, age > max_age_days))
    return checks


def report_lines(checks: Iterable[ItemCheck], max_age_days: int) -> List[str]:
    checks = list(checks)
    grades = [c.grade for c in checks]
    lines = [f"{'item':55} {'grade':>5}  reviewed    status"]
    for check in checks:
        status = []
        if check.grade > MAX_GRADE:
            status.append(f"too hard (> {MAX_GRADE:g})")
        if check.overdue:
            status.append(f"review overdue ({check.age_days} days)")
        lines.append(f"{check.item.id:55} {check.grade:5.1f}  {check.item.reviewed}  {', '.join(status) or 'ok'}")
    overdue = [c for c in checks if c.overdue]
    lines += [
        "",
        f"Items: {len(checks)}. Flesch-Kincaid grade: min {min(grades):.1f}, median {statistics.median(grades):.1f}, "
        f"max {max(grades):.1f} (limit {MAX_GRADE:g}).",
        "Grade distribution: "
        + ", ".join(
            f"{low}-{low + 1}: {sum(low <= g < low + 1 for g in grades)}"
            for low in range(int(min(grades)), int(max(grades)) + 1)
        ),
        f"Past the review age of {max_age_days} days: {len(overdue)} item(s)"
        + (f" (reviewed {min(c.item.reviewed for c in overdue)} at the oldest)." if overdue else "."),
    ]
    return lines
