"""all-MiniLM-L6-v2 through ONNX Runtime: the shipped PyTorch weights exported once at set-up, offline.

`build()` (run by scripts/setup.sh as `python -m assistant.onnx_encoder`) exports the installed model's
transformer to ONNX with torch's TorchScript exporter, checks that its vectors match the
SentenceTransformer's (cosine >= MIN_COSINE on sample texts) and only then moves the file into place
(atomically), named by a key of the model files, torch and this exporter; re-running it is a stat
of the files when the file is there. `load()` returns an `OnnxEncoder` for that file, or None when
it is missing or will not load (the embedder then uses torch and says so).

An OnnxEncoder gives the vectors SentenceTransformer.encode gives: the same fast tokenizer
(tokenizer.json, truncated at the model's max_seq_length), mean pooling over the attention mask,
L2 normalisation. Texts are encoded shortest first so a batch pads to similar lengths.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np

from assistant.embedder import model_path

log = logging.getLogger("assistant.onnx_encoder")
EXPORT_VERSION = "1"  # bump when the export or the graph's inputs change
MIN_COSINE = 0.999  # an exported model whose vectors differ more than this from torch's is not used
OPSET = 17
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
SAMPLES = [  # what build() checks the exported model on: short, long (truncated) and padded batches
    "Apologies",
    "RESOLVED that the report be noted.",
    "The Director of Children's Services presented the Ofsted improvement plan; members asked about "
    "social worker recruitment and the use of agency staff, and the committee agreed to review progress.",
    " ".join(["The precept for 2023/24 was set at £12,500 after a discussion of the play area repairs."] * 30),
]


def cache_dir() -> Path:
    """Where exported models live: MINUTE_BOOK_ONNX_DIR, else share/minute-book inside the running
    environment (the venv that holds the model package it was exported from)."""
    return Path(os.environ.get("MINUTE_BOOK_ONNX_DIR") or Path(sys.prefix) / "share" / "minute-book")


def model_key(folder: Path | None = None) -> str:
    """Names one export: every model file's name, size and modification time (a reinstalled or changed
    model gives a new key without hashing 90 MB at every start), the torch version and EXPORT_VERSION."""
    from importlib.metadata import version

    folder = folder or model_path()
    digest = hashlib.sha256(f"{EXPORT_VERSION}|torch {version('torch')}|opset {OPSET}".encode())
    for f in sorted(p for p in folder.rglob("*") if p.is_file()):
        stat = f.stat()
        digest.update(f"|{f.relative_to(folder)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def onnx_path() -> Path:
    """Where the ONNX export of the installed model is (or would be), named by its model_key."""
    return cache_dir() / f"all-MiniLM-L6-v2-{model_key()}.onnx"


class OnnxEncoder:
    """Unit-length float32 sentence vectors from an exported MiniLM."""

    name = "onnx"

    def __init__(self, path: Path, folder: Path | None = None, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        folder = folder or model_path()
        max_length = json.loads((folder / "sentence_bert_config.json").read_text())["max_seq_length"]
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_length)
        self.tokenizer.no_padding()  # each batch is padded to its own longest text below
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or os.cpu_count() or 1
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Unit-length float32 vectors, one row per text in the order given (encoded shortest first)."""
        encodings = self.tokenizer.encode_batch(list(texts))
        out = np.zeros((len(texts), 384), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), batch_size):
            rows = order[start:start + batch_size]
            out[rows] = self._forward([encodings[i].ids for i in rows])
        return out

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        width = max(len(ids) for ids in batch)
        ids = np.zeros((len(batch), width), dtype=np.int64)  # [PAD] is 0
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, tokens in enumerate(batch):
            ids[row, :len(tokens)] = tokens
            mask[row, :len(tokens)] = 1
        hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                         "token_type_ids": np.zeros_like(ids)})[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)


def load() -> OnnxEncoder | None:
    """The exported encoder for the installed model, or None (with the reason logged) when there is none."""
    path = onnx_path()
    if not path.exists():
        log.warning("no ONNX export of MiniLM at %s (run scripts/setup.sh); encoding with torch", path)
        return None
    try:
        return OnnxEncoder(path)
    except Exception as err:  # a damaged file or a missing runtime: torch still gives the same vectors
        log.warning("the ONNX export %s did not load (%s: %s); encoding with torch", path, type(err).__name__, err)
        return None


def export(target: Path, folder: Path | None = None) -> None:
    """Write the transformer of the model in `folder` as ONNX to `target` (hidden states out; pooling is done
    by OnnxEncoder). Needs torch and the `onnx` package; reads nothing but the local files."""
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(folder or model_path()), local_files_only=True,
                                      attn_implementation="eager").eval()

    class HiddenStates(torch.nn.Module):
        """The transformer alone, returning its last hidden states: what the ONNX graph holds."""

        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            """The last hidden states for a batch of token ids."""
            return self.model(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    example = tuple(torch.ones((2, 8), dtype=torch.long) for _ in INPUTS)
    axes = {name: {0: "batch", 1: "tokens"} for name in (*INPUTS, "last_hidden_state")}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tracer's notes on shapes; the result is checked by build()
        torch.onnx.export(HiddenStates(), example, str(target), input_names=list(INPUTS),
                          output_names=["last_hidden_state"], dynamic_axes=axes, opset_version=OPSET,
                          do_constant_folding=True, dynamo=False)


def agreement(encoder: OnnxEncoder, texts: list[str]) -> float:
    """The lowest cosine between the encoder's vectors and the SentenceTransformer's for `texts`."""
    from assistant.embedder import TorchEncoder

    torch_vectors = TorchEncoder().encode(texts)
    return float((encoder.encode(texts, batch_size=3) * torch_vectors).sum(axis=1).min())


def build(force: bool = False) -> Path | None:
    """Export, check and install the ONNX model unless it is there already; the path, or None when it could
    not be built (the reason is logged; the embedder then uses torch)."""
    path = onnx_path()
    if path.exists() and not force:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, scratch = tempfile.mkstemp(prefix=".export-", suffix=".onnx", dir=path.parent)
    os.close(handle)
    try:
        export(Path(scratch))
        cosine = agreement(OnnxEncoder(Path(scratch)), SAMPLES)
        if cosine < MIN_COSINE:
            log.warning("the ONNX export's vectors differ from torch's (cosine %.5f < %s); not used", cosine, MIN_COSINE)
            return None
        os.chmod(scratch, 0o644)
        os.replace(scratch, path)  # readers see no file or the whole file
        for old in path.parent.glob("all-MiniLM-L6-v2-*.onnx"):
            if old != path:
                old.unlink(missing_ok=True)
        log.warning("exported MiniLM to %s (lowest cosine to torch on the samples %.6f)", path, cosine)
        return path
    except Exception as err:  # no `onnx` package, an exporter change: torch stays the encoder
        log.warning("could not export MiniLM to ONNX (%s: %s); encoding with torch", type(err).__name__, err)
        return None
    finally:
        Path(scratch).unlink(missing_ok=True)


if __name__ == "__main__":
    logging.basicConfig(format="setup: %(message)s", level=logging.WARNING)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    build(force="--force" in sys.argv)
