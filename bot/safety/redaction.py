"""Take personal details out of what a patient types, before it is stored or logged.

Emails, phone numbers, dates (a date of birth is a date), street addresses and
postcodes become placeholders such as `[email]`; the rest of the message, and so
the answer, stays the same. Blood pressure readings (180/110) and medical
figures are not dates or phone numbers and are kept.
"""

from __future__ import annotations

import re
from typing import List, Sequence, Tuple

MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
DAY = r"(?:[0-2]?\d|3[01])(?:st|nd|rd|th)?"
YEAR = r"(?:19|20)\d\d"
# Only street words that are not also everyday words ("in a row", "close together").
STREET_TYPES = r"(?:street|st|road|rd|avenue|ave|lane|ln|drive|boulevard|blvd|crescent|terrace|gardens|mews|parkway)"
# A number followed by one of these is a dose or a count, never a house number.
NOT_A_STREET = r"(?!(?:tablets?|pills?|capsules?|doses?|mg|mcg|milligrams?|times?|units?|of)\b)"

# Order matters: dates before phone numbers, so 03-05-1960 is a date.
PATTERNS: List[Tuple[str, re.Pattern]] = [
    ("[email]", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)),
    (
        "[date]",
        re.compile(
            rf"\b(?:{DAY}[/.-](?:0?\d|1[0-2])[/.-](?:{YEAR}|\d\d)"  # 03/05/1960, 3.5.60
            rf"|{YEAR}-(?:0?\d|1[0-2])-{DAY}"  # 1960-05-03
            rf"|{DAY}\s+(?:of\s+)?{MONTHS}\.?,?\s+{YEAR}"  # 3rd of May 1960
            rf"|{MONTHS}\.?\s+{DAY},?\s+{YEAR})\b",  # May 3, 1960
            re.IGNORECASE,
        ),
    ),
    ("[date]", re.compile(rf"(?<=\bborn )(?:in |on )?(?:{MONTHS}\s+)?{YEAR}\b", re.IGNORECASE)),
    ("[phone]", re.compile(r"(?<![\w/])\+?\(?\d(?:[\s().-]{0,2}\d){8,14}(?![\w/])")),
    (
        "[address]",
        re.compile(
            rf"\b\d{{1,5}}[a-z]?,?\s+{NOT_A_STREET}(?:{NOT_A_STREET}[a-z'-]+\s+){{1,3}}{STREET_TYPES}\b\.?",
            re.IGNORECASE,
        ),
    ),
    # UK postcodes: the last two letters are never C, I, K, M, O or V (so "b12 5mg" is kept).
    ("[postcode]", re.compile(r"\b[a-z]{1,2}\d[a-z\d]?\s*\d[abd-hjlnp-uw-z]{2}\b", re.IGNORECASE)),
]


def redact(text: str, keep: Sequence[Tuple[int, int]] = ()) -> str:
    """`text` with personal details replaced by placeholders. A match that overlaps a
    `keep` span (start, end), such as a red-flag phrase, or an earlier pattern's match,
    is left as it is."""
    taken: List[Tuple[int, int, str]] = []
    for placeholder, pattern in PATTERNS:
        for match in pattern.finditer(text):
            spans = [*keep, *((start, end) for start, end, _ in taken)]
            if not any(match.start() < end and start < match.end() for start, end in spans):
                taken.append((match.start(), match.end(), placeholder))
    parts, last = [], 0
    for start, end, placeholder in sorted(taken):
        parts += [text[last:start], placeholder]
        last = end
    return "".join(parts + [text[last:]])
