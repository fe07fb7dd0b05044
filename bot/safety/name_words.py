"""What redaction knows about words, to tell a person's name from an everyday word.

After "I'm", "this is", "my husband", at the start of "... here", a word is taken for a name
unless it is a word of the medical lexicon or of `EXTRA_MEDICAL` (eponyms and medicine names
the lexicon lacks), or an everyday English word ("I'm Hopeful", "Same here", "i'm tired").

- Everyday English words (`is_common_word`): lower-case words that are frequent in English
  (log-probability >= -9.5), or fairly frequent (>= -14) and written in lower case at least
  e (2.7) times as often as capitalised (so "mark", "grace", "rose", "mo", whose capitalised
  form is about as frequent, stay possible names). Computed from the `en_lexeme_prob` table
  of spacy-lookups-data 1.0.5 (MIT licence, a pinned dependency of this project) into
  `bot/safety/_common_words.py` (17,729 words).
- Given names (`is_given_name`): the first names of the Latin-script locales of Faker 40.54.0
  (MIT licence, https://github.com/joke2k/faker, `faker/providers/person/*`), only those a
  rule would otherwise miss in lower case: names ending like an adjective or a participle
  ("emily", "ahmed", "kelly", "hamish", "eric", "bilal"), 1,131 names in
  `bot/safety/_given_names.py`; and `NAMES_THAT_ARE_WORDS`, given names that are also everyday
  words ("Will", "Hope"), which count as names only when written with a capital.

Both lists are read as text and held as sorted arrays of the words' CRC-32 values (70 KB and
4.5 KB; a word taken for another is about 1 in 240,000). Nothing is downloaded at run time.
`python -m bot.safety.name_words FAKER_DIR` rebuilds both data modules (FAKER_DIR: an unpacked
Faker wheel; the lexeme table comes from the installed spacy-lookups-data).
"""

from __future__ import annotations

import bisect
import functools
import re
import sys
import zlib
from array import array
from pathlib import Path

# Eponyms, medicine brands and test names that the content lexicon does not hold: never names.
EXTRA_MEDICAL = frozenset(
    """
    addison addisons adempas adcirca allen alzheimer alzheimers arava asacol atorvastatin barrett barretts
    behcet behcets behçet bell benlysta bosentan buscopan calpol cellcept charcot cialis colchicine cozaar crohn
    crohns cushing cushings dupuytren dupuytrens eliquis ehlers danlos esbriet fosamax gaviscon gottron gottrons
    graves guillain barre barré hashimoto hashimotos hodgkin hodgkins holter huntington imuran kawasaki lansoprazole
    losec lupkynis lupus marfan methotrexate motilium nexium nintedanib nurofen ofev omeprazole opsumit orenitram
    osler panadol parkinson parkinsons pirfenidone plaquenil raynaud raynauds reiter rendu revatio riociguat
    rituxan rodnan saphnelo schirmer sjogren sjogrens sjögren sjögrens still stills tracleer tyvaso tylenol uptravi
    warfarin wegener xarelto zantac
    vitamin covid coronavirus centromere topoisomerase fibrillarin anca menopause menopausal perimenopausal
    postmenopausal bedridden bedbound housebound immunosuppressed immunocompromised immunosuppression seronegative
    seropositive anaemic anemic neutropenic hypothyroid hyperthyroid coeliac celiac asthmatic epileptic
    """.split()
)

# Given names that are also everyday words: names when capitalised after "I'm", "my son" ...
NAMES_THAT_ARE_WORDS = frozenset(
    "will hope joy faith may summer penny max grant chase olive sue guy gene kit mercy patience ally bud".split()
)

# A lower-case word with one of these endings reads as an adjective or a participle ("i'm shivery",
# "im exausted", "i'm anaemic", "i'm housebound"), not a name, unless it is a given name of the list.
ADJECTIVE_ENDING = re.compile(r"(?:ing|ed|y|ful|ous|less|ive|able|ible|ish|ic|al|ac|oid|ent|ant|bound)$")
# Capitalised, only these endings, which given names hardly have ("I'm Epileptic", "I'm Hypothyroid"):
# -ing, -ed, -y, -ish, -al, -ent and -ant end many names (Xing, Javed, Emily, Manish, Kunal, Vincent, Bryant).
CAPITALISED_ADJECTIVE_ENDING = re.compile(r"(?:ful|ous|less|ive|able|ible|ic|ac|oid|bound)$")


@functools.lru_cache(maxsize=2)
def _hashes(module: str) -> array:
    """The CRC-32 of each word of a data module, sorted. The words are read from the module's text,
    not imported, so that only these 4 bytes a word stay in memory."""
    source = (Path(__file__).parent / f"{module}.py").read_text(encoding="utf-8")
    words = source[source.index('= """') + len('= """') :]
    return array("I", sorted(zlib.crc32(m.group().encode()) for m in re.finditer(r"\S+", words) if m.group() != '"""'))


def _holds(module: str, word: str) -> bool:
    hashes, key = _hashes(module), zlib.crc32(word.lower().encode())
    i = bisect.bisect_left(hashes, key)
    return i < len(hashes) and hashes[i] == key


def is_common_word(word: str) -> bool:
    """Whether the lower-cased `word` is an everyday English word (see the module's doc)."""
    return _holds("_common_words", word)


def is_given_name(word: str) -> bool:
    """Whether the lower-cased `word` is a given name of `_given_names` (see the module's doc)."""
    return _holds("_given_names", word)


MIT_NOTICE = """Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in
all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
THE SOFTWARE."""


def _wrapped(words: list, width: int = 116) -> str:
    lines, line = [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join([*lines, line])


def rebuild(faker_dir: str) -> None:  # pragma: no cover - run by hand when the sources change
    import gzip
    import importlib
    import json
    import pkgutil
    import unicodedata

    import spacy_lookups_data

    here = Path(__file__).parent
    table = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    prob = json.loads(gzip.decompress(table.read_bytes()))
    common = sorted(
        w
        for w, p in prob.items()
        if w.isascii() and w.isalpha() and w.islower() and len(w) >= 2
        if p >= -9.5 or (p >= -14 and p - prob.get(w.capitalize(), -20.0) >= 1.0)
    )
    (here / "_common_words.py").write_text(
        '"""Everyday English words, generated by `python -m bot.safety.name_words`: see that module.\n'
        "Source: spacy-lookups-data 1.0.5, data/en_lexeme_prob.json.gz, under the MIT licence:\n\n"
        f'Copyright (c) 2019 ExplosionAI GmbH\n\n{MIT_NOTICE}\n"""\n\n'
        f'WORDS = """\n{_wrapped(common)}\n"""\n',
        encoding="utf-8",
    )
    sys.path.insert(0, faker_dir)
    person = importlib.import_module("faker.providers.person")
    names = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"faker.providers.person.{module.name}").Provider
        for attr in dir(provider):
            value = getattr(provider, attr, None)
            if attr.startswith("first_name") and isinstance(value, tuple | list | dict):
                names |= {
                    n.lower()
                    for n in value
                    if isinstance(n, str) and n.isalpha() and all("LATIN" in unicodedata.name(c, "") for c in n)
                }
    common_set = set(common)
    kept = sorted(n for n in names if ADJECTIVE_ENDING.search(n) and n not in common_set)
    (here / "_given_names.py").write_text(
        '"""Given names that end like an adjective or a participle, generated by `python -m bot.safety.name_words`:\n'
        "see that module. Source: Faker 40.54.0, faker/providers/person/*/__init__.py, first names of the\n"
        "Latin-script locales, under the MIT licence:\n\n"
        f'Copyright (c) 2012 Daniele Faraglia\n\n{MIT_NOTICE}\n"""\n\n'
        f'NAMES = """\n{_wrapped(kept)}\n"""\n',
        encoding="utf-8",
    )
    print(f"{len(common)} common words, {len(kept)} given names")


if __name__ == "__main__":  # pragma: no cover
    rebuild(sys.argv[1])
