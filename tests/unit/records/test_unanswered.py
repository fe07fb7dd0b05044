"""Unanswered questions are read from the replies the tracker store keeps, go with their
conversation, and are grouped by the terms they name."""

import asyncio

from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_plugins.tracker_store import PreparedSQLTrackerStore
from bot.records.unanswered import Unanswered, group_by_terms, report_lines, unanswered_questions


def tracker_db(tmp_path, conversations):
    """The tracker store, with (sender, [(user text, reply contract), ...]) saved through it; a
    user text may be (text, [(entity, value), ...]): the entities the NLU step found in it."""
    store = PreparedSQLTrackerStore.from_url(f"sqlite:///{tmp_path / 'tracker.db'}")
    clock = 1.0
    for sender, turns in conversations:
        events = []
        for asked, contract in turns:
            text, entities = asked if isinstance(asked, tuple) else (asked, [])
            clock += 1
            parse_data = {"intent": {}, "entities": [{"entity": e, "value": v} for e, v in entities]}
            events += [
                UserUttered(text, parse_data=parse_data, timestamp=clock),
                BotUttered("reply", {"custom": contract}, timestamp=clock),
                ActionExecuted("action_listen", timestamp=clock),
            ]
        asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))
    return store


NOT_COVERED = {"kind": "out_of_scope", "content_id": "out_of_scope.not_covered"}
DIET = {"kind": "out_of_scope", "content_id": "out_of_scope.diet"}
NOT_UNDERSTOOD = {"kind": "fallback", "content_id": "out_of_scope.not_understood"}
ANSWER = {"kind": "answer", "content_id": "skin.calcinosis_treatments"}


def test_only_unanswered_questions_are_listed_and_forget_me_removes_them(tmp_path):
    store = tracker_db(
        tmp_path,
        [
            ("a", [("what helps calcinosis", ANSWER), ("does reflux medicine hurt my teeth", NOT_COVERED)]),
            (
                "b",
                [
                    ("asdfgh", NOT_UNDERSTOOD),
                    ('/ask_definition{"content_id": "x"}', NOT_COVERED),
                    ("best diet for reflux", DIET),
                ],
            ),
        ],
    )
    found = unanswered_questions(store.engine)
    assert [(q.sender_id, q.text, q.content_id) for q in found] == [
        ("a", "does reflux medicine hurt my teeth", "out_of_scope.not_covered"),
        ("b", "asdfgh", "out_of_scope.not_understood"),
        ("b", "best diet for reflux", "out_of_scope.diet"),
    ]
    store.forget(["a"])
    assert [q.sender_id for q in unanswered_questions(store.engine)] == ["b", "b"]


def test_each_question_stands_once_under_its_most_specific_term():
    questions = [
        Unanswered("a", text, "out_of_scope.not_covered", 0, concepts)
        for text, concepts in (
            ("is it safe to have my next rituximab infusion with calcinosis", ("calcinosis", "rituximab")),
            ("is rituximab safe next to paraffin baths", ("rituximab", "paraffin_baths")),
            ("next rituximab infusion, is it safe", ("rituximab",)),
            ("does ssc reflux get worse next winter", ("systemic_sclerosis",)),
            ("is reflux safe with ssc", ("systemic_sclerosis",)),
            ("is ssc contagious", ("systemic_sclerosis",)),
            ("is it safe next week", ()),
        )
    ]
    groups = group_by_terms(questions)
    assert [(g.label, [q.text[:12] for q in g.questions]) for g in groups] == [
        ("reflux", ["does ssc ref", "is reflux sa"]),  # the word they share, when no specific concept is named
        ("calcinosis (named)", ["is it safe t"]),  # the rarer of calcinosis and rituximab
        ("paraffin baths (named)", ["is rituximab"]),
        ("rituximab (named)", ["next rituxim"]),
        ("contagious", ["is ssc conta"]),  # rather than the concept every question here is about
        ("(no words)", ["is it safe n"]),  # "safe", "next" and "week" are filler words
    ]
    assert sorted(q.text for g in groups for q in g.questions) == sorted(q.text for q in questions)
    assert not {"safe", "next"} & {g.term for g in groups}


def test_the_terms_come_from_the_entities_stored_with_each_message(tmp_path):
    store = tracker_db(
        tmp_path,
        [
            (
                "a",
                [
                    (
                        ("can I take rituximab in my next pregnancy", [("treatment", "rituximab"), ("red_flag", "x")]),
                        NOT_COVERED,
                    )
                ],
            ),
            ("b", [("is my next holiday safe", NOT_COVERED)]),
        ],
    )
    found = unanswered_questions(store.engine)
    assert [q.concepts for q in found] == [("rituximab",), ()]
    assert [(g.label, len(g.questions)) for g in group_by_terms(found)] == [("rituximab (named)", 1), ("holiday", 1)]


def test_the_report_lists_the_largest_groups_with_examples():
    questions = [
        Unanswered("a", t, "out_of_scope.not_covered", 0, concepts)
        for t, concepts in (
            ("does reflux medicine hurt my teeth", ()),
            ("is reflux part of scleroderma", ()),
            ("why is my calcinosis worse in winter", ("calcinosis",)),
        )
    ]
    groups = group_by_terms(questions)
    lines = report_lines(questions, groups, most=2)
    assert lines[0] == "3 unanswered questions; the 2 largest groups, by their most specific term:"
    assert "    - does reflux medicine hurt my teeth  [out_of_scope.not_covered]" in lines
    assert [line for line in lines if not line.startswith(" ")][1:] == ["reflux: 2", "calcinosis (named): 1"]
    assert report_lines([], [], 5) == ["No unanswered questions."]
