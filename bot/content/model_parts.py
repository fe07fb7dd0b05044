"""What the trained model takes from `content/`, and the digest that ties a model to it.

The model's parts: the term lexicon (each item's concept, entity and terms), the red-flag
rules, the `asked_as` phrases, and what the item ranker learns from (which items it may
choose, and their title and answer). An edit to any of them needs `make train`. The NLU
components save a copy of `content/` and this digest into the model when it is trained
and work from that copy (bot.rasa_plugins.component_base); each start compares the digest
with the files (`mismatch`). Everything else (the answers of urgent advice and refusals,
sections, review dates, related items, the disclaimer ...) is read from the content store
and goes live with `sscbot content load`.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tarfile
from pathlib import Path
from typing import Any, Dict, Optional

from bot.content.files import RULE_FILES, load_library, read_yaml
from bot.language.item_examples import rankable
from bot.names import NAME

DIGEST_FILE = "content.digest"
COPY_FOLDER = "content"
RETRAIN = "make train"
ITEM_PARTS = ("id", "topic", "answers", "concept", "entity", "terms", "asked_as")
LEARNT_PARTS = ("title", "answer")  # of the items the ranker may choose: it learns their wording


def model_parts(content_dir: Path) -> Dict[str, Any]:
    """The parts of the content in `content_dir` that the trained model uses, in file order."""
    read = load_library(content_dir)
    learnt = rankable(read)
    items = [
        {
            **{part: getattr(item, part) for part in ITEM_PARTS},
            "names": NAME in item.answer,  # answers "about {name}" (bot.language.understanding)
            **({part: getattr(item, part) for part in LEARNT_PARTS} if item.id in learnt else {}),
        }
        for item in read.items.values()
    ]
    return {"items": items, "rules": {name: read_yaml(content_dir / name) for name in RULE_FILES}}


def digest(content_dir: Path) -> str:
    text = json.dumps(model_parts(content_dir), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def save_copy(content_dir: Path, folder: Path) -> None:
    """Copy the content files and their model digest into `folder` (a model resource)."""
    copy = folder / COPY_FOLDER
    copy.mkdir(parents=True, exist_ok=True)
    for path in Path(content_dir).glob("*.yml"):
        shutil.copyfile(path, copy / path.name)
    (folder / DIGEST_FILE).write_text(digest(copy), encoding="utf-8")


def saved_copy(folder: Path) -> Path:
    """The content folder saved in a model resource by `save_copy`."""
    return folder / COPY_FOLDER


def saved_digest(folder: Path) -> Optional[str]:
    path = folder / DIGEST_FILE
    return path.read_text(encoding="utf-8").strip() if path.exists() else None


def archive_digest(model: Path) -> Optional[str]:
    """The content digest inside a trained model archive (models/ssc.tar.gz); None for a
    model trained before the digest existed."""
    with tarfile.open(model) as archive:
        for member in archive.getmembers():
            if member.name.endswith(f"/{DIGEST_FILE}"):
                found = archive.extractfile(member)
                return found.read().decode("utf-8").strip() if found else None
    return None


def mismatch(model_digest: Optional[str], content_dir: Path, model: str = "The trained model") -> Optional[str]:
    """Why the model cannot serve the content in `content_dir`, or None when it can."""
    current = digest(content_dir)
    if model_digest == current:
        return None
    if model_digest is None:
        return f"{model} holds no copy of the content (trained before it did). Run `{RETRAIN}`, then start again."
    return (
        f"{model} does not match {content_dir}: its terms, red-flag rules, asked_as phrases or the wording "
        f"the item ranker learns from changed after training (model {model_digest[:12]}, files {current[:12]}). "
        f"Run `{RETRAIN}`, then start again."
    )
