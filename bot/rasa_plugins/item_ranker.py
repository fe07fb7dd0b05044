"""Rasa NLU component: ranks the content items for the whole message
(bot.language.item_ranking) from the sentence encoder's vector
(bot.rasa_plugins.sentence_encoder) and the concepts the term extractor found.

It sets `item_ranking` in the parse data: the best items, `{content_id, score}`, best
first (`none`: no item). SafetyOverride, after it, decides what to do with them.

Trained from the NLU examples, the items' own wording, data/items/ and the development
part of the real questions (bot.language.item_examples). Those files, the content and the encoder are outside
Rasa's graph: `fingerprint_addon` puts their digest into Rasa's training cache key.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Dict, List, Optional

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, ENTITY_ATTRIBUTE_TYPE, ENTITY_ATTRIBUTE_VALUE, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot import settings
from bot.content.repository import content
from bot.language.encoder import MODEL, shared_encoder
from bot.language.item_examples import real_questions, training_examples
from bot.language.item_ranking import ItemRanker
from bot.language.understanding import shared_understanding
from bot.names import ITEM_RANKING, MANIFESTATION, TERM, TREATMENT_ENTITY

RANKING_LENGTH = 5
NAMED = (MANIFESTATION, TREATMENT_ENTITY, TERM)
LANGUAGE_CODE = Path(__file__).resolve().parent.parent / "language"


def _digest(paths: List[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class ItemRankerComponent(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        # examples: the folder of patients' ways of asking for each item; real_questions: the development
        # part of the real questions (never the held-out part); both from the project folder
        return {"examples": "data/items", "real_questions": "evaluation/dev.yml", "content_dir": None}

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        config = {**cls.get_default_config(), **config}  # Rasa passes the config as written
        folders = [cls._examples_dir(config), Path(config.get("content_dir") or settings.content_dir())]
        files = [p for folder in folders for p in folder.glob("*.yml")] + list(LANGUAGE_CODE.glob("*.py"))
        files.append(settings.PROJECT_DIR / config["real_questions"])
        return f"{MODEL.sha256}:{_digest(files)}"

    def __init__(
        self, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource, ranker: Optional[ItemRanker]
    ) -> None:
        self.config = config
        self.storage = model_storage
        self.resource = resource
        self.ranker = ranker

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ItemRankerComponent:
        return cls(config, model_storage, resource, None)

    @staticmethod
    def _examples_dir(config: Dict[str, Any]) -> Path:
        return settings.PROJECT_DIR / config["examples"]

    def train(self, training_data: TrainingData) -> Resource:
        content_dir = self.config.get("content_dir")
        nlu = [(m.get(TEXT), m.get(INTENT)) for m in training_data.intent_examples if m.get(TEXT)]
        library = content(content_dir).library
        real = real_questions(settings.PROJECT_DIR / self.config["real_questions"], library)
        examples = training_examples(
            library, shared_understanding(content_dir), nlu, self._examples_dir(self.config), real
        )
        vectors = shared_encoder().encode([e.text for e in examples])
        self.ranker = ItemRanker.train(vectors, [e.concepts for e in examples], [e.label for e in examples])
        names, arrays = self.ranker.to_arrays()
        with self.storage.write_to(self.resource) as folder:
            (folder / "names.json").write_text(json.dumps(names))
            np.savez(folder / "arrays.npz", **arrays)
        return self.resource

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> ItemRankerComponent:
        with model_storage.read_from(resource) as folder:
            names = json.loads((folder / "names.json").read_text())
            with np.load(folder / "arrays.npz") as arrays:
                ranker = ItemRanker.from_arrays(names, {k: arrays[k] for k in arrays.files})
        return cls(config, model_storage, resource, ranker)

    def process(self, messages: List[Message]) -> List[Message]:
        if self.ranker is None:
            return messages
        for message in messages:
            _, sentence = message.get_dense_features(TEXT)
            if sentence is None:
                continue
            concepts = [
                str(e.get(ENTITY_ATTRIBUTE_VALUE))
                for e in message.get(ENTITIES) or []
                if e.get(ENTITY_ATTRIBUTE_TYPE) in NAMED
            ]
            ranked = self.ranker.rank(np.asarray(sentence.features)[0], dict.fromkeys(concepts))
            message.set(
                ITEM_RANKING,
                [{"content_id": r.content_id, "score": round(r.score, 4)} for r in ranked[:RANKING_LENGTH]],
                add_to_output=True,
            )
        return messages
