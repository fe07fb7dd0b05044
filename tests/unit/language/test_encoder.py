"""The sentence encoder: the pinned files only, and upstream's reference figures."""

import numpy as np
import pytest

from bot.language.encoder import (
    MODEL,
    TOKENIZER,
    EncoderError,
    ModelFile,
    SentenceEncoder,
    checked_file,
    shared_encoder,
)


def cosine(a, b):
    return float(np.dot(a, b))


def test_the_reference_similarities_of_upstreams_documentation():
    # sentence-transformers' documentation, fp32: 0.6660, 0.1046, 0.1411 (../shared/models/all-MiniLM-L6-v2.md)
    weather, sunny, stadium = shared_encoder().encode(
        ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]
    )
    assert cosine(weather, sunny) == pytest.approx(0.6660, abs=0.01)
    assert cosine(weather, stadium) == pytest.approx(0.1046, abs=0.01)
    assert cosine(sunny, stadium) == pytest.approx(0.1411, abs=0.01)


def test_vectors_are_unit_length_and_do_not_depend_on_the_batch():
    texts = ["what helps calcinosis", "My hands go white and numb whenever I am outside in the winter. " * 8]
    together = shared_encoder().encode(texts)
    alone = np.vstack([shared_encoder().encode([text]) for text in texts])
    assert np.linalg.norm(together, axis=1) == pytest.approx([1.0, 1.0], abs=1e-5)
    assert np.allclose(together, alone, atol=1e-4)


@pytest.mark.parametrize(
    "text,paraphrase,unrelated",
    [
        (
            "My fingers turn white when it is chilly",
            "Cold weather makes my digits go pale",
            "My fingers are good at playing the piano",
        ),
        (
            "I get out of breath climbing stairs",
            "Walking up steps leaves me winded",
            "I climb the stairs to my office every morning",
        ),
        ("what medicine helps my kidneys", "which drugs treat renal problems", "my kidneys are in my lower back"),
        (
            "hard lumps of calcium under my skin",
            "chalky deposits poking out near the elbows",
            "my skin is sunburnt after the beach",
        ),
    ],
)
def test_paraphrases_sharing_no_content_word_are_closer_than_unrelated_sentences_that_share_one(
    text, paraphrase, unrelated
):
    vectors = shared_encoder().encode([text, paraphrase, unrelated])
    assert cosine(vectors[0], vectors[1]) > cosine(vectors[0], vectors[2])


def test_a_file_that_is_not_the_pinned_one_is_refused_naming_it():
    wrong = ModelFile(MODEL.package, MODEL.path, "0" * 64)
    with pytest.raises(EncoderError, match=rf"model.onnx has SHA-256 {MODEL.sha256}, expected 0{{64}}"):
        checked_file(wrong)
    with pytest.raises(EncoderError, match="not the pinned model file"):
        SentenceEncoder(tokenizer=ModelFile(TOKENIZER.package, TOKENIZER.path, "1" * 64))


def test_a_missing_package_or_file_says_how_to_install_it():
    with pytest.raises(EncoderError, match="'no_such_model_package' is not installed: run `make install`"):
        checked_file(ModelFile("no_such_model_package", "model.onnx", MODEL.sha256))
    with pytest.raises(EncoderError, match="is missing"):
        checked_file(ModelFile(MODEL.package, "nothing.onnx", MODEL.sha256))


def test_an_encoding_started_ahead_is_the_same_vector_and_is_taken_once():
    from bot.language.encoder import EncodingAhead

    ahead = EncodingAhead(shared_encoder(), size=2)
    texts = ["what helps calcinosis?", "what is raynaud's?", "is there a cure?"]
    for text in texts:
        ahead.start(text)
    assert ahead.take(texts[0]) is None  # the oldest was dropped beyond `size`
    assert np.allclose(ahead.take(texts[1]), shared_encoder().encode([texts[1]])[0], atol=1e-6)
    assert ahead.take(texts[1]) is None
    assert np.allclose(ahead.encode(texts), shared_encoder().encode(texts), atol=1e-6)
