"""Plain language, safety text and the answer contract on every content item and
every response the bot can send."""

import datetime as dt
import re

import pytest
import yaml

from actions.answer_question import SAFETY_KINDS
from bot.content.replies import KINDS, SafetyTexts, item_messages, welcome_messages
from bot.content.report import MAX_GRADE, check_items, name_pattern, readability_grade
from bot.run.cli import main
from bot.settings import PROJECT_DIR

CONTRACT_KEYS = {"topic", "kind", "content_id", "source", "disclaimer"}
ITEM_CONTRACT_KEYS = CONTRACT_KEYS | {"title"}  # a turn answered from a content item names it


def test_every_answer_reads_at_grade_8_or_lower(library):
    too_hard = {
        c.item.id: round(c.grade, 1) for c in check_items(library, dt.date.today(), 10_000) if c.grade > MAX_GRADE
    }
    assert too_hard == {}


def test_names_do_not_count_against_readability(library):
    names = name_pattern(library)
    hard = "Hydroxychloroquine and mycophenolate mofetil help."
    assert readability_grade(hard, names) < readability_grade(hard, re.compile("(?!x)x"))


@pytest.mark.parametrize("kind", ["answer", "guardrail", "out_of_scope", "fallback", "emergency"])
def test_every_item_in_every_kind_carries_disclaimer_pointer_source_and_contract(library, kind):
    texts = SafetyTexts.from_settings(library.settings.__getitem__)
    for item in library.items.values():
        related = [library.items[r] for r in item.related]
        text_message, contract_message = item_messages(item, kind, texts, related)
        text = text_message["text"]
        assert texts.disclaimer in text and texts.physician_pointer in text, item.id
        if item.section:
            assert f"From: {texts.source_title} ({item.section}), reviewed {item.reviewed}." in text, item.id
        contract = contract_message["json_message"]
        assert set(contract) == ITEM_CONTRACT_KEYS and contract["kind"] == kind and contract["content_id"] == item.id
        assert contract["title"] == item.title
        assert contract["disclaimer"] is True
        assert (contract["source"] is None) == (item.section is None)
        if kind == "emergency":
            assert text.startswith(item.answer)


def test_a_reply_that_is_not_medical_carries_no_disclaimer(library):
    """The confirmation that a conversation was deleted is small talk: only its text, and a
    contract that says there is no disclaimer."""
    texts = SafetyTexts.from_settings(library.settings.__getitem__)
    forgotten = library.items["privacy.forgotten"]
    text_message, contract_message = item_messages(forgotten, "smalltalk", texts)
    assert text_message["text"] == forgotten.answer
    assert contract_message["json_message"]["disclaimer"] is False


def test_safety_items_are_answered_in_their_own_kind(library):
    """Safety texts have a kind of their own; the channel's privacy confirmation is small talk."""
    for item in library.items.values():
        if item.answers == "safety":
            assert item.topic in SAFETY_KINDS or item.id.startswith("privacy."), item.id


def test_welcome_has_disclaimer_and_pointer(library):
    text, contract = welcome_messages(library.settings.__getitem__)
    assert library.settings["disclaimer"] in text["text"] and library.settings["physician_pointer"] in text["text"]
    assert contract["json_message"]["kind"] == "smalltalk"


def test_every_domain_response_carries_the_contract():
    domain = yaml.safe_load((PROJECT_DIR / "domain.yml").read_text())
    for name, variants in domain["responses"].items():
        for variant in variants:
            assert variant["text"], name
            assert set(variant["custom"]) == CONTRACT_KEYS and variant["custom"]["kind"] in KINDS, name


def test_no_dose_except_the_prednisolone_caution(library):
    for item in library.items.values():
        doses = re.findall(r"\d+(?:\.\d+)?\s*(?:mg|milligrams?|mcg|units?)\b", item.answer, re.I)
        assert set(doses) <= {"10 mg"}, item.id
        if doses:
            assert "prednisolone" in item.answer.lower() and "crisis" in item.answer.lower(), item.id
            assert "doctor" in item.answer.lower(), item.id


def test_content_report_prints_grades_dates_and_overdue_items(capsys):
    assert main(["content", "report", "--max-age-days", "30"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"Flesch-Kincaid grade: min -?\d+\.\d, median \d+\.\d, max \d+\.\d \(limit 8\)", out)
    assert "skin.calcinosis_treatments" in out and "2023-11-22" in out
    assert "review overdue" in out and re.search(r"Past the review age of 30 days: \d+ item", out)
    assert main(["content", "report", "--max-age-days", "100000"]) == 0
    assert "Past the review age of 100000 days: 0 item(s)." in capsys.readouterr().out
