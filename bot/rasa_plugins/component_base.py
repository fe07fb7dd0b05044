"""Shared base of the project's Rasa NLU components that read `content/`."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Optional, Tuple

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.exceptions import RasaException
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot import settings
from bot.content import model_parts


class ContentMismatch(RasaException):
    """The model's copy of the content differs from `content/` in what the model uses."""


def content_files(config: Dict[str, Any]) -> Path:
    """The content folder a component's config names (`content_dir`), else the setting's."""
    return Path(config.get("content_dir") or settings.content_dir())


class ContentCopyComponent(GraphComponent):
    """A component that works from the copy of `content/` saved in the model when it was
    trained (bot.content.model_parts), never from the files it is served beside: loaded,
    it refuses a copy that differs from the files in what the model uses. Built from its
    config alone (as in unit tests), it reads the files."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"content_dir": None}  # None: the content folder from bot.settings

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        return model_parts.digest(content_files(config))  # Rasa's training cache sees a change of those parts

    def __init__(
        self,
        config: Dict[str, Any],
        content_dir: Optional[Path] = None,
        saving: Optional[Tuple[ModelStorage, Resource]] = None,
    ) -> None:
        self.config = config
        self.content_dir = content_dir or content_files(config)
        self.saving = saving

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls(config, saving=(model_storage, resource))

    def train(self, training_data: TrainingData) -> Resource:
        assert self.saving is not None, "created by Rasa to be trained"
        storage, resource = self.saving
        with storage.write_to(resource) as folder:
            model_parts.save_copy(self.content_dir, folder)
        return resource

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> GraphComponent:
        with model_storage.read_from(resource) as folder:  # a folder that lives only while the model loads
            problem = model_parts.mismatch(model_parts.saved_digest(folder), content_files(config))
            if problem:
                raise ContentMismatch(problem)
            return cls(config, model_parts.saved_copy(folder))
