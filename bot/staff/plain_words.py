"""Plain words for the staff console: topic and kind names, and each expectation of a script
as a sentence ("Shows the disclaimer", "Gives the answer “What about pregnancy and
children?”") with what the assistant did instead when it failed.

The content names no topic titles, so they are named here (as in the widget's list of
questions for the doctor)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping

from bot.content.files import TOPICS, ContentItem
from bot.content.replies import KINDS
from bot.dialogues.checks import Check

WELCOME = "welcome"  # the conversation opener's content id; not a content item
WELCOME_TITLE = "Welcome message"
TOPIC_NAMES = {
    "what_is_ssc": "Systemic sclerosis",
    "what_is_refractory": "Refractory disease",
    "standard_immunosuppressants": "Standard medicines",
    "skin": "Skin",
    "vascular": "Blood vessels",
    "heart": "Heart",
    "lung": "Lungs",
    "kidney": "Kidneys",
    "musculoskeletal": "Joints and muscles",
    "emergency": "Emergencies",
    "guardrail": "Personal medical advice (declined)",
    "out_of_scope": "Not covered by the article",
    "smalltalk": "Small talk",
}
KIND_NAMES = {
    "answer": "An answer from the content",
    "emergency": "The urgent-care advice",
    "guardrail": "Declines personal medical advice",
    "out_of_scope": "Says the article does not cover it",
    "fallback": "Says it did not understand",
    "smalltalk": "Small talk (greeting, thanks ...)",
    "clarify": "Asks back “Do you mean ...?”",
}


def topic_name(topic: Any) -> str:
    return TOPIC_NAMES.get(str(topic), str(topic))


def quoted(text: Any) -> str:
    return f"“{text}”"


def _listed(values: Iterable[str]) -> str:
    return ", ".join(quoted(v) for v in values)


@dataclass(frozen=True)
class Wording:
    titles: Mapping[str, str]  # content id -> its title

    @classmethod
    def of(cls, items: Iterable[ContentItem]) -> Wording:
        return cls({WELCOME: WELCOME_TITLE, **{item.id: item.title for item in items}})

    def title(self, content_id: Any) -> str:
        return quoted(self.titles.get(str(content_id), content_id))

    def expectation(self, name: str, expected: Any) -> str:
        """What the check asks for, as a sentence."""
        match name:
            case "topic":
                return f"Is about {topic_name(expected)}"
            case "kind":
                return f"Kind of reply: {KIND_NAMES.get(expected, expected)}"
            case "content_id" if expected == WELCOME:
                return "Gives the welcome message"
            case "content_id":
                return f"Gives the answer {self.title(expected)}"
            case "offers":
                return f"Asks back, offering {self.title(expected)}"
            case "says":
                return f"Says {quoted(expected)}"
            case "not_says":
                return f"Does not say {quoted(expected)}"
            case "buttons":
                return f"Offers the button {quoted(expected)}"
            case "disclaimer":
                return "Shows the disclaimer" if expected else "Shows no disclaimer"
            case "emergency":
                return "Gives the urgent-care advice" if expected else "Is not the urgent-care advice"
        return "Replies"  # `reply`: the assistant answered at all

    def outcome(self, name: str, actual: Any) -> str:
        """What the assistant did instead, for a failed check."""
        match name:
            case "topic":
                return f"it was about {topic_name(actual)}" if actual else "its reply named no topic"
            case "kind":
                return f"it gave: {KIND_NAMES.get(actual, actual)}" if actual else "its reply named no kind"
            case "content_id":
                return f"it gave {self.title(actual)}" if actual else "it gave no answer from the content"
            case "offers":
                return f"it offered {', '.join(self.title(a) for a in actual)}" if actual else "it did not ask back"
            case "says":
                return "the reply does not say it"
            case "not_says":
                return "the reply says it"
            case "buttons":
                return f"the buttons were {_listed(actual)}" if actual else "it offered no buttons"
            case "disclaimer":
                return "it was shown" if actual else "it was not shown"
            case "emergency":
                return "it was the urgent-care advice" if actual else "it was not"
        return "there was no reply"

    def check(self, check: Check) -> Dict[str, Any]:
        return {
            "name": check.name,
            "passed": check.passed,
            "sentence": self.expectation(check.name, check.expected),
            "outcome": "" if check.passed else self.outcome(check.name, check.actual),
        }


def choices(items: Iterable[ContentItem]) -> Dict[str, List[Dict[str, str]]]:
    """The script form's drop-downs: topics and kinds by name, content items by title."""
    welcome = {"id": WELCOME, "title": WELCOME_TITLE, "topic": "smalltalk"}
    return {
        "topics": [{"id": topic, "name": TOPIC_NAMES[topic]} for topic in TOPICS],
        "kinds": [{"id": kind, "name": KIND_NAMES[kind]} for kind in KINDS],
        "items": [welcome, *({"id": i.id, "title": i.title, "topic": i.topic} for i in items)],
    }
