"""The Rasa NLU component sets entities with canonical values."""

from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_plugins.term_extractor import MedicalTermExtractor


def test_component_sets_canonical_entities():
    component = MedicalTermExtractor({"content_dir": None})
    message = Message(data={TEXT: "can cellcept help my white fingers?"})
    component.process([message])
    entities = message.get(ENTITIES)
    assert {(e["entity"], e["value"]) for e in entities} == {
        ("treatment", "mycophenolate"),
        ("manifestation", "raynauds"),
    }
    assert all(e["extractor"] == "MedicalTermExtractor" for e in entities)
    cellcept = next(e for e in entities if e["value"] == "mycophenolate")
    assert message.get(TEXT)[cellcept["start"] : cellcept["end"]] == "cellcept"


def test_component_keeps_entities_of_other_extractors_and_skips_empty_text():
    component = MedicalTermExtractor({"content_dir": None})
    earlier = {"entity": "content_id", "value": "skin.overview", "start": 0, "end": 1}
    message = Message(data={TEXT: "calcinosis", ENTITIES: [earlier]})
    empty = Message(data={TEXT: ""})
    component.process([message, empty])
    assert message.get(ENTITIES)[0] == earlier
    assert message.get(ENTITIES)[1]["value"] == "calcinosis"
    assert not empty.get(ENTITIES)


def test_term_tokens_are_masked_for_the_intent_featurizers():
    from rasa.nlu.constants import TOKENS_NAMES
    from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
    from rasa.shared.nlu.training_data.training_data import TrainingData

    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    component = MedicalTermExtractor({"content_dir": None})
    live = Message(data={TEXT: "can i combine tocilizumab and abatacept"})
    example = Message(data={TEXT: "can i combine CellCept and Imuran", "intent": "ask_personal_advice"})
    tokenizer.process([live])
    tokenizer.process_training_data(TrainingData([example]))
    component.process([live])
    component.process_training_data(TrainingData([example]))
    lemmas = [[t.lemma for t in m.get(TOKENS_NAMES[TEXT])] for m in (live, example)]
    assert lemmas[0] == lemmas[1] == ["can", "i", "combine", "termtreatment", "and", "termtreatment"]
    assert not example.get(ENTITIES), "training annotations are left as they are"
