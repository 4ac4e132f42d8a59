"""Ingest throughput against the encoder alone on the same passages, in one process.

The passages are those ingest embeds: every file under --docs (default corpus/) parsed once, each
passage's Passage.context_text() (committee, heading, text). Timed in each of --rounds rounds:

  ingest    Archive.ingest(docs) into a new temp index (find, stamp, read, hash, parse, embed, write
            Chroma and SQLite): passages added per second of the whole call
  encoder   the encoder the assistant uses (embedder.encoder(): ONNX when exported) on all the
            texts in one call: its best case, every text sorted by length
  torch     the SentenceTransformer on torch, the same way

Both encoders are loaded and warmed first; each rate is the best of its rounds (the machine is
shared: the best is the least disturbed), and ratio is the median over rounds of ingest ÷ encoder
timed back to back (load that drifts between rounds cancels; the ratio of the bests is printed too).
Also times one uncached question with each encoder.

Prints a table, then one JSON line last:
  {"passages_per_s", "encoder_passages_per_s", "torch_passages_per_s", "ratio", ...}
ratio 1.0: ingest costs nothing beyond encoding; speedup: the median over rounds of encoder ÷ torch.

Run from the repository root:  .venv/bin/python bench/ingest_throughput.py [--docs DIR] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import embedder, ingest  # noqa: E402
from assistant.archive import Archive  # noqa: E402
from assistant.evaluate import load_questions  # noqa: E402
from assistant.parse import parse_file  # noqa: E402


def passages_of(docs: Path, scratch: Path) -> list[str]:
    """The texts ingest would embed for `docs` (files it would skip are skipped here too)."""
    report = ingest.IngestReport()
    archive = Archive(scratch / "find", create=True)
    files, _, manifest = ingest.find_files(archive, [docs], None, report, log=lambda line: None)
    texts = []
    for path in files:
        try:
            _, passages = parse_file(path, manifest, archive.base)
        except Exception:
            continue
        texts.extend(p.context_text() for p in {p.passage_id: p for p in passages}.values())
    return texts


def per_second(work, count: int) -> float:
    started = time.perf_counter()
    work()
    return count / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", default=str(ROOT / "corpus"), help="folder of records (default corpus/)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)

    scratch = Path(tempfile.mkdtemp(prefix="bench-throughput-"))
    texts = passages_of(Path(args.docs), scratch)
    chosen, torch = embedder.encoder(), embedder.TorchEncoder()
    questions = [q["question"] for f in sorted((ROOT / "bench" / "questions").glob("*.jsonl")) for q in load_questions(f)][:40]
    for encoder in (chosen, torch):  # load and warm both
        encoder.encode(texts[:64])
    query_ms = {}
    for encoder in (chosen, torch):
        times = []
        for q in questions:
            started = time.perf_counter()
            encoder.encode([q])
            times.append(1000 * (time.perf_counter() - started))
        query_ms[encoder.name] = statistics.median(times)

    results: dict[str, list[float]] = {"ingest": [], "encoder": [], "torch": []}
    added = []

    def run_ingest() -> None:
        report = Archive(scratch / f"index-{len(added)}", create=True).ingest([args.docs], log=lambda line: None)
        added.append(report.passages_added)

    work = {"ingest": run_ingest, "encoder": lambda: chosen.encode(texts), "torch": lambda: torch.encode(texts)}
    ratios, speedups = [], []
    for r in range(args.rounds):  # ingest and the encoder back to back, in turn first: the load on a shared
        pair = ["ingest", "encoder"] if r % 2 == 0 else ["encoder", "ingest"]  # machine drifts between rounds
        for name in ["torch", *pair]:
            if name == "ingest":
                started = time.perf_counter()
                run_ingest()
                results[name].append(added[-1] / (time.perf_counter() - started))
            else:
                results[name].append(per_second(work[name], len(texts)))
        ratios.append(results["ingest"][-1] / results["encoder"][-1])
        speedups.append(results["encoder"][-1] / results["torch"][-1])
        print(f"  round {r + 1}: " + ", ".join(f"{k} {v[-1]:.1f}/s" for k, v in results.items())
              + f", ratio {ratios[-1]:.3f}", file=sys.stderr)
    shutil.rmtree(scratch, ignore_errors=True)
    assert all(n == len(texts) for n in added), (added, len(texts))
    best = {name: max(values) for name, values in results.items()}
    print(f"{len(texts)} passages from {args.docs}; best of {args.rounds} rounds (passages a second)\n")
    print("| | passages/s | × torch |\n|---|---:|---:|")
    for name in ("torch", "encoder", "ingest"):
        print(f"| {name if name != 'encoder' else f'encoder ({chosen.name})'} | {best[name]:.1f} | {best[name] / best['torch']:.2f} |")
    print(f"\nquestion encoding p50: {chosen.name} {query_ms[chosen.name]:.1f} ms, torch {query_ms['torch']:.1f} ms")
    print(json.dumps({"passages_per_s": round(best["ingest"], 1), "encoder_passages_per_s": round(best["encoder"], 1),
                      "torch_passages_per_s": round(best["torch"], 1), "ratio": round(statistics.median(ratios), 3),
                      "ratio_of_bests": round(best["ingest"] / best["encoder"], 3),
                      "encoder": chosen.name, "speedup": round(statistics.median(speedups), 2),
                      "passages": len(texts), "query_encode_p50_ms": round(query_ms[chosen.name], 1),
                      "torch_query_encode_p50_ms": round(query_ms["torch"], 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
