"""The ONNX encoder gives torch's vectors, and the assistant uses it only when its export is there and loads."""

from __future__ import annotations

import logging

import numpy as np
import pytest
from conftest import CORPUS, SEEDS

from assistant import embedder, onnx_encoder
from assistant.metadata import Manifest
from assistant.parse import parse_file

QUESTIONS = ["What did the Children's Services scrutiny committee resolve about the performance documents?",
             "recruitment", "When did Ofsted carry out its monitoring visit to Middlesbrough?", "a"]


def sample_passages(every: int = 8) -> list[str]:
    """Every `every`-th passage of the demo corpus and all of the seeds, as ingest embeds them."""
    texts = []
    for folder in (CORPUS, SEEDS):
        manifest = Manifest()
        manifest.discover(folder)
        for path in sorted(f for f in folder.rglob("*") if f.suffix in (".txt", ".html", ".pdf", ".docx")):
            texts.extend(p.context_text() for p in parse_file(path, manifest)[1])
    return texts[::every]


@pytest.fixture(scope="module")
def exported():
    encoder = onnx_encoder.load()
    assert encoder is not None, f"no ONNX export at {onnx_encoder.onnx_path()}: scripts/setup.sh builds it"
    return encoder


def test_onnx_vectors_match_torch_on_real_passages(exported):
    texts = sample_passages() + QUESTIONS
    assert len(texts) > 80
    ours, theirs = exported.encode(texts), embedder.TorchEncoder().encode(texts)
    cosine = (ours * theirs).sum(axis=1)
    assert cosine.min() >= onnx_encoder.MIN_COSINE, sorted(zip(cosine, texts))[:3]
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_onnx_vectors_do_not_depend_on_the_batch(exported):
    """Padding a short text to a long one's length in a batch leaves its vector as it is alone."""
    texts = sample_passages(every=40) + QUESTIONS
    alone = np.stack([exported.encode([t])[0] for t in texts])
    assert float((alone * exported.encode(texts, batch_size=len(texts))).sum(axis=1).min()) > 0.99999


def test_assistant_encodes_with_onnx_when_the_export_is_there(exported, monkeypatch):
    monkeypatch.setattr(embedder, "_encoder", None)
    assert embedder.encoder().name == "onnx"


def test_without_an_export_it_says_so_and_encodes_with_torch(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("MINUTE_BOOK_ONNX_DIR", str(tmp_path))
    monkeypatch.setattr(embedder, "_encoder", None)
    with caplog.at_level(logging.WARNING, logger="assistant.onnx_encoder"):
        assert embedder.encoder().name == "torch"
    assert "no ONNX export" in caplog.text and "torch" in caplog.text
    assert embedder.embed(["RESOLVED that the report be noted."]).shape == (1, 384)


def test_a_damaged_export_is_not_used(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("MINUTE_BOOK_ONNX_DIR", str(tmp_path))
    onnx_encoder.onnx_path().write_bytes(b"not an onnx model")
    with caplog.at_level(logging.WARNING, logger="assistant.onnx_encoder"):
        assert onnx_encoder.load() is None
    assert "did not load" in caplog.text


def test_forcing_torch_uses_torch(exported, monkeypatch):
    monkeypatch.setenv("MINUTE_BOOK_ENCODER", "torch")
    monkeypatch.setattr(embedder, "_encoder", None)
    assert embedder.encoder().name == "torch"
