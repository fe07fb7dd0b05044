"""Where the question is in what a patient wrote.

Real messages are often a story of several sentences and then a question, or two
or three questions at once. The intent should come from the question, not from
the story, so the message is split into sentences and the first question (with
the sentence before it, when the question alone names nothing: "What can I do?")
becomes the *focus*. Questions after the first are kept to offer as buttons.

A *follow-up* is a message that names nothing itself and leans on what was said
before: short, or with "it", "that", "what else" ... Only a follow-up may use the
conversation's remembered topic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

# A sentence ends at . ? or ! before a space (not inside "62.5mg" or "e.g.x"), or at a line break.
SENTENCE = re.compile(r"(?:[^.?!\n]|[.?!]+(?=[^\s.?!]))+(?:[.?!]+|\n|$)")
QUESTION_START = re.compile(
    r"^\s*(?:and\s+|so\s+|but\s+|also\s+|please\s+)?(?:what|what's|whats|how|why|when|where|which|who|whom|whose|"
    r"is|are|was|were|am|can|could|does|do|did|will|would|should|shall|may|might|has|have|had|any|anyone|anybody|"
    r"is there|are there|tell me|explain)\b",
    re.I,
)
WONDERING = re.compile(
    r"\b(i (?:was|am|'m) wondering|i wonder|i(?:'d| would) like to know|i want to know|i need to know|"
    r"can (?:you|anyone|someone) (?:tell|explain)|please (?:tell|explain)|does anyone know|any (?:advice|ideas|info)|"
    r"i would appreciate|your explanation|i(?:'d| would) love to know|i(?:'m| am) curious)\b",
    re.I,
)
WORD = re.compile(r"[A-Za-z']+")
# A question this short is answered together with the sentence before it.
SHORT_QUESTION_WORDS = 6
FOLLOW_UP_WORDS = 8
SHORT_MESSAGE_WORDS = 20
REFERS_BACK = re.compile(
    r"\b(it|its|it's|that|this|they|them|those|these|else|more|other|another|instead|too|also|either)\b"
    r"|^\s*(and|what about|how about|but)\b",
    re.I,
)
MAX_OTHER_QUESTIONS = 2
TREATMENT_QUESTION = re.compile(
    r"\b(help|helps|helped|helpful|treat|treats|treated|treating|treatment|treatments|therapy|therapies|manage|"
    r"managing|relief|relieve|improve|option|options|get rid|heal|healing|do about|can be done|can i do|"
    r"medicines? for|drugs? for|work for|works for)\b",
    re.I,
)


@dataclass(frozen=True)
class Focus:
    """The part of a message that carries its question (character offsets), and the other questions."""

    start: int
    end: int
    other_questions: Tuple[str, ...] = ()
    question_start: int = -1  # where the question sentence itself starts; -1: at `start`

    @property
    def question(self) -> Tuple[int, int]:
        """The question sentence alone, without the sentence before it taken as context."""
        return (max(self.start, self.question_start), self.end)

    def covers(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end


def sentences(text: str) -> List[Tuple[int, int]]:
    """(start, end) of each sentence, surrounding blanks left out."""
    spans = []
    for match in SENTENCE.finditer(text):
        chunk = match.group(0)
        stripped = chunk.strip()
        if not WORD.search(stripped):
            continue
        start = match.start() + (len(chunk) - len(chunk.lstrip()))
        spans.append((start, start + len(stripped)))
    return spans


def is_question(sentence: str) -> bool:
    sentence = sentence.strip()
    return sentence.endswith("?") or bool(QUESTION_START.match(sentence)) or bool(WONDERING.search(sentence))


def focus_of(text: str) -> Focus:
    spans = sentences(text)
    if len(spans) <= 1:
        return Focus(0, len(text))
    questions = [i for i, (s, e) in enumerate(spans) if is_question(text[s:e])]
    if not questions:
        return Focus(0, len(text))
    first = questions[0]
    question_start, end = spans[first]
    start = question_start
    if first > 0 and len(WORD.findall(text[start:end])) <= SHORT_QUESTION_WORDS:
        start = spans[first - 1][0]
    others = tuple(
        text[s:e].strip()
        for s, e in (spans[i] for i in questions[1:])
        if len(WORD.findall(text[s:e])) > SHORT_QUESTION_WORDS // 2
    )
    return Focus(start, end, others[:MAX_OTHER_QUESTIONS], question_start)


def refers_back(question: str) -> bool:
    """Points to something said before: "it", "that", "what else", "and ..."."""
    return bool(REFERS_BACK.search(question))


MORE = re.compile(r"\b(else|more|other|another|anything new|is that all|is that it)\b", re.I)
# A whole message (fullmatch) that only asks for more: "anything more?", "tell me more", "is that all?".
MORE_ALONE = re.compile(
    r"(?:ok(?:ay)?|and|so|right|hmm)?[\s,]*(?:is there|are there|do you have|have you got|can you tell me|tell me|"
    r"got|any)?\s*(?:any(?:thing)?|some|much|a (?:bit|little))?\s*(?:more|else)"
    r"(?:\s+(?:info|information|details|to (?:say|know|tell me)|about (?:it|this|that)|on (?:it|this|that)|please))*"
    r"|(?:is|was) that (?:all|it|everything)|(?:please )?(?:go on|keep going|carry on|continue)(?: please)?|and",
    re.I,
)


def asks_for_more(question: str) -> bool:
    """ "What else can help?", "anything more?": more on the same subject."""
    return bool(MORE.search(question))


def only_asks_for_more(text: str) -> bool:
    """The whole message asks for more on the subject, and nothing else."""
    return MORE_ALONE.fullmatch(text.strip().rstrip("?!. ")) is not None


def reads_as_follow_up(question: str) -> bool:
    """Short, or short-ish and pointing back ("what else is there?", "and what about for the lungs?")."""
    words = len(WORD.findall(question))
    return words <= FOLLOW_UP_WORDS or (words <= 2 * FOLLOW_UP_WORDS and refers_back(question))


DEFINITION_QUESTION = re.compile(
    r"\b(what is|what's|whats|what are|mean|means|meaning|define|definition|pronounce|pronounced|pronunciation|"
    r"stand for|stands for|explain|explanation)\b",
    re.I,
)


def asks_for_definition(question: str) -> bool:
    return bool(DEFINITION_QUESTION.search(question))


def asks_for_treatment(question: str) -> bool:
    """Asks what helps, rather than what a thing is."""
    return bool(TREATMENT_QUESTION.search(question)) and not asks_for_definition(question)


def is_short(text: str) -> bool:
    """One sentence of a few words: the shape of the classifier's training examples."""
    return len(sentences(text)) <= 1 and len(WORD.findall(text)) <= SHORT_MESSAGE_WORDS


def question_in(text: str, focus: Optional[Dict[str, int]]) -> str:
    """The question sentence, from a message's parse data `focus` (bot.names.FOCUS)."""
    if not focus:
        return text
    return text[focus.get("question_start", focus["start"]) : focus["end"]]
