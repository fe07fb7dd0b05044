"""Which item answers, or which are offered: each rule of bot.language.verdict."""

from bot.language.item_ranking import NONE, Ranked
from bot.language.verdict import (
    AGREE,
    ASK_BACK,
    NAMED,
    NO_ITEM,
    OTHER_CONDITION,
    OTHER_CONDITION_SURE,
    RANKED,
    SURE,
    choose_item,
)
from bot.names import OTHER_CONDITION_ITEM


def ranking(*pairs):
    return [Ranked(item, score) for item, score in pairs]


def test_the_rankers_best_item_agreeing_with_the_named_one_is_answered_however_unsure():
    choice = choose_item(
        ranking(("skin.calcinosis_treatments", 0.05), ("skin.overview", 0.04)), "skin.calcinosis_treatments", True
    )
    assert (choice.rule, choice.item) == (AGREE, "skin.calcinosis_treatments")


def test_a_sure_ranker_answers_over_a_named_item_and_an_unsure_one_keeps_it_when_among_its_best_three():
    sure = ranking(("vascular.raynauds_treatments", SURE), ("glossary.raynauds", 0.1))
    assert choose_item(sure, None, True).item == "vascular.raynauds_treatments"
    assert (choose_item(sure, "glossary.raynauds", True).rule, choose_item(sure, "glossary.raynauds", True).item) == (
        RANKED,
        "vascular.raynauds_treatments",
    )
    unsure = ranking(("vascular.raynauds_treatments", SURE - 0.01), ("glossary.raynauds", 0.1))
    assert choose_item(unsure, None, True).rule == ASK_BACK
    assert (
        choose_item(unsure, "glossary.raynauds", True).rule,
        choose_item(unsure, "glossary.raynauds", True).item,
    ) == (NAMED, "glossary.raynauds")


def test_unsure_it_asks_back_with_at_most_three_options_the_named_item_among_them():
    unsure = ranking(
        ("lung.overview", 0.15), ("heart.overview", 0.12), ("kidney.overview", 0.1), ("skin.overview", 0.09)
    )
    choice = choose_item(unsure, None, True)
    assert (choice.rule, choice.options) == (ASK_BACK, ("lung.overview", "heart.overview", "kidney.overview"))
    choice = choose_item(unsure, "vascular.overview", True)
    assert (choice.rule, choice.options) == (ASK_BACK, ("lung.overview", "heart.overview", "vascular.overview"))


def test_a_named_item_with_nothing_else_worth_offering_is_answered():
    choice = choose_item(ranking(("lung.overview", 0.01), (NONE, 0.9)), "kidney.overview", True)
    assert (choice.rule, choice.item) == (NAMED, "kidney.overview")


def test_nothing_is_offered_for_a_message_that_asks_no_medical_question_or_that_the_ranker_calls_no_item():
    unsure = ranking(("lung.overview", 0.15), ("heart.overview", 0.12))
    assert choose_item(unsure, None, False).rule == NO_ITEM
    assert choose_item(ranking((NONE, 0.48), ("lung.overview", 0.07)), None, True).rule == NO_ITEM  # "'; DROP TABLE"
    assert choose_item(ranking((NONE, 0.23), ("lung.overview", 0.14)), None, True).rule == ASK_BACK  # "my insides"
    assert choose_item([], None, True).rule == NO_ITEM


def test_another_disease_needs_a_sure_ranker_and_outweighs_a_named_medicine_but_not_a_named_condition():
    other = ranking((OTHER_CONDITION_ITEM, OTHER_CONDITION_SURE), ("treatments.methotrexate", 0.15))
    assert choose_item(other, "treatments.methotrexate", True).item == OTHER_CONDITION_ITEM
    choice = choose_item(other, "musculoskeletal.myositis_treatments", True, names_condition=True)
    assert OTHER_CONDITION_ITEM not in (choice.item, *choice.options)
    unsure = ranking((OTHER_CONDITION_ITEM, OTHER_CONDITION_SURE - 0.01), ("treatments.methotrexate", 0.3))
    assert choose_item(unsure, None, True).item == "treatments.methotrexate"


def test_the_verdict_keeps_its_types_through_the_parse_data():
    from bot.language.verdict import Verdict

    verdict = Verdict(
        "ask_back",
        intent_rule="named_thing",
        intent="ask_treatment",
        focus={"start": 0, "end": 12},
        options=("skin.overview", "glossary.calcinosis"),
        candidates=({"content_id": "skin.overview", "score": 0.12},),
    )
    data = verdict.as_dict()
    assert data["options"] == ["skin.overview", "glossary.calcinosis"]  # JSON, as Rasa stores it
    assert Verdict.read({**data, "from_an_older_release": 1}) == verdict
    assert Verdict.read({}) is None and Verdict.read(None) is None


def test_another_disease_named_gets_the_honest_reply_whatever_the_ranker_prefers():
    sure = ranking(("standard_immunosuppressants.mycophenolate", 0.9), (NONE, 0.05))
    choice = choose_item(sure, "standard_immunosuppressants.mycophenolate", True, names_other=True)
    assert (choice.rule, choice.item) == (OTHER_CONDITION, OTHER_CONDITION_ITEM)
    ssc_too = choose_item(sure, None, True, names_condition=True)
    assert ssc_too.item == "standard_immunosuppressants.mycophenolate"
