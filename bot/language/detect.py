"""Is a message written in English words at all? The assistant reads English only.

Deterministic and small on purpose: a message is `other` when most of its letters
are in a non-Latin script, or when it uses the common little words of another
European language (two, or one in a one-word message) and none of English; `no_words` when it has no letters at all
(emoji, punctuation, bare HTML tags). Medical names are the same in many languages and count
for neither side.
"""

from __future__ import annotations

import re
from typing import Optional

LANGUAGE = "language"  # the parse-data key that carries the verdict to the actions
ENGLISH = "english"
OTHER = "other"
NO_WORDS = "no_words"

WORD = re.compile(r"[^\W\d_]+")
MARKUP = re.compile(r"<[^<>]*>")  # tags are not words: `<img src=x onerror=...>` has none
_ENGLISH = set(
    "and are be can could do does did for from have has help helps how if it its my not of on or "
    "should the there this to what when which who why will with would you your about get got any".split()
)
_OTHER = set(
    # Spanish, Portuguese, French, Italian, German, Dutch: articles, pronouns, question words, greetings
    "el la los las del una y que qué es por para con como cómo mi mis ayuda tengo tiene está puedo hola gracias "
    "os um uma não é meu minha com ajuda tenho tem posso você obrigado obrigada "
    "le les des est une et pour avec je mon mes quoi comment aide suis ai peux bonjour merci "
    "il lo gli che è di mio mia cosa aiuta sono ho grazie "
    "der das und ist ein eine mit für bei ich mein meine wie hilft habe kann nicht danke "
    "het een en ik mijn wat hoe helpt heb niet bedankt".split()
)
ENGLISH_WORDS = frozenset(_ENGLISH - _OTHER)
OTHER_WORDS = frozenset(_OTHER - _ENGLISH)
LATIN_LIMIT = 0x024F  # last code point of Latin Extended-B


def language_of(text: str) -> str:
    words = [w.lower() for w in WORD.findall(MARKUP.sub(" ", text))]
    if not words:
        return NO_WORDS
    letters = "".join(words)
    if sum(ord(c) > LATIN_LIMIT for c in letters) > len(letters) / 2:
        return OTHER
    english = sum(w in ENGLISH_WORDS for w in words)
    other = sum(w in OTHER_WORDS for w in words)
    return OTHER if english == 0 and other >= min(2, len(words)) else ENGLISH


def not_english(text: Optional[str]) -> Optional[str]:
    """`other` or `no_words` when the assistant cannot read `text`, else None."""
    language = language_of(text or "")
    return None if language == ENGLISH else language
