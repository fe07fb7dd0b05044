"""Rasa dense featurizer: the whole message's vector from the pretrained sentence encoder
(bot.language.encoder), as a sentence feature of `text`, in training and at run time.

The whole message, not only its question: the story carries the topic. Its config
holds the model file's SHA-256, so Rasa's training cache sees a change of model; a
config naming another model than the one installed is refused.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language.encoder import MODEL, encoding_ahead

MODEL_SHA256 = "model_sha256"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {**DenseFeaturizer.get_default_config(), MODEL_SHA256: MODEL.sha256}

    @classmethod
    def validate_config(cls, config: Dict[str, Any]) -> None:
        if config.get(MODEL_SHA256) != MODEL.sha256:
            raise InvalidConfigException(
                f"config.yml asks the sentence encoder for model {config.get(MODEL_SHA256)}, but the installed "
                f"one is {MODEL.sha256} (bot/language/encoder.py); retrain after changing the model"
            )

    def __init__(self, config: Dict[str, Any], name: str) -> None:
        super().__init__(name, config)
        self.encoder = encoding_ahead()  # the REST channel starts each message's encoding when it arrives

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls(config, execution_context.node_name)

    def process(self, messages: List[Message]) -> List[Message]:
        self._featurize([m for m in messages if m.get(TEXT)])
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize([m for m in training_data.training_examples if m.get(TEXT)])
        return training_data

    def _featurize(self, messages: List[Message]) -> None:
        vectors = self.encoder.encode([m.get(TEXT) for m in messages])
        for message, vector in zip(messages, vectors, strict=False):
            self.add_features_to_message(None, vector[None, :], TEXT, message)
