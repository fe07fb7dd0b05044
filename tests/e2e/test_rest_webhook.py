"""Each topic asked in three phrasings over the REST webhook of the real servers:
the answer's topic, kind, disclaimer and physician pointer as a patient sees them."""

import pytest

PHRASINGS = {
    "what_is_ssc": ["what is scleroderma?", "wat is systemic sclerosis", "what causes ssc"],
    "what_is_refractory": ["what does refractory mean", "when is scleroderma called refractory", "refractory??"],
    "standard_immunosuppressants": [
        "what are the usual medicines for scleroderma",
        "what is methotrexate used for",
        "what is cellcept",
    ],
    "skin": ["what helps calcinosis?", "calcinosis treatmnt", "is there anything for the calcium lumps on my elbows"],
    "vascular": [
        "my fingers go white in the cold what can i do",
        "what helps finger sores",
        "what is a sympathectomy",
    ],
    "heart": ["what is a holter monitor", "how is the heart treated in scleroderma", "what is an ecg"],
    "lung": ["what is iloprost used for", "what helps pulmonary hypertension", "what is a WHO functional class"],
    "kidney": ["what is a scleroderma renal crisis", "what helps kidney crisis", "what are ARBs"],
    "musculoskeletal": ["what helps myositis", "what is orencia used for", "treatment for contractures in my hands"],
    "emergency": [
        "I have crushing chest pain right now",
        "my blood pressure is 220/130 and i have a terrible headache and blurry vision",
        "my husband has collapsed and wont wake up",
    ],
    "guardrail": ["how much prednisolone should i take", "can i stop taking my methotrexate", "do i have scleroderma"],
    "out_of_scope": ["what diet is best for scleroderma", "can i get pregnant with ssc", "how long will i live"],
    "smalltalk": ["hello", "thanks a lot", "are you a bot?"],
}
KIND = {"emergency": "emergency", "guardrail": "guardrail", "out_of_scope": "out_of_scope", "smalltalk": "smalltalk"}
CASES = [(topic, text) for topic, texts in PHRASINGS.items() for text in texts]


@pytest.mark.e2e
@pytest.mark.parametrize("topic, text", CASES)
def test_each_topic_in_three_phrasings(client, sender, library, topic, text):
    turn = client.send(sender, text)
    answer = turn.answer
    assert answer is not None, turn.messages
    assert (answer["topic"], answer["kind"]) == (topic, KIND.get(topic, "answer")), turn.text
    if topic != "smalltalk":
        assert library.settings["disclaimer"] in turn.text
        assert library.settings["physician_pointer"] in turn.text
        assert answer["disclaimer"] is True


@pytest.mark.e2e
def test_a_new_conversation_starts_with_the_disclaimer(client, sender, library):
    turn = client.send(sender, "hello")
    assert turn.texts[0].startswith(library.settings["welcome"])
    assert library.settings["disclaimer"] in turn.texts[0]
    assert client.send(sender, "hello").texts[0] != turn.texts[0]


@pytest.mark.e2e
def test_calcinosis_answer_shows_source_and_buttons(client, sender, library):
    turn = client.send(sender, "what helps calcinosis?")
    item = library.items["skin.calcinosis_treatments"]
    assert turn.answer == {
        "topic": "skin",
        "kind": "answer",
        "content_id": item.id,
        "title": item.title,
        "source": {"title": library.settings["source_title"], "section": item.section, "reviewed": "2023-11-22"},
        "disclaimer": True,
    }
    assert item.answer in turn.text
    assert (
        "From: Treatment Options for Refractory Systemic Sclerosis (Refractory Skin Involvement), reviewed 2023-11-22."
        in turn.text
    )
    titles = [b["title"] for b in turn.buttons]
    assert titles == [library.items[r].title for r in item.related][:3], "at most three follow-ups, related first"


@pytest.mark.e2e
def test_a_button_payload_opens_the_related_item(client, sender, library):
    first = client.send(sender, "what helps calcinosis?")
    button = first.buttons[0]
    second = client.send(sender, button["payload"])
    assert second.answer["content_id"] == library.items["skin.calcinosis_treatments"].related[0]
    assert library.items[second.answer["content_id"]].answer in second.text


@pytest.mark.e2e
def test_what_can_you_do_offers_example_questions_that_open_their_answers(assistant, client, sender):
    turn = client.send(sender, "what can you do?")
    assert [b["payload"] for b in turn.buttons] == [
        '/ask_definition{"content_id": "what_is_ssc.overview"}',
        '/ask_definition{"content_id": "what_is_refractory.overview"}',
        '/ask_definition{"content_id": "skin.calcinosis_treatments"}',
    ]
    assert client.send(sender, turn.buttons[2]["payload"]).answer["content_id"] == "skin.calcinosis_treatments"
    log = (assistant.config.log_dir / "rasa.log").read_text(errors="replace")
    assert "interpolator" not in log, "Rasa could not fill in a response"


@pytest.mark.e2e
def test_follow_ups_keep_context(client, sender):
    assert client.send(sender, "what helps calcinosis?").answer["content_id"] == "skin.calcinosis_treatments"
    assert client.send(sender, "and raynauds?").answer["content_id"] == "vascular.raynauds_treatments"
    assert client.send(sender, "what is that?").answer["content_id"] == "glossary.raynauds"
    assert client.send(sender, "what about myositis").answer["content_id"] == "glossary.myositis"


@pytest.mark.e2e
def test_out_of_scope_never_answers_from_a_wrong_topic(client, sender):
    turn = client.send(sender, "what should i eat with scleroderma")
    assert turn.answer["kind"] == "out_of_scope"
    assert "does not cover" in turn.text.lower()
