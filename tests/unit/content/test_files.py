"""Loading content/: the real content is complete; each kind of bad content is
refused with a message naming the file, the item and the field."""

import re

import pytest
import yaml

from bot.content.files import ANSWER_TYPES, TOPICS, ContentError, load_library

TAXONOMY_FILES = [t for t in TOPICS if t != "smalltalk"]
ISSUE_GLOSSARY = [
    "calcinosis",
    "telangiectasia",
    "raynauds",
    "digital_ulcers",
    "sympathectomy",
    "dmards",
    "myositis",
    "contractures",
    "renal_crisis",
    "pulmonary_hypertension",
    "who_functional_class",
    "prostacyclin_analogues",
    "pde5_inhibitors",
    "endothelin_antagonists",
    "ace_inhibitors",
    "arbs",
    "calcium_channel_blockers",
]


def test_real_content_loads_with_every_topic(library):
    topics = {item.topic for item in library.items.values()}
    assert set(TAXONOMY_FILES) <= topics
    assert all(item.answers in ANSWER_TYPES for item in library.items.values())
    assert library.settings["source_title"] == "Treatment Options for Refractory Systemic Sclerosis"


def test_glossary_defines_the_terms_patients_ask_about(library):
    defined = {item.concept for item in library.defining_items()}
    assert set(ISSUE_GLOSSARY) <= defined


def test_every_manifestation_has_a_treatments_answer(library):
    manifestations = {i.concept for i in library.defining_items() if i.entity == "manifestation"}
    answered = {i.concept for i in library.items.values() if i.answers == "treatments"}
    assert manifestations and manifestations <= answered


def test_items_carry_the_article_review_date_and_a_section(library):
    for item in library.items.values():
        assert item.reviewed.isoformat() == "2023-11-22", item.id
        if item.answers != "safety":
            assert item.section, item.id


def test_hedges_of_the_article_are_kept(library):
    text = " ".join(item.answer.lower() for item in library.items.values())
    for hedge in ("small trials", "more research is needed", "case reports"):
        assert hedge in text


def _edit(path, change):
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def _first_item(data):
    return data["items"][0]


def test_missing_field_names_file_item_and_field(content_copy):
    _edit(content_copy / "skin.yml", lambda d: _first_item(d).pop("answer"))
    with pytest.raises(ContentError, match=r"skin\.yml: item 'skin\.overview', field 'answer': missing"):
        load_library(content_copy)


def test_unknown_topic_is_refused(content_copy):
    _edit(content_copy / "heart.yml", lambda d: _first_item(d).update(topic="cardiology"))
    with pytest.raises(ContentError, match=r"heart\.yml: item '.+', field 'topic': 'cardiology' is not one of"):
        load_library(content_copy)


def test_duplicate_id_names_both_files(content_copy):
    first_skin_id = yaml.safe_load((content_copy / "skin.yml").read_text())["items"][0]["id"]
    _edit(content_copy / "vascular.yml", lambda d: _first_item(d).update(id=first_skin_id))
    with pytest.raises(ContentError) as error:
        load_library(content_copy)
    assert "field 'id': duplicate id, already used in" in str(error.value)
    assert "skin.yml" in str(error.value) and "vascular.yml" in str(error.value)


def test_dangling_related_id_is_refused(content_copy):
    _edit(content_copy / "lung.yml", lambda d: _first_item(d).update(related=["lung.no_such_item"]))
    with pytest.raises(ContentError, match=r"lung\.yml: item '.+', field 'related': related id 'lung\.no_such_item'"):
        load_library(content_copy)


def test_bad_yaml_names_the_file(content_copy):
    (content_copy / "kidney.yml").write_text("items:\n  - id: kidney.x\n    title: [unclosed\n")
    with pytest.raises(ContentError, match=r"kidney\.yml: bad YAML"):
        load_library(content_copy)


def test_a_term_cannot_belong_to_two_concepts(content_copy):
    _edit(content_copy / "treatments.yml", lambda d: _first_item(d)["terms"].append("calcium lumps"))
    with pytest.raises(ContentError, match=r"field 'terms': term 'calcium lumps' already belongs to"):
        load_library(content_copy)


def test_unknown_field_is_refused(content_copy):
    _edit(content_copy / "skin.yml", lambda d: _first_item(d).update(dose="10 mg"))
    with pytest.raises(ContentError, match=r"unknown field\(s\): dose"):
        load_library(content_copy)


def test_missing_disclaimer_setting_is_refused(content_copy):
    _edit(content_copy / "disclaimer.yml", lambda d: d.pop("physician_pointer"))
    with pytest.raises(ContentError, match=r"disclaimer\.yml, field 'physician_pointer': missing"):
        load_library(content_copy)


def test_error_message_is_one_clear_line(content_copy):
    _edit(content_copy / "skin.yml", lambda d: _first_item(d).update(reviewed="last week"))
    with pytest.raises(ContentError) as error:
        load_library(content_copy)
    assert re.fullmatch(r".*skin\.yml: item '.+', field 'reviewed': expected a date like 2023-11-22", str(error.value))
