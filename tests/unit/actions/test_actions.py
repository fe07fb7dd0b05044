"""Every custom action, run on tracker fixtures with rasa_sdk's CollectingDispatcher:
the full list of events and what the user would see."""

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_question import ActionAnswerQuestion
from actions.fallbacks import ActionNotUnderstood, ActionOutOfScope
from actions.safety import ActionGuardrail, ActionUrgentAdvice
from actions.session_start import ActionSessionStart

SOURCE = "From: Treatment Options for Refractory Systemic Sclerosis"


def tracker(text, intent, entities=(), parse=None, **slots):
    """`parse`: more parse data, as the NLU components set it (focus, other questions ...)."""
    return Tracker(
        sender_id="patient-1",
        slots={"concept": None, "question_type": None, "explained": None, **slots},
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 0.99},
            "entities": list(entities),
            **(parse or {}),
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def entity(kind, value):
    return {"entity": kind, "value": value, "extractor": "MedicalTermExtractor"}


def run(action, tracker_):
    """The messages and the events, less the record of explained words (tested below)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker_, {}))
    return dispatcher.messages, [e for e in events if e.get("name") != "explained"]


def assert_medical_turn(messages, library, item_id, kind, topic=None, content_id=None, offered=()):
    """Text with answer, source, disclaimer and pointer, at most three buttons (`offered` ones
    first, then the related items, then explanations); then the contract payload."""
    item = library.items[item_id]
    settings = library.settings
    assert len(messages) == 2
    text = messages[0]["text"]
    assert item.answer in text
    assert settings["disclaimer"] in text and settings["physician_pointer"] in text
    if item.section:
        assert f"{SOURCE} ({item.section}), reviewed 2023-11-22." in text
    titles = [b["title"] for b in messages[0].get("buttons", [])]
    assert len(titles) <= 3 and titles[: len(offered)] == [library.items[o].title for o in offered]
    titles = titles[len(offered) :]
    related = [library.items[r].title for r in item.related if r not in offered]
    shown = next((n for n in range(len(titles), -1, -1) if titles[:n] == related[:n]), 0)
    definitions = {i.title for i in library.items.values() if i.answers == "definition"}
    assert shown == min(len(related), 3 - len(offered))
    assert len(titles) - shown <= 2 and set(titles[shown:]) <= definitions
    expected_source = (
        {"title": settings["source_title"], "section": item.section, "reviewed": "2023-11-22"} if item.section else None
    )
    assert messages[1]["custom"] == {
        "topic": topic or item.topic,
        "kind": kind,
        "content_id": content_id or item_id,
        "title": item.title,
        "source": expected_source,
        "disclaimer": True,
    }
    return text


def test_what_helps_calcinosis(library):
    messages, events = run(
        ActionAnswerQuestion(),
        tracker("what helps calcinosis?", "ask_treatment", [entity("manifestation", "calcinosis")]),
    )
    assert_medical_turn(messages, library, "skin.calcinosis_treatments", "answer")
    assert events == [SlotSet("question_type", "treatments"), SlotSet("concept", "calcinosis")]


def test_follow_up_keeps_the_question_type(library):
    follow_up = tracker(
        "and raynauds?",
        "follow_up",
        [entity("manifestation", "raynauds")],
        concept="calcinosis",
        question_type="treatments",
    )
    messages, events = run(ActionAnswerQuestion(), follow_up)
    item_id = next(i.id for i in library.items.values() if i.concept == "raynauds" and i.answers == "treatments")
    assert_medical_turn(messages, library, item_id, "answer")
    assert events == [SlotSet("question_type", "treatments"), SlotSet("concept", "raynauds")]


def test_what_is_that_explains_the_last_concept(library):
    messages, events = run(ActionAnswerQuestion(), tracker("what is that?", "ask_definition", concept="renal_crisis"))
    assert_medical_turn(messages, library, "glossary.renal_crisis", "answer")
    assert events == [SlotSet("question_type", "definition"), SlotSet("concept", "renal_crisis")]


def test_a_treatment_question_names_the_treatment_item(library):
    messages, _ = run(
        ActionAnswerQuestion(),
        tracker("what is cellcept used for", "ask_treatment_purpose", [entity("treatment", "mycophenolate")]),
    )
    item_id = next(i.id for i in library.defining_items() if i.concept == "mycophenolate")
    assert_medical_turn(messages, library, item_id, "answer")


def test_manifestation_wins_in_a_treatment_question_naming_both(library):
    both = [entity("treatment", "rituximab"), entity("manifestation", "myositis")]
    messages, _ = run(ActionAnswerQuestion(), tracker("does rituximab help myositis", "ask_treatment", both))
    assert messages[1]["custom"]["content_id"] == "musculoskeletal.myositis_treatments"


@pytest.mark.parametrize(
    "intent, item_id",
    [
        ("ask_what_is_ssc", "what_is_ssc.overview"),
        ("ask_refractory", "what_is_refractory.overview"),
        ("ask_standard_immunosuppressants", "standard_immunosuppressants.overview"),
        ("ask_cure", "what_is_ssc.cure"),
    ],
)
def test_fixed_questions(library, intent, item_id):
    messages, events = run(ActionAnswerQuestion(), tracker("?", intent))
    assert_medical_turn(messages, library, item_id, "answer")
    assert SlotSet("question_type", "treatments") in events


def test_a_button_opens_its_content_item(library):
    messages, _ = run(ActionAnswerQuestion(), button("heart.tests"))
    assert_medical_turn(messages, library, "heart.tests", "answer")


def button(content_id):
    return tracker(
        f'/ask_definition{{"content_id": "{content_id}"}}', "ask_definition", [entity("content_id", content_id)]
    )


@pytest.mark.parametrize(
    "content_id, kind",
    [
        ("out_of_scope.not_covered", "out_of_scope"),
        ("guardrail.medicine_change", "guardrail"),
        ("emergency.urgent", "emergency"),
    ],
)
def test_a_button_opens_a_safety_text_in_its_own_kind(library, content_id, kind):
    messages, events = run(ActionAnswerQuestion(), button(content_id))
    assert_medical_turn(messages, library, content_id, kind)
    assert events == []  # no follow-up context from a safety text


@pytest.mark.parametrize("content_id", ["privacy.forgotten", "no.such_item"])
def test_a_button_cannot_claim_a_conversation_was_forgotten_or_open_nothing(library, content_id):
    messages, _ = run(ActionAnswerQuestion(), button(content_id))
    assert_medical_turn(messages, library, "out_of_scope.not_understood", "fallback")


def test_nothing_to_explain_gets_a_fallback_not_a_guess(library):
    messages, events = run(ActionAnswerQuestion(), tracker("what is that?", "ask_definition"))
    assert_medical_turn(messages, library, "out_of_scope.not_understood", "fallback")
    assert events == []


def test_urgent_advice_comes_first(library):
    messages, events = run(ActionUrgentAdvice(), tracker("i have crushing chest pain", "report_urgent_symptom"))
    text = assert_medical_turn(messages, library, "emergency.urgent", "emergency")
    assert text.startswith(library.items["emergency.urgent"].answer)
    assert not messages[0]["buttons"], "nothing distracts from the urgent advice"
    assert events == []


@pytest.mark.parametrize(
    "text, guardrail",
    [
        ("how much prednisolone should i take", "guardrail.dose"),
        ("can i stop my methotrexate", "guardrail.medicine_change"),
        ("do i have scleroderma?", "guardrail.diagnosis"),
    ],
)
def test_guardrail_without_a_known_medicine(library, text, guardrail):
    messages, events = run(ActionGuardrail(), tracker(text, "ask_personal_advice"))
    assert_medical_turn(messages, library, guardrail, "guardrail")
    assert events == []


def test_guardrail_adds_what_the_article_says_about_the_medicine(library):
    messages, _ = run(
        ActionGuardrail(),
        tracker("can i double my prednisolone", "ask_personal_advice", [entity("treatment", "steroids")]),
    )
    steroids = next(i for i in library.defining_items() if i.concept == "steroids")
    text = assert_medical_turn(
        messages, library, steroids.id, "guardrail", topic="guardrail", content_id="guardrail.medicine_change"
    )
    assert text.startswith(library.items["guardrail.medicine_change"].answer)
    assert "10 mg" in text


def test_a_dose_question_still_gets_what_the_article_says_about_the_medicine(library):
    """ "My doctor wants me on prednisolone 20 mg, is that risky?": no advice on the dose, but
    the article's word on steroid doses and renal crisis, which the patient needs."""
    messages, _ = run(
        ActionGuardrail(),
        tracker(
            "my doctor wants me on prednisolone 20 mg, is that risky?",
            "ask_personal_advice",
            [entity("treatment", "steroids")],
        ),
    )
    steroids = next(i for i in library.defining_items() if i.concept == "steroids")
    text = assert_medical_turn(
        messages, library, steroids.id, "guardrail", topic="guardrail", content_id="guardrail.dose"
    )
    assert text.startswith(library.items["guardrail.dose"].answer)
    assert "not advice for you" in text and "renal) crisis" in text


def test_out_of_scope_is_honest(library):
    messages, _ = run(ActionOutOfScope(), tracker("what should i eat", "out_of_scope"))
    assert_medical_turn(messages, library, "out_of_scope.not_covered", "out_of_scope")


def test_not_understood(library):
    messages, _ = run(ActionNotUnderstood(), tracker("asdf qwer", "nlu_fallback"))
    assert_medical_turn(messages, library, "out_of_scope.not_understood", "fallback")


def test_session_start_shows_the_disclaimer_up_front(library):
    messages, events = run(ActionSessionStart(), tracker("", "greet"))
    settings = library.settings
    assert messages[0]["text"].startswith(settings["welcome"])
    assert settings["disclaimer"] in messages[0]["text"] and settings["physician_pointer"] in messages[0]["text"]
    assert messages[1]["custom"]["kind"] == "smalltalk" and messages[1]["custom"]["disclaimer"] is True
    assert events == [SessionStarted(), ActionExecuted("action_listen")]


def test_a_medical_word_is_offered_once_per_conversation(library):
    ask = ("what helps telangiectasia?", "ask_treatment", [entity("manifestation", "telangiectasia")])
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionAnswerQuestion().run(dispatcher, tracker(*ask), {}))
    explained = next(e["value"] for e in events if e.get("name") == "explained")
    item = library.items["vascular.telangiectasia_treatments"]  # two related items: room for a "What is ...?"
    related = {library.items[r].title for r in item.related}
    offered = [b["title"] for b in dispatcher.messages[0]["buttons"] if b["title"] not in related]
    assert offered, "the answer uses words worth explaining"
    for title in offered:
        definition = next(i for i in library.items.values() if i.title == title and i.answers == "definition")
        assert definition.concept in explained
        assert any(term.lower() in item.answer.lower() for term in definition.terms), title
    again = CollectingDispatcher()
    later = asyncio.run(ActionAnswerQuestion().run(again, tracker(*ask, explained=explained), {}))
    offered_again = [b["title"] for b in again.messages[0]["buttons"] if b["title"] not in related]
    assert not set(offered) & set(offered_again), "a word is offered once per conversation"
    recorded = [e["value"] for e in later if e.get("name") == "explained"]
    assert not recorded or set(explained) < set(recorded[0])


def test_the_action_server_refuses_to_start_without_an_item_it_sends():
    from actions.content_client import check_items_exist

    check_items_exist({"emergency.urgent", "guardrail.dose"})
    with pytest.raises(LookupError, match="content/ lacks items the actions send: emergency.gone"):
        check_items_exist({"emergency.urgent", "emergency.gone"})


def test_the_other_questions_of_a_message_come_back_as_buttons_first(library):
    text = "What helps calcinosis on my elbows? And is scleroderma hereditary?"
    messages, _ = run(
        ActionAnswerQuestion(),
        tracker(
            text,
            "ask_treatment",
            [entity("manifestation", "calcinosis")],
            parse={"other_questions": ["And is scleroderma hereditary?"]},
        ),
    )
    buttons = messages[0]["buttons"]
    assert buttons[0] == {
        "title": "You also asked: And is scleroderma hereditary?",
        "payload": "And is scleroderma hereditary?",
    }
    assert messages[1]["custom"]["content_id"] == "skin.calcinosis_treatments"


def test_the_question_names_the_concept_not_the_story(library):
    text = "I take imatinib every day. What helps calcium lumps?"
    question_start = text.index("What")
    messages, _ = run(
        ActionAnswerQuestion(),
        tracker(
            text,
            "ask_treatment",
            [
                dict(entity("treatment", "imatinib"), start=7, end=15),
                dict(entity("manifestation", "calcinosis"), start=text.index("calcium"), end=len(text) - 1),
            ],
            parse={"focus": {"start": question_start, "end": len(text), "question_start": question_start}},
        ),
    )
    assert messages[1]["custom"]["content_id"] == "skin.calcinosis_treatments"


def test_the_remembered_concept_only_for_a_follow_up(library):
    follow_up, _ = run(ActionAnswerQuestion(), tracker("what else is there?", "ask_treatment", concept="calcinosis"))
    assert follow_up[1]["custom"]["content_id"] == "skin.calcinosis_treatments"
    story = (
        "my hands have been bad all winter and the skin keeps cracking open at the knuckles when I wash up "
        "in the evenings"
    )
    new_topic, _ = run(ActionAnswerQuestion(), tracker(story, "ask_treatment", concept="calcinosis"))
    assert new_topic[1]["custom"]["content_id"] == "out_of_scope.not_understood"


def test_a_common_question_gets_its_honest_reply_from_any_action(library):
    for action, intent in ((ActionOutOfScope(), "out_of_scope"), (ActionAnswerQuestion(), "ask_what_is_ssc")):
        messages, _ = run(action, tracker("is it contagious?", intent, parse={"asked_item": "out_of_scope.contagion"}))
        assert_medical_turn(messages, library, "out_of_scope.contagion", "out_of_scope")
    messages, _ = run(
        ActionOutOfScope(), tracker("is it hereditary?", "out_of_scope", parse={"asked_item": "what_is_ssc.causes"})
    )
    assert_medical_turn(messages, library, "what_is_ssc.causes", "answer")


def test_side_effects_of_a_named_medicine_say_so_then_what_the_article_says(library):
    messages, _ = run(
        ActionAnswerQuestion(),
        tracker(
            "what are the side effects of CellCept?",
            "ask_definition",
            [dict(entity("treatment", "mycophenolate"), text="CellCept")],
            parse={"asked_item": "out_of_scope.side_effects"},
        ),
    )
    text = assert_medical_turn(messages, library, "treatments.mycophenolate", "answer")
    assert text.startswith("The article does not describe the side effects or the safety of CellCept in detail.")
    alone, _ = run(
        ActionOutOfScope(),
        tracker("any side effects?", "out_of_scope", parse={"asked_item": "out_of_scope.side_effects"}),
    )
    assert "the safety of these medicines" in alone[0]["text"] and "{name}" not in alone[0]["text"]


def verdict(rule, item=None, options=()):
    return {"verdict": {"rule": rule, "item": item, "options": list(options), "intent": None, "red_flag": None}}


def test_the_verdicts_item_is_answered_whatever_the_message_names(library):
    parse = verdict("ranked", "vascular.digital_ulcers_treatments")
    messages, events = run(
        ActionAnswerQuestion(),
        tracker(
            "on cellcept and my fingertips have sores that will not heal, what helps",
            "ask_treatment",
            [entity("treatment", "mycophenolate")],
            parse,
        ),
    )
    assert_medical_turn(
        messages, library, "vascular.digital_ulcers_treatments", "answer", offered=("treatments.mycophenolate",)
    )  # the medicine named, as a button
    assert events == [SlotSet("question_type", "treatments"), SlotSet("concept", "digital_ulcers")]


def test_unsure_it_asks_back_with_the_options_and_something_else(library):
    options = ("lung.overview", "heart.overview", "kidney.overview")
    messages, events = run(
        ActionAnswerQuestion(), tracker("my insides", "ask_definition", [], verdict("ask_back", options=options))
    )
    assert events == []
    assert messages[0]["text"] == "Do you mean one of these?"
    titles = [b["title"] for b in messages[0]["buttons"]]
    assert titles == [library.items[o].title for o in options] + ["Something else"]
    assert messages[0]["buttons"][0]["payload"] == '/ask_definition{"content_id": "lung.overview"}'
    assert messages[1]["custom"] == {
        "topic": "lung",
        "kind": "clarify",
        "content_id": None,
        "title": None,
        "source": None,
        "disclaimer": False,
        "options": [
            {"content_id": o, "topic": library.items[o].topic, "title": library.items[o].title} for o in options
        ],
    }
    assert "disclaimer" not in messages[0]["text"].lower()


def test_something_else_gets_the_honest_reply_with_an_invitation_to_ask_again(library):
    messages, _ = run(
        ActionAnswerQuestion(),
        tracker(
            '/ask_definition{"content_id": "out_of_scope.something_else"}',
            "ask_definition",
            [entity("content_id", "out_of_scope.something_else")],
            verdict("button", options=("lung.overview",)),
        ),
    )
    assert_medical_turn(messages, library, "out_of_scope.something_else", "out_of_scope")
    assert "ask it another way" in messages[0]["text"]


def answered(*item_ids):
    return [{"event": "bot", "text": "...", "data": {"custom": {"kind": "answer", "content_id": i}}} for i in item_ids]


def test_what_else_gives_the_next_item_never_the_same_text_and_says_when_there_is_no_more(library):
    follow_up = tracker(
        "what else can help?", "follow_up", [], verdict("follow_up"), concept="raynauds", question_type="treatments"
    )
    follow_up.events = answered("vascular.raynauds_treatments")
    messages, _ = run(ActionAnswerQuestion(), follow_up)
    first_unanswered = library.items["vascular.raynauds_treatments"].related[0]
    assert messages[1]["custom"]["content_id"] == first_unanswered != "vascular.raynauds_treatments"
    everything = [r for r in library.items["vascular.raynauds_treatments"].related]
    follow_up.events = answered("vascular.raynauds_treatments", *everything)
    messages, _ = run(ActionAnswerQuestion(), follow_up)
    assert_medical_turn(messages, library, "out_of_scope.nothing_more", "out_of_scope")


def test_a_question_that_leads_to_the_answer_just_given_gets_the_next_item_not_the_same_text(library):
    again = tracker("and tendons?", "follow_up", [entity("manifestation", "arthritis")], concept="arthritis")
    again.events = answered("musculoskeletal.arthritis_treatments")
    messages, _ = run(ActionAnswerQuestion(), again)
    assert messages[1]["custom"]["content_id"] != "musculoskeletal.arthritis_treatments"
    again.events = [{"event": "user", "text": "and tendons?"}, *answered("musculoskeletal.arthritis_treatments")]
    again.events.append({"event": "user", "text": "and tendons?"})
    messages, _ = run(ActionAnswerQuestion(), again)
    assert messages[1]["custom"]["content_id"] == "musculoskeletal.arthritis_treatments"  # the same words: again
    other = tracker(
        "and for lupus nephritis?", "ask_definition", [], verdict("other_condition", "out_of_scope.other_condition")
    )
    other.events = answered("out_of_scope.other_condition")
    messages, _ = run(ActionAnswerQuestion(), other)
    assert messages[1]["custom"]["content_id"] == "out_of_scope.other_condition"  # an honest reply may repeat


def test_a_dose_question_in_pregnancy_is_refused_with_the_pregnancy_reply(library):
    messages, _ = run(
        ActionGuardrail(),
        tracker(
            "how much methotrexate can i take while pregnant",
            "ask_personal_advice",
            [entity("treatment", "methotrexate")],
            {"asked_item": "out_of_scope.pregnancy"},
        ),
    )
    text = messages[0]["text"]
    assert library.items["guardrail.dose"].answer in text and library.items["out_of_scope.pregnancy"].answer in text
    assert messages[1]["custom"]["kind"] == "guardrail" and messages[1]["custom"]["content_id"] == "guardrail.dose"


def test_the_guardrail_the_verdict_decided_is_the_one_given(library):
    # "how often" reads as a dose only to the rules; the verdict's reason is not decided again here
    parse = {"verdict": {"rule": "guardrail", "guardrail": "diagnosis", "item": None, "options": []}}
    messages, _ = run(ActionGuardrail(), tracker("how often should i take it", "ask_personal_advice", [], parse))
    assert_medical_turn(messages, library, "guardrail.diagnosis", "guardrail")
