"""What the REST channel checks before the assistant sees a message: the request,
the text, the language, a request to be forgotten, and the order of urgent replies."""

import json
import re

import pytest
import yaml

from bot.language.detect import ENGLISH, NO_WORDS, OTHER, language_of
from bot.safety.forget_request import asks_to_forget, is_plain_forget, says_yes
from bot.safety.incoming import MAX_SENDER_CHARS, BadRequest, clean_text, parse_body
from bot.settings import PROJECT_DIR


def body(**fields):
    return json.dumps(fields).encode("utf-8")


def test_a_good_request_gives_sender_and_cleaned_text():
    incoming = parse_body(body(sender="abc-123", message="  what helps\x00 calcinosis?\u200b\r\n  "))
    assert (incoming.sender, incoming.text) == ("abc-123", "what helps calcinosis?")
    assert not incoming.is_empty and incoming.too_long(10) and not incoming.too_long(100)


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"{not json", "must be JSON"),
        (b"", "must be JSON"),
        (b"\xff\xfe{}", "must be UTF-8"),
        (b"[1, 2]", "must be a JSON object"),
        (body(message="hi"), "`sender` is missing"),
        (body(sender=42, message="hi"), "`sender` must be a text"),
        (body(sender="", message="hi"), "`sender` must be 1 to"),
        (body(sender=" padded ", message="hi"), "`sender` must be 1 to"),
        (body(sender="x" * (MAX_SENDER_CHARS + 1), message="hi"), "`sender` must be 1 to"),
        (body(sender="a\x07b", message="hi"), "`sender` must be 1 to"),
        (body(sender="\ud800", message="hi"), "`sender` must be 1 to"),  # a lone surrogate: no database stores it
        (body(sender="tab\there", message="hi"), "`sender` must be 1 to"),
        (body(sender="abc"), "`message` must be a text"),
        (body(sender="abc", message=["hi"]), "`message` must be a text"),
    ],
)
def test_malformed_requests_are_refused_with_the_reason(raw, message):
    with pytest.raises(BadRequest, match=re.escape(message)):
        parse_body(raw)


def test_whitespace_control_characters_and_lone_surrogates_alone_are_an_empty_message():
    assert parse_body(body(sender="abc", message=" \t\n\x00\x1b\ud800 ")).is_empty
    assert clean_text("line one\nline two") == "line one\nline two"


@pytest.mark.parametrize(
    "text, language",
    [
        ("what helps calcinosis?", ENGLISH),
        ("raynauds", ENGLISH),
        ("¿Qué ayuda con la calcinosis?", OTHER),
        ("Was hilft bei Kalzinose?", OTHER),
        ("Qu'est-ce qui aide pour la calcinose ?", OTHER),
        ("我的手指发白", OTHER),
        ("Что помогает при склеродермии?", OTHER),
        ("hola", OTHER),
        ("😀😀😀", NO_WORDS),
        ("???", NO_WORDS),
        ("<img src=x onerror=alert(1)>", NO_WORDS),
    ],
)
def test_the_language_check(text, language):
    assert language_of(text) == language


def nlu_examples():
    for path in sorted((PROJECT_DIR / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            for line in (block.get("examples") or "").splitlines():
                text = re.sub(
                    r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}", lambda m: m.group(1) or m.group(2), line.strip()[2:]
                )
                yield path.name, text


def test_every_training_example_reads_as_english():
    """The check must never turn an ordinary patient message away."""
    flagged = [(name, text) for name, text in nlu_examples() if language_of(text) != ENGLISH]
    assert flagged == []


@pytest.mark.parametrize(
    "text",
    [
        "forget me",
        "Forget me please",
        "please delete my conversation",
        "delete my data!",
        "can you erase this chat?",
        "clear my chat history",
    ],
)
def test_requests_to_be_forgotten(text):
    assert asks_to_forget(text)


@pytest.mark.parametrize(
    "text", ["forget me, i want to end it all", "how do i delete my data", "I forget my meds", "forget it"]
)
def test_other_messages_are_not_requests_to_be_forgotten(text):
    assert not asks_to_forget(text)


@pytest.mark.parametrize(
    "text,plain",
    [
        ("forget me", True),
        ("Forget me please!", True),
        ("please forget me", True),
        ("delete my chat", False),
        ("forget everything", False),
    ],
)
def test_only_the_plain_forget_me_deletes_without_asking_back(text, plain):
    assert is_plain_forget(text) is plain


@pytest.mark.parametrize(
    "text, yes",
    [
        ("yes", True),
        ("Yes please", True),
        ("ok do it", True),
        ("sure, delete it", True),
        ("yes delete everything!", True),
        ("no", False),
        ("yes but not now", False),
        ("yes what helps calcinosis", False),
        ("", False),
    ],
)
def test_only_a_message_that_says_yes_alone_confirms_a_deletion(text, yes):
    assert says_yes(text) is yes
