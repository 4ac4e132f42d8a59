"""Would another sentence embedder do better than MiniLM? Recall, answers and speed with one model.

Builds a temp index of each question set's documents with the given model (default: the
project's all-MiniLM-L6-v2), then reports hybrid Recall@1/5 and MRR, answer citation precision,
coverage and answer rate (assistant.evaluate, as `eval --answers`), the dense half's Recall@5 and
MRR, the index build time and the p50 time to encode one question. Run it once per model and
compare the lines; timings are only comparable between runs on the same quiet machine.

  .venv/bin/python bench/embedders.py                       # MiniLM, the default
  .venv/bin/python bench/embedders.py --model DIR           # any sentence-transformers folder

Sets: demo (corpus/ with bench/questions/*.jsonl) and qmsum-val (../shared/eval/qmsum-committee/val).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import embedder  # noqa: E402
from assistant.archive import Archive  # noqa: E402
from assistant.engine import Engine  # noqa: E402
from assistant.evaluate import evaluate, first_hit_rank, load_questions, retrieval_scores  # noqa: E402
from assistant.retrieve import Retriever  # noqa: E402

QMSUM_VAL = ROOT.parent / "shared" / "eval" / "qmsum-committee" / "val"


def demo_questions(folder: Path) -> Path:
    path = folder / "demo.jsonl"
    path.write_text("".join(f.read_text(encoding="utf-8") for f in sorted((ROOT / "bench" / "questions").glob("*.jsonl"))),
                    encoding="utf-8")
    return path


def measure(name: str, docs: Path, questions: Path, label: str) -> str:
    index = Path(tempfile.mkdtemp(prefix="embedders-"))
    start = time.perf_counter()
    Archive(index, create=True).ingest([docs], log=lambda line: None)
    build = time.perf_counter() - start
    engine = Engine(str(index))
    both = evaluate(engine, questions, progress=False, answers=True)
    dense = Retriever(engine.archive, use_keyword=False)
    items = [item for item in load_questions(questions) if item["gold"]]
    ranks = [first_hit_rank([h.passage.text for h in dense.search(item["question"], k=10)], item["gold"]) for item in items]
    alone = retrieval_scores(ranks)
    embedder.embed_query.cache_clear()
    times = []
    for item in items[:40]:
        began = time.perf_counter()
        embedder.embed([item["question"]])
        times.append(time.perf_counter() - began)
    return (f"{label} {name}: build {build:.0f} s | hybrid R@1 {both['recall@1']:.3f} R@5 {both['recall@5']:.3f} "
            f"MRR {both['mrr']:.3f} | answers P {both['citation_precision']:.3f} coverage {both['answer_coverage']:.3f} "
            f"answered {both['answer_rate']:.3f} | dense R@5 {alone['recall@5']:.3f} MRR {alone['mrr']:.3f} | "
            f"encode p50 {1000 * statistics.median(times):.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", help="a sentence-transformers model folder (default: the project's MiniLM)")
    args = parser.parse_args()
    label = "MiniLM"
    if args.model:
        from sentence_transformers import SentenceTransformer

        embedder._encoder = embedder.TorchEncoder(SentenceTransformer(args.model, device="cpu", local_files_only=True))
        label = Path(args.model).name
    work = Path(tempfile.mkdtemp(prefix="embedders-q-"))
    print(measure("demo", ROOT / "corpus", demo_questions(work), label), flush=True)
    print(measure("qmsum-val", QMSUM_VAL / "docs", QMSUM_VAL / "questions.jsonl", label), flush=True)


if __name__ == "__main__":
    main()
