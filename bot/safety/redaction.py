"""Take personal details out of what a patient types, before it is stored or logged.

Each kind of detail becomes its own placeholder: `[email]`, `[phone]`, `[date]` (a date of
birth is a date, in numeric and written forms), `[NHS number]`, `[NI number]`, `[MRN]`,
`[hospital number]`, `[address]` (street addresses, flat numbers, house names),
`[postcode]` and `[name]` (where people introduce themselves or sign off). The rest of
the message, and so the answer, stays the same. Blood pressure readings (180/110), doses
and counts are not dates, phone numbers or addresses, and medical words are never names.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Callable, List, Optional, Sequence, Tuple

from bot.content.repository import content

MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
DAY = r"(?:[0-2]?\d|3[01])(?:st|nd|rd|th)?"
YEAR = r"(?:19|20)\d\d"
# Only street words that are not also everyday words ("in a row", "close together").
STREET_TYPES = r"(?:street|st|road|rd|avenue|ave|lane|ln|drive|boulevard|blvd|crescent|terrace|gardens|mews|parkway)"
# A record number after its label: letters, an optional dash, then digits ("RX12345", "hx-55667788").
RECORD_NO = r"(?:is|:|#|no\.?)?\s*(?P<v>[a-z]{0,3}-?\d[\da-z-]{3,})\b"
HOUSE_NAMES = r"(?:Cottage|House|Farm|Lodge|Villa|Barn|Manor|Mill|Grange|Bungalow)"
# A number followed by one of these is a dose or a count, never a house number.
NOT_A_STREET = r"(?!(?:tablets?|pills?|capsules?|doses?|mg|mcg|milligrams?|times?|units?|of)\b)"
NAME_WORD = r"[A-Z](?:[a-z]+|'[A-Z][a-z]+)(?:-[A-Z][a-z]+)?"  # Jane, O'Neill, Anne-Marie
FULL_NAME = rf"{NAME_WORD}(?: {NAME_WORD})?"
# Words that follow "I am" / "I'm" or end a message without being a name.
NOT_NAMES = frozenset(
    "i a an the so not very really just still also now here there sorry sure fine ok okay new glad scared worried "
    "afraid tired confused diagnosed taking on in at from with and but male female mum mom dad wife husband "
    "mother father daughter son sister brother friend carer patient nurse doctor dr age years old hoping monday "
    "tuesday wednesday thursday friday saturday sunday january february march april may june july august "
    "september october november december christmas easter jewish muslim christian hindu sikh catholic black white "
    "asian british english scottish welsh irish american canadian australian indian african european hispanic "
    "latina latino gay disabled retired vegan vegetarian diabetic pregnant positive negative".split()
)
SIGN_OFFS = (
    r"(?:thanks|thank you|many thanks|thanks again|regards|kind regards|best regards|best wishes|best|"
    r"cheers|love|sincerely|yours|take care|warm wishes)"
)


@dataclass(frozen=True)
class Pattern:
    placeholder: str
    regex: re.Pattern
    check: Optional[Callable[[str], bool]] = None  # a further test of the matched text (group "v" if any)


def _nhs_checksum(text: str) -> bool:
    """An NHS number's last digit is its modulus-11 check digit."""
    digits = [int(d) for d in re.sub(r"\D", "", text)]
    if len(digits) != 10:
        return False
    check = 11 - sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    return (0 if check == 11 else check) == digits[9]


def _a_name(text: str) -> bool:
    medical = _medical_words()
    return all(word.lower() not in NOT_NAMES and word.lower() not in medical for word in text.split())


@functools.lru_cache(maxsize=1)
def _medical_words() -> frozenset:
    """The words of the content lexicon (Raynaud, Holter, CellCept ...): never a person's name."""
    items = content().library.items.values()
    return frozenset(w.lower() for item in items for term in item.terms for w in re.findall(r"[A-Za-z]+", term))


# Order matters: an earlier pattern's match is not matched again (dates before phone
# numbers, so 03-05-1960 is a date; NHS numbers before phone numbers).
PATTERNS: List[Pattern] = [
    Pattern("[email]", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)),
    Pattern("[NI number]", re.compile(r"\b[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.IGNORECASE)),
    Pattern(
        "[NHS number]",
        re.compile(r"\bnhs\s*(?:number|no\.?|#)?\s*(?:is|:)?\s*(?P<v>\d{3}[\s-]?\d{3}[\s-]?\d{4})\b", re.IGNORECASE),
    ),
    Pattern("[NHS number]", re.compile(r"(?<![\w(/.+-])\d{3} \d{3} \d{4}(?![\w/])"), _nhs_checksum),
    Pattern(
        "[MRN]",
        re.compile(rf"\b(?:mrn|medical record (?:number|no\.?))\s*{RECORD_NO}", re.IGNORECASE),
    ),
    Pattern(
        "[hospital number]",
        re.compile(rf"\b(?:hospital|patient|unit|case)\s*(?:number|no\.?|id|#)\s*{RECORD_NO}", re.IGNORECASE),
    ),
    Pattern(
        "[date]",
        re.compile(
            rf"\b(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:{YEAR}|\d\d)"  # 03/05/1960, 04/13/1961, 3.5.60
            rf"|\d{{1,2}} \d{{1,2}} {YEAR}"  # 03 04 1961
            rf"|{YEAR}-(?:0?\d|1[0-2])-{DAY}"  # 1960-05-03
            # 3rd of May 1960, 3-Apr-1961, 3rd April 61
            rf"|{DAY}[\s-]+(?:of\s+)?{MONTHS}\.?,?[\s-]+(?:{YEAR}|'?\d\d)"
            rf"|{MONTHS}\.?\s+{DAY},?\s+(?:{YEAR}|'\d\d))\b",  # May 3, 1960
            re.IGNORECASE,
        ),
    ),
    Pattern("[date]", re.compile(rf"(?<=\bborn )(?:in |on )?(?:{MONTHS}\s+)?(?:{YEAR}|'\d\d)\b", re.IGNORECASE)),
    Pattern("[phone]", re.compile(r"(?<![\w/])\+?\(?\d(?:[\s().-]{0,2}\d){8,14}(?![\w/])")),
    Pattern(
        "[address]",
        re.compile(
            rf"\b\d{{1,5}}[a-z]?,?\s+{NOT_A_STREET}(?:{NOT_A_STREET}[a-z'-]+\s+){{1,3}}{STREET_TYPES}\b\.?",
            re.IGNORECASE,
        ),
    ),
    Pattern("[address]", re.compile(r"\b(?:flat|apartment|apt|unit)\s+\d{1,4}[a-z]?\b", re.IGNORECASE)),
    Pattern("[address]", re.compile(rf"\b{FULL_NAME} {HOUSE_NAMES}\b")),
    # UK postcodes: the last two letters are never C, I, K, M, O or V (so "b12 5mg" is kept).
    Pattern("[postcode]", re.compile(r"\b[a-z]{1,2}\d[a-z\d]?\s*\d[abd-hjlnp-uw-z]{2}\b", re.IGNORECASE)),
    # Names where people introduce themselves ("my name is Jane Doe", "I'm Jane", "this is Jane")
    Pattern("[name]", re.compile(rf"\b(?i:my name(?:'s| is))\s+(?P<v>[A-Za-z][a-z]+(?: {NAME_WORD})?)"), _a_name),
    Pattern("[name]", re.compile(rf"\b(?:I am|I'm|Im|(?i:this is))\s+(?P<v>{FULL_NAME})(?![-\w])"), _a_name),
    # ... and where they sign off, at the end of a message ("Thanks, Jane", "Regards, John Smith", "- Mary")
    Pattern(
        "[name]",
        re.compile(rf"(?:\b(?i:{SIGN_OFFS})[,!.]*\s*-?\s*|(?:^|\n)\s*-\s*)(?P<v>{FULL_NAME})\W*$"),
        _a_name,
    ),
]


def redact(text: str, keep: Sequence[Tuple[int, int]] = ()) -> str:
    """`text` with personal details replaced by placeholders. A match that overlaps a
    `keep` span (start, end), such as a red-flag phrase, or an earlier pattern's match,
    is left as it is."""
    taken: List[Tuple[int, int, str]] = []
    for pattern in PATTERNS:
        for match in pattern.regex.finditer(text):
            start, end = match.span("v") if "v" in pattern.regex.groupindex else match.span()
            if pattern.check is not None and not pattern.check(text[start:end]):
                continue
            spans = [*keep, *((s, e) for s, e, _ in taken)]
            if not any(start < e and s < end for s, e in spans):
                taken.append((start, end, pattern.placeholder))
    parts, last = [], 0
    for start, end, placeholder in sorted(taken):
        parts += [text[last:start], placeholder]
        last = end
    return "".join(parts + [text[last:]])
