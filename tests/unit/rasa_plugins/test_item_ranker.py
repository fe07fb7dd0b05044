"""What Rasa's training cache sees of the item ranker: the model, the content, the written
examples, the development questions and the code, beyond the graph's own inputs."""

from bot.rasa_plugins.item_ranker import ItemRankerComponent


def test_the_cache_key_changes_with_the_written_examples_and_the_development_questions(tmp_path, monkeypatch):
    from bot import settings

    monkeypatch.setattr(settings, "PROJECT_DIR", tmp_path)
    (tmp_path / "data" / "items").mkdir(parents=True)
    (tmp_path / "evaluation").mkdir()
    questions = tmp_path / "evaluation" / "dev.yml"
    questions.write_text("[]\n")
    examples = tmp_path / "data" / "items" / "a.yml"
    examples.write_text("items: {}\n")
    first = ItemRankerComponent.fingerprint_addon({})  # Rasa passes the config as written in config.yml
    assert first == ItemRankerComponent.fingerprint_addon({"examples": "data/items"})
    examples.write_text("items:\n  skin.overview: [does it affect the skin]\n")
    second = ItemRankerComponent.fingerprint_addon({})
    assert second != first
    questions.write_text("[{id: D1, text: does it affect the skin}]\n")
    assert ItemRankerComponent.fingerprint_addon({}) != second
