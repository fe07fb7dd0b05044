"""Take personal details out of what a patient types, before it is stored or logged.

Each kind of detail becomes its own placeholder: `[email]` (also spelled out: "maria dot lopez
at gmail dot com"), `[handle]` (@name, instagram.com/name ...), `[phone]`, `[card]` (payment
cards: 4-4-4-4 and 4-6-5 groups, or 13 to 19 digits with a valid Luhn check digit or after
"card", "visa" ...), `[date]` (a date of birth is a date, in numeric, compact and written
forms), `[NHS number]`, `[NI number]`, `[MRN]`, `[hospital number]`, `[id]` (other identity,
insurance and tax numbers after their name: PPS, DNI, PESEL, SSN, member ID ...), `[address]`
(street addresses, flat numbers, house names, the town in a sign-off), `[postcode]` and
`[name]`: where people introduce themselves ("my name is", "Name:", "I'm", "i'm jane",
"Jane here", "me llamo", "je m'appelle", "ich heiße" ...), sign off ("Thanks, Jane"), or name
someone else by a title ("Dr Emma Clarke", "Mrs Patel") or a relation ("my daughter Sophie").
The rest of the message, and so the answer, stays the same. Blood pressure readings (180/110),
doses, counts, years and hospital names ("St James's") are not dates, phone numbers, addresses
or names, and medical words, eponyms and medicine names are never names (bot.safety.name_words).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Callable, Iterator, List, Optional, Protocol, Sequence, Tuple

from bot.content.repository import library
from bot.safety.name_words import (
    ADJECTIVE_ENDING,
    CAPITALISED_ADJECTIVE_ENDING,
    EXTRA_MEDICAL,
    NAMES_THAT_ARE_WORDS,
    is_common_word,
    is_given_name,
)

Span = Tuple[int, int, str]  # start, end, placeholder


class Finder(Protocol):
    def spans(self, text: str) -> Iterator[Span]: ...


# Letters: the first of a name is a capital, the others are small. Beyond Latin-1 the classes take
# letters in both cases ("Łukasz", "Wiśniewska"), which keeps them small; _name_end checks the capital.
UP = r"[^\W\d_a-zß-öø-ÿ]"
LO = r"[^\W\d_A-ZÀ-ÖØ-Þ]"
MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
DAY = r"(?:[0-2]?\d|3[01])(?:st|nd|rd|th)?"
YEAR = r"(?:19|20)\d\d"
# Only street words that are not also everyday words ("in a row", "close together"); "St" before
# a capitalised word is a saint ("at St James's"), not a street.
STREET_TYPES = (
    r"(?:street|st(?!\.?[ \t]+(?-i:[A-Z]))|road|rd|avenue|ave|lane|ln|drive|boulevard|blvd|crescent|terrace|"
    r"gardens|mews|parkway)"
)
# A record number after its label: letters, an optional dash, then digits ("RX12345", "hx-55667788").
RECORD_NO = r"(?:is|:|#|no\.?)?\s*(?P<v>[a-z]{0,3}-?\d[\da-z-]{3,})\b"
HOUSE_NAMES = r"(?:Cottage|House|Farm|Lodge|Villa|Barn|Manor|Mill|Grange|Bungalow)"
# A number followed by one of these is a dose or a count, never a house number.
NOT_A_STREET = r"(?!(?:tablets?|pills?|capsules?|doses?|mg|mcg|milligrams?|times?|units?|of)\b)"
# Jane, O'Neill, D'Souza, McDonald, Anne-Marie, Al-Sayed, Élodie, Wiśniewska
NAME_WORD = rf"{UP}(?:{LO}+(?:{UP}{LO}+)?|['’]{UP}{LO}+)(?:-{UP}{LO}+)*"
# Lower-case words inside a name: Pieter de Vries, Ludwig van Beethoven
PARTICLE = r"(?:de|da|di|do|dos|das|du|del|della|der|den|van|von|le|la|al|el|bin|binti|ibn|ter|ten|zu)"
FULL_NAME = rf"{NAME_WORD}(?:[ \t]+(?:{PARTICLE}[ \t]+){{0,2}}{NAME_WORD}){{0,3}}"
LOWER_NAME = rf"{LO}{{2,}}"
# A name ends at the end of a word, and is not "Raynaud's" or "Scl-70"; `POSSESSIVE` lets "Dr Patel's" through.
END = r"(?!\w|['’-]\w)"
POSSESSIVE_END = r"(?!\w|-\w|['’](?!s\b)\w)"
# After a lower-case name ("i'm bola, ...", "im wojtek and ...", "i'm ciaran btw")
LOWER_END = r"(?=[ \t]*(?:[,.;:!?()—–-]|$)|[ \t]+(?:and|&|btw|by the way|here|from|aged?|\d))"
# A lower-case first name and surname where the name ends: "my name is jane doe, ..."
TWO_LOWER = rf"{LOWER_NAME}[ \t]+{LOWER_NAME}{END}{LOWER_END}"
PLACE = rf"{NAME_WORD}(?:[ \t-]+(?:(?:upon|on|in|under|by|le|la|de)[ \t-]+)?{NAME_WORD}){{0,2}}"

# Words that are never part of a name, even after a title ("Dr Said", "Dr Google").
FUNCTION_WORDS = frozenset(
    "i a an the so not very really just still also now here there on in at from with and but or of to for by "
    "he she it we they you me him her us them my your his its our their this that these those who what which "
    "is was are were be been has had have do does did can could will would shall should might must said says "
    "told tells thinks thought wants wanted asked asks keeps "
    # greetings, sign-off fillers, ways to address someone, people in general
    "hi hello hey hiya morning afternoon evening night dear all everyone everybody anyone someone nobody team "
    "guys folks again lots loads much many thanks thank cheers regards love best yes no nope yeah yep doc docs "
    "doctors nurses sir madam mate pal hun bot chatbot robot x xx "
    # titles and roles
    "dr mr mrs ms miss prof professor doctor nurse consultant rheumatologist gp physio physiotherapist specialist "
    "surgeon dermatologist cardiologist pharmacist therapist midwife registrar sister matron carer patient "
    # brands people take for a doctor
    "google".split()
)
# ... and words that follow "I am" / "I'm" or end a message without being a name (a title may precede
# them as a surname: "Dr White", "Mrs May").
NOT_NAMES = FUNCTION_WORDS | frozenset(
    "sorry sure fine ok okay new glad scared worried afraid tired confused diagnosed taking male female mum mom "
    "dad wife husband mother father daughter son brother friend age years old hoping monday tuesday wednesday "
    "thursday friday saturday sunday january february march april may june july august september october "
    "november december christmas easter jewish muslim christian hindu sikh catholic black white asian british "
    "english scottish welsh irish american canadian australian indian african european hispanic latina latino "
    "gay disabled retired vegan vegetarian diabetic pregnant positive negative ramadan eid diwali hanukkah "
    "passover lent nan nana gran granny grandma grandad grandpa auntie aunt uncle sis bro hubby mam mammy mummy "
    "daddy "
    # nationalities and languages
    "polish german french spanish italian portuguese dutch greek turkish russian ukrainian romanian bulgarian "
    "hungarian czech slovak swedish norwegian danish finnish icelandic chinese japanese korean vietnamese thai "
    "filipino pakistani bangladeshi nigerian ghanaian kenyan somali ethiopian egyptian moroccan algerian arab "
    "arabic iranian persian kurdish israeli lebanese syrian iraqi afghan brazilian mexican colombian argentinian "
    "peruvian chilean cuban jamaican caribbean mixed northern southern".split()
)
# Function words and nationalities of the other languages whose introductions are read
# ("ich heiße mehmet und ...", "je suis Française").
NOT_NAMES_ELSEWHERE = frozenset(
    "und ich bin habe ist et je suis ai est y e o i en tengo soy es ik ben heb ve mam jestem sono ho sou tenho "
    "français française anglais anglaise espagnol espagnole allemand allemande italien italienne belge suisse "
    "marocain marocaine algérien algérienne español española inglés inglesa alemán alemana polaco polaca "
    "deutsch deutsche italiano italiana brasileiro brasileira português portuguesa".split()
)
SIGN_OFFS = (
    r"(?:thanks|thank you|many thanks|thanks again|regards|kind regards|best regards|best wishes|best|"
    r"cheers|love|sincerely|yours|take care|warm wishes|all the best|speak soon|bye|ta|thx|thanx|ty|"
    r"gracias|saludos|merci|cordialement|danke|"
    r"viele grüße|grazie|saluti|obrigad[oa]|bedankt|groetjes|dziękuję|pozdrawiam|teşekkürler)"
)
RELATIONS = (
    r"(?:husband|wife|partner|son|daughter|child|kid|baby|mum|mom|mother|dad|father|sister|brother|aunt|auntie|"
    r"uncle|niece|nephew|cousin|grandson|granddaughter|grandchild|grandma|grandmother|granny|nan|nana|gran|"
    r"hubby|wifey|missus|other half|(?:little |baby )?(?:girl|boy)|twins?|"
    r"grandad|granddad|grandpa|grandfather|boyfriend|girlfriend|fianc[eé]e?|friend|best friend|neighbou?r|"
    r"carer|colleague|step(?:son|daughter|mum|mom|dad|father|mother)|(?:mother|father|son|daughter)-in-law|"
    r"rheumatologist|rheumy|consultant|gp|doctor|nurse|physio|physiotherapist|specialist|surgeon|dermatologist|"
    r"cardiologist|pharmacist)"
)
GREETING = (
    r"(?i:hi|hello|hey|hiya|morning|evening|good (?:morning|afternoon|evening)|dear all)"
    r"(?:[ \t]+(?i:there|all|everyone|folks))?[ \t]*[,!.]?[ \t]+"
)
TITLES = r"(?:(?:Dr|Mr|Mrs|Ms|Mx|Prof|Drs)\.?|Miss|Doctor|Professor|(?i:nurse|doctor|professor|dr\.?|prof\.?))"
# Labels of identity, insurance and tax numbers, here and abroad.
ID_LABELS = (
    r"(?:ppsn?|dni|nie|nif|pesel|ssn|social security|national insurance card|national id|id card|identity card|"
    r"passport|(?:insurance )?member(?:ship)? (?:id|number|no\.?)|insurance (?:id|number|no\.?)|"
    r"policy (?:number|no\.?)|"
    r"medicare|medicaid|bsn|codice fiscale|tc kimlik|cpf|steuer-?id|personnummer|carte vitale|nir)"
)
# Where spelled-out addresses are common enough to read "name at provider dot com" as an email.
MAIL_PROVIDERS = (
    r"(?:gmail|googlemail|yahoo|hotmail|outlook|live|icloud|me|aol|btinternet|sky|virginmedia|talktalk|"
    r"protonmail|proton|gmx|web|libero|orange|free|wanadoo|qq|163|mail|yandex|zoho|msn|ntlworld|example)"
)
AT = r"(?:[ \t]*[(\[{][ \t]*at[ \t]*[)\]}][ \t]*|[ \t]+at[ \t]+)"
DOT = r"(?:[ \t]*[(\[{][ \t]*dot[ \t]*[)\]}][ \t]*|[ \t]+dot[ \t]+|\.)"
SOCIAL_SITES = (
    r"(?:instagram\.com|facebook\.com|fb\.com|tiktok\.com|youtube\.com|youtu\.be|twitter\.com|x\.com|"
    r"threads\.net|linkedin\.com/in|reddit\.com/u(?:ser)?|pinterest\.[a-z.]+|snapchat\.com/add|t\.me|"
    r"medium\.com|twitch\.tv|bsky\.app/profile)"
)


DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Pattern:
    placeholder: str
    regex: re.Pattern
    check: Optional[Callable[[str], bool]] = None  # a further test of the matched text (group "v" if any)
    needs: Optional[re.Pattern] = DIGIT  # a quick test of the whole text first: most details have digits

    def spans(self, text: str) -> Iterator[Span]:
        if self.needs is not None and not self.needs.search(text):
            return
        for match in self.regex.finditer(text):
            start, end = match.span("v") if "v" in self.regex.groupindex else match.span()
            if self.check is None or self.check(text[start:end]):
                yield start, end, self.placeholder


@dataclass(frozen=True)
class NamePattern:
    """A name in group "v" after its cue (and, in a sign-off, the town in group "town").

    everyday: a name made only of everyday English words is no name ("I'm Hopeful", "Same here");
    shorten: the name stops before its first word that is no name ("Dr Patel Said" -> "Dr [name] Said"),
    else such a word drops the whole match (a sign-off must end the message);
    titled: after a title, only medical and function words are no names ("Dr White", "Mrs May")."""

    regex: re.Pattern
    everyday: bool = True
    shorten: bool = True
    titled: bool = False
    last: Optional[int] = None  # only in the last characters of the text (a sign-off ends it)

    def spans(self, text: str) -> Iterator[Span]:
        match = self.regex.search(text, max(0, len(text) - self.last) if self.last else 0)
        while match:
            start, end = match.span("v")
            name_end = _name_end(text, start, end, self.everyday, self.shorten, self.titled)
            town = match.span("town") if "town" in self.regex.groupindex and match.group("town") else None
            if name_end is None or (town and not _no_name_word(text[town[0] : town[1]])):
                # not a name: look again from the next character ("Thank you! Best, Carol")
                match = self.regex.search(text, match.start() + 1)
                continue
            if town:
                yield town[0], town[1], "[address]"
            yield start, name_end, "[name]"
            match = self.regex.search(text, max(match.end(), match.start() + 1))


@functools.lru_cache(maxsize=1)
def _medical_words() -> Tuple[frozenset, frozenset]:
    """The words of the content lexicon (Raynaud, Holter, CellCept ...) and of EXTRA_MEDICAL: never a
    person's name; and the lexicon's one-word terms."""
    terms = [term for item in library().items.values() for term in item.terms]
    words = {w.lower() for term in terms for w in re.findall(r"[A-Za-z]+", term)} | EXTRA_MEDICAL
    return frozenset(words), frozenset(term.lower() for term in terms if re.fullmatch(r"[A-Za-z]+", term))


def _blocked(word: str, titled: bool = False) -> bool:
    """No name: a medical word or a word of NOT_NAMES. After a title only the function words are, and
    the medical words but the everyday words of longer terms ("white" of "white fingers": "Dr White")."""
    low = word.lower()
    medical, one_word_terms = _medical_words()
    if low in NOT_NAMES_ELSEWHERE:
        return True
    if not titled:
        return low in medical or low in NOT_NAMES
    if low in medical and (low in one_word_terms or low in EXTRA_MEDICAL or not is_common_word(low)):
        return True
    return low in FUNCTION_WORDS


def _no_name_word(text: str) -> bool:
    return not any(_blocked(word) for word in re.split(r"[\s,-]+", text) if word)


def _everyday(word: str) -> bool:
    """An everyday English word; in lower case, also one that reads as an adjective or a participle
    ("shivery", "exausted"), unless it is a given name ("emily", "ahmed")."""
    low = word.lower()
    if word[0].isupper():
        if low in NAMES_THAT_ARE_WORDS:
            return False
        ending = CAPITALISED_ADJECTIVE_ENDING.search(low) is not None
        return is_common_word(low) or ((ending or _derived(low)) and not is_given_name(low))
    return is_common_word(low) or (ADJECTIVE_ENDING.search(low) is not None and not is_given_name(low))


def _derived(low: str) -> bool:
    """An everyday word with a prefix or an ending: "Seconded", "Unvaccinated", "Menopausal" (stems of at
    least 4 letters, so that Jared, Hamed, Sonal and Payal stay names)."""
    for prefix in ("", "un", "non", "in", "im", "dis", "post", "pre", "peri", "self", "re", "over", "under"):
        if not low.startswith(prefix) or len(low) - len(prefix) < 5:
            continue
        rest = low[len(prefix) :]
        if prefix and is_common_word(rest):
            return True
        for ending in ("ed", "ing", "al", "ly", "ness", "ment"):
            stem = rest[: -len(ending)]
            if not rest.endswith(ending) or len(stem) < 4:
                continue
            stems = {stem, stem + "e", stem[:-1] + "y" if stem.endswith("i") else stem}
            if stem[-1] == stem[-2]:
                stems.add(stem[:-1])
            if any(len(s) >= 4 and is_common_word(s) for s in stems):
                return True
    return False


def _name_end(text: str, start: int, end: int, everyday: bool, shorten: bool, titled: bool) -> Optional[int]:
    """Where the name in text[start:end] ends once its words that are no name are dropped; None if
    none is left. A medical word, a word of NOT_NAMES and a lower-case everyday word are no name;
    with `everyday`, a name made only of everyday words ("I'm Hopeful", "Same here") is none either."""
    kept: List[Tuple[int, str]] = []
    capitalised = False
    for word in re.finditer(r"\S+", text[start:end]):
        particle = re.fullmatch(rf"{PARTICLE}|[A-Z]\.?", word.group()) is not None  # "de", an initial
        lower = word.group()[0].islower()
        # a small word: not an everyday one ("i'm tired"), never after a capitalised one ("Jürgen Weber łowi")
        if not particle and (_blocked(word.group(), titled) or (lower and (_everyday(word.group()) or capitalised))):
            if not shorten:
                return None
            break
        capitalised = capitalised or not (lower or particle)
        kept.append((start + word.end(), "" if particle else word.group()))
    while kept and not kept[-1][1]:
        kept.pop()
    if not kept or (everyday and all(_everyday(word) for _, word in kept if word)):
        return None
    return kept[-1][0]


def _nhs_checksum(text: str) -> bool:
    """An NHS number's last digit is its modulus-11 check digit."""
    digits = [int(d) for d in re.sub(r"\D", "", text)]
    if len(digits) != 10:
        return False
    check = 11 - sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    return (0 if check == 11 else check) == digits[9]


def _luhn(digits: str) -> bool:
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


CARD_CUE = re.compile(r"(?i:card|visa|master ?card|amex|american express|debit|credit|maestro|payment|pay)\W*\w*\W*$")


class CardPattern:
    """Payment card numbers: grouped like a card (4-4-4-4, 4-6-5), or 13 to 19 digits that pass
    the Luhn check or follow "card", "visa", "payment" ... Other long digit runs are left to the
    phone and id patterns."""

    regex = re.compile(
        r"(?<![\w/+.-])(?:\d{4}(?:[ -]?\d{4}){2}[ -]?\d{1,7}|\d{4}[ -]\d{6}[ -]\d{5})(?![\w/])(?![ -]\d)"
    )

    def spans(self, text: str) -> Iterator[Span]:
        if not DIGIT.search(text):
            return
        for match in self.regex.finditer(text):
            number = match.group()
            digits = re.sub(r"\D", "", number)
            groups = [len(g) for g in re.split(r"[ -]", number)]
            card_groups = groups in ([4, 6, 5],) or (len(groups) > 1 and groups[:-1] == [4] * (len(groups) - 1))
            cue = CARD_CUE.search(text[max(0, match.start() - 30) : match.start()]) is not None
            if 13 <= len(digits) <= 19 and (card_groups or _luhn(digits) or cue):
                yield match.start(), match.end(), "[card]"


def _a_date(digits: str) -> bool:
    """A compact date: YYYYMMDD, DDMMYYYY or MMDDYYYY (8 digits), DDMMYY or YYMMDD (6 digits)."""

    def valid(day: str, month: str) -> bool:
        return 1 <= int(day) <= 31 and 1 <= int(month) <= 12

    if len(digits) == 8:
        if re.fullmatch(YEAR, digits[:4]) and valid(digits[6:], digits[4:6]):
            return True
        return re.fullmatch(YEAR, digits[4:]) is not None and (
            valid(digits[:2], digits[2:4]) or valid(digits[2:4], digits[:2])
        )
    return len(digits) == 6 and (valid(digits[:2], digits[2:4]) or valid(digits[4:], digits[2:4]))


_SPELLED_EMAIL = re.compile(
    rf"(?i)(?<![\w.@-])(?P<local>[\w+-]+(?:{DOT}[\w+-]+){{0,4}}){AT}"
    rf"(?P<domain>[\w-]+(?:{DOT}[\w-]+){{0,3}}{DOT}[a-z]{{2,6}})\b(?!{AT})"
)
_AT_WORD = re.compile(r"(?i)[\s(\[{]at[\s)\]}]")


class SpelledEmailPattern:
    """ "maria dot lopez at gmail dot com", "vo.thi.mai (at) gmail (dot) com": with a plain " at ", the part
    before it must look like a mailbox ("priya.r", "kasia_w", "maria dot lopez") or the domain be a mail
    provider's, so that "I looked at nhs dot uk" is no email."""

    def spans(self, text: str) -> Iterator[Span]:
        if not _AT_WORD.search(text):
            return
        for match in _SPELLED_EMAIL.finditer(text):
            local, domain, whole = match.group("local"), match.group("domain"), match.group()
            bracketed = re.search(r"[(\[{]\s*at\s*[)\]}]", whole, re.IGNORECASE) is not None
            spelled = re.search(rf"{DOT}", local) is not None or re.search(r"[._\d+-]", local) is not None
            provider = re.match(rf"(?i){MAIL_PROVIDERS}\b", domain) is not None
            if bracketed or spelled or provider:
                yield match.start(), match.end(), "[email]"


# Order matters: an earlier pattern's match is not matched again (dates before phone
# numbers, so 03-05-1960 is a date; NHS numbers before phone numbers; cards before both).
PATTERNS: List[Finder] = [
    Pattern("[email]", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE), needs=re.compile("@")),
    SpelledEmailPattern(),
    Pattern(
        "[handle]",
        re.compile(rf"(?i)\b(?:https?://)?(?:www\.|m\.)?{SOCIAL_SITES}/@?[\w.-]*\w"),
        needs=re.compile("/"),
    ),
    Pattern(
        "[handle]",
        re.compile(r"(?<![\w@./])@(?!\d{1,2}(?:[:.]\d\d)?\s*(?:am|pm)\b)(?=[\w.]*[A-Za-z])\w(?:[\w.]*\w)?", re.I),
        needs=re.compile("@"),
    ),
    Pattern("[handle]", re.compile(r"(?<![\w/])u/[\w-]{3,}"), needs=re.compile("u/")),
    Pattern(
        "[handle]",
        re.compile(
            r"\b(?i:insta(?:gram)?|ig|twitter|tiktok|facebook|fb|snapchat|snap|youtube|threads|bluesky|reddit|discord|"
            r"telegram|handle|username|user name)(?:[ \t]+(?i:handle|name|account|username|page|channel))?"
            r"\b(?:[ \t]*(?i:is|:|=))?[ \t]+(?P<v>@?[A-Za-z_][\w.]*\w)"
        ),
        lambda v: re.search(r"[_.\d]", v) is not None and not re.fullmatch(r"[\d.]+", v),
        needs=None,
    ),
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
        "[id]",
        re.compile(
            rf"(?i:\b{ID_LABELS})(?:\s+(?i:number|no\.?|num|id|#))?\s*(?i:is|es|est|ist|:|#|=)?\s*"
            r"(?P<v>(?=[A-Za-z0-9-]*\d)[A-Za-z0-9]{2,}(?:[ -]\d[A-Za-z0-9]*)*)\b"
        ),
        lambda v: len(re.findall(r"\d", v)) >= 4,
    ),
    Pattern("[id]", re.compile(r"(?<![\w/-])\d{3}-\d{2}-\d{4}(?![\w/-])")),  # a US social security number
    CardPattern(),
    Pattern(
        "[date]",
        re.compile(
            rf"\b(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:{YEAR}|\d\d)"  # 03/05/1960, 04/13/1961, 3.5.60
            rf"|\d{{1,2}} \d{{1,2}} {YEAR}"  # 03 04 1961
            rf"|{YEAR}(?P<sep>[/.-])(?:0?\d|1[0-2])(?P=sep){DAY}"  # 1960-05-03, 1965.07.09, 1959/07/14
            # 3rd of May 1960, 3-Apr-1961, 3rd April 61
            rf"|{DAY}[\s-]+(?:of\s+)?{MONTHS}\.?,?[\s-]+(?:{YEAR}|'?\d\d)"
            rf"|{MONTHS}\.?\s+{DAY},?\s+(?:{YEAR}|'\d\d))\b",  # May 3, 1960
            re.IGNORECASE,
        ),
    ),
    Pattern("[date]", re.compile(rf"(?<=\bborn )(?:in |on )?(?:{MONTHS}\s+)?(?:{YEAR}|'\d\d)\b", re.IGNORECASE)),
    # compact: 19681123, 04031971 anywhere; 140359 after "DOB", "born", "date of birth", "birthday"
    Pattern("[date]", re.compile(r"(?<![\w/.+-])\d{8}(?![\w/]|[.,]\d)"), _a_date),
    Pattern(
        "[date]",
        re.compile(
            r"(?i:\b(?:dob|d\.o\.b\.?|date of birth|birth ?date|born|birthday)(?:\s+(?:is|was|on))?\s*[:=-]?\s*)"
            r"(?P<v>\d{6})(?![\w/]|[.,]\d)"
        ),
        _a_date,
    ),
    Pattern("[phone]", re.compile(r"(?<![\w/])\+?\(?\d(?:[\s().-]{0,2}\d){8,14}(?![\w/])")),
    Pattern(
        "[address]",
        re.compile(
            rf"\b\d{{1,5}}[a-z]?,?\s+{NOT_A_STREET}(?:{NOT_A_STREET}[a-z'-]+\s+){{1,3}}{STREET_TYPES}\b\.?",
            re.IGNORECASE,
        ),
    ),
    Pattern("[address]", re.compile(r"\b(?:flat|apartment|apt|unit)\s+\d{1,4}[a-z]?\b", re.IGNORECASE)),
    Pattern("[address]", re.compile(rf"\b[A-Z][a-z]+(?: [A-Z][a-z]+)? {HOUSE_NAMES}\b"), needs=None),
    # UK postcodes: the last two letters are never C, I, K, M, O or V (so "b12 5mg" is kept).
    Pattern("[postcode]", re.compile(r"\b[a-z]{1,2}\d[a-z\d]?\s*\d[abd-hjlnp-uw-z]{2}\b", re.IGNORECASE)),
    # Names where people introduce themselves: "my name is Jane Doe", "Name: Jane", "me llamo Lucía" ...
    NamePattern(
        re.compile(
            r"\b(?i:my name(?:['’]?s| is)|mi nombre es|me llamo|je m['’]appelle|mon nom est|je me nomme|"
            r"ich hei(?:ß|ss)e|mein name ist|mi chiamo|il mio nome è|meu nome é|me chamo|chamo-me|mijn naam is|"
            r"ik heet|nazywam się|mam na imię|benim adım|jag heter|jeg he(?:dd|t)er|nama saya|mă numesc)"
            rf"[:,]?[ \t]+(?P<v>{TWO_LOWER}|{FULL_NAME}|{LOWER_NAME}(?:[ \t]+{FULL_NAME})?){END}"
        ),
        everyday=False,
    ),
    NamePattern(
        re.compile(
            r"(?:^|(?<=[\s|,;(]))(?i:(?:full |patient['’]?s? |first |last |sur)?name|patient|from|sender|signed)"
            r"[ \t]*[:=\-–—][ \t]*"
            rf"(?P<v>{TWO_LOWER}|{FULL_NAME}|{LOWER_NAME}(?:[ \t]+{FULL_NAME})?){END}"
        ),
        everyday=False,
    ),
    # ... "I'm Jane", "this is Jane", "i'm bola, ...", "Je suis Karim", "ik ben Sanne"
    NamePattern(
        re.compile(
            rf"\b(?i:i['’]?m|i am|this is)[ \t]+(?P<v>{FULL_NAME}){END}(?:,?[ \t]+from[ \t]+(?P<town>{PLACE}){END})?"
        )
    ),
    NamePattern(
        re.compile(rf"\b(?i:i['’]?m|i am)[ \t]+(?P<v>{LOWER_NAME}(?:[ \t]+{LOWER_NAME})??){END}{LOWER_END}"),
        shorten=False,
    ),
    NamePattern(
        re.compile(
            r"\b(?i:(?:i['’]?m|i am|(?:s?he|it)['’]?s|(?:s?he|it) is) (?:called|known as)|call me|name is)[ \t]+"
            rf"(?P<v>{FULL_NAME}|{LOWER_NAME}(?=[ \t]*(?:[,.;:!?]|$))){END}"
        )
    ),
    NamePattern(re.compile(rf"^[ \t]*(?:{GREETING})?(?i:it['’]?s|its|it is)[ \t]+(?P<v>{FULL_NAME}){END}")),
    NamePattern(
        re.compile(rf"(?:^|(?<=[\s,.!¡¿]))(?i:soy|je suis|ik ben|sono|sou|jestem)[ \t]+(?P<v>{FULL_NAME}){END}")
    ),
    # ... "Jane Doe here, ..." at the start of a message or a line (after a greeting)
    NamePattern(
        re.compile(rf"(?:^|\n)[ \t]*(?:{GREETING})?(?P<v>{FULL_NAME})[ \t]+(?i:here){END}(?=[ \t]*(?:[,.!;:—–-]|$))"),
        shorten=False,
    ),
    # ... "Jo Bloggs, 54, diagnosed in 2018", "Jo (54)" at the start of a message
    NamePattern(
        re.compile(
            rf"^[ \t]*(?:{GREETING})?(?P<v>{FULL_NAME})[ \t]*(?:,[ \t]*|\()\d{{1,3}}[ \t]*"
            r"(?:\)|,|(?i:y/?o|yrs?|years?)\b|$)"
        ),
        shorten=False,
    ),
    # Other people: by a title ("Dr Emma Clarke", "Mrs Patel's clinic") or a relation ("my daughter Sophie")
    NamePattern(
        re.compile(rf"(?<![\w.]){TITLES}[ \t]+(?P<v>(?:[A-Z]\.?[ \t]+){{0,2}}{FULL_NAME}){POSSESSIVE_END}"),
        everyday=False,
        titled=True,
    ),
    NamePattern(
        re.compile(
            rf"\b(?i:my|our|his|her|their)[ \t]+(?i:{RELATIONS})(?:[ \t]*,)?[ \t]+"
            rf"(?:(?i:['’]s name is|['’]s name['’]s|is|was|called|named)[ \t]+)?(?P<v>{FULL_NAME}){POSSESSIVE_END}"
        )
    ),
    # ... and where they sign off, at the end of a message ("Thanks, Jane", "Regards, John Smith", "- Mary",
    # "Thanks so much - Zhang Li, Glasgow": the town is an address)
    NamePattern(
        re.compile(
            rf"(?:\b(?i:{SIGN_OFFS})[,!.]*\s*(?:[xX]{{1,3}}[ \t]+)?[-–—]?\s*|(?:^|\n)[ \t]*[-–—][ \t]*"
            r"|[.?!][ \t]*[-–—]+[ \t]*"
            rf"|\b(?i:thanks|thank you|cheers)\b[^\n.?!]{{0,40}}?[ \t][-–—]+[ \t]*)"
            rf"(?P<v>{FULL_NAME})(?:(?:,[ \t]*|[ \t]*\n\s*)(?P<town>{PLACE}))?(?:[ \t]+[xX]{{1,3}})?\W*$"
        ),
        everyday=False,
        shorten=False,
        last=240,
    ),
]


def redact(text: str, keep: Sequence[Tuple[int, int]] = ()) -> str:
    """`text` with personal details replaced by placeholders. A match that overlaps a
    `keep` span (start, end), such as a red-flag phrase, or an earlier pattern's match,
    is left as it is."""
    taken: List[Span] = []
    for pattern in PATTERNS:
        for start, end, placeholder in pattern.spans(text):
            spans = [*keep, *((s, e) for s, e, _ in taken)]
            if not any(start < e and s < end for s, e in spans):
                taken.append((start, end, placeholder))
    parts, last = [], 0
    for start, end, placeholder in sorted(taken):
        parts += [text[last:start], placeholder]
        last = end
    return "".join(parts + [text[last:]])
