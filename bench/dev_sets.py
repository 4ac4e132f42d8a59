"""Retrieval and answer figures on every development set, as `python -m assistant eval --answers` prints them.

Sets (each indexed once into its own folder under --work, re-ingest is incremental):
  parish-dev   ../shared/eval/parish-dev (77 real parish minutes, 57 questions)
  parish-extra the same 77 records, 36 questions we wrote (bench/parish_extra_questions.jsonl) about 15 records
               no parish-dev question uses, to see how the assistant does on questions it was not tuned on
  parish-fresh the same 77 records, 36 more questions (bench/parish_fresh_questions.jsonl) about 16 records no
               other question uses, written after parish-extra had been tuned on
  qmsum-train  ../shared/eval/qmsum-committee/train (24 transcripts, 284 questions)
  qmsum-val    ../shared/eval/qmsum-committee/val (6 transcripts, 67 questions)
  demo         corpus/ with bench/questions/*.jsonl
  seeds        bench/seeds with bench/seed_questions.jsonl

Prints one table row per set, then the figures as one JSON line. `--details FILE` writes one JSON
line per question (rank of the first hit, abstained, answer, whether a cited passage is a hit) for
reading failures.

Run from the repository root:  .venv/bin/python bench/dev_sets.py [--sets parish-dev,demo] [--details F]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.archive import Archive  # noqa: E402
from assistant.engine import Engine  # noqa: E402
from assistant.evaluate import answer_scores, first_hit_rank, is_hit, load_questions, retrieval_scores  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
K = 10
SHARED_INDEX = {"parish-extra": "parish-dev", "parish-fresh": "parish-dev"}  # sets that ask about the same records share their index


def sets() -> dict[str, tuple[list[Path], list[dict]]]:
    demo = [q for f in sorted((ROOT / "bench" / "questions").glob("*.jsonl")) for q in load_questions(f)]
    out = {
        "parish-dev": ([EVAL / "parish-dev" / "docs"], EVAL / "parish-dev" / "questions.jsonl"),
        "parish-extra": ([EVAL / "parish-dev" / "docs"], ROOT / "bench" / "parish_extra_questions.jsonl"),
        "parish-fresh": ([EVAL / "parish-dev" / "docs"], ROOT / "bench" / "parish_fresh_questions.jsonl"),
        "qmsum-train": ([EVAL / "qmsum-committee" / "train" / "docs"], EVAL / "qmsum-committee" / "train" / "questions.jsonl"),
        "qmsum-val": ([EVAL / "qmsum-committee" / "val" / "docs"], EVAL / "qmsum-committee" / "val" / "questions.jsonl"),
        "demo": ([ROOT / "corpus"], demo),
        "seeds": ([ROOT / "bench" / "seeds"], ROOT / "bench" / "seed_questions.jsonl"),
    }
    return {name: (docs, qs if isinstance(qs, list) else load_questions(qs)) for name, (docs, qs) in out.items()
            if all(d.exists() for d in docs)}


def run(name: str, docs: list[Path], questions: list[dict], work: Path, details) -> dict:
    index = work / SHARED_INDEX.get(name, name)
    Archive(index, create=True).ingest(docs, log=lambda line: None)
    engine = Engine(str(index))
    ranks, answered = [], []
    for item in questions:
        rank = None
        if item.get("gold"):
            hits = engine.search(item["question"], k=K)
            rank = first_hit_rank([h.passage.text for h in hits], item["gold"])
            ranks.append(rank)
        out = engine.ask(item["question"]).to_json()
        answered.append((item, out))
        if details:
            cited = {c["n"]: c for c in out["citations"]}
            markers = list(map(int, re.findall(r"\[(\d+)\]", out["answer"])))
            right = [n for n in markers if n in cited and item.get("gold") and is_hit(cited[n]["text"], item["gold"])]
            details.write(json.dumps({"set": name, "id": item.get("id"), "kind": item.get("kind"),
                                      "question": item["question"], "rank": rank, "abstained": out["abstained"],
                                      "cited_right": bool(right), "markers": len(markers),
                                      "right_markers": len(right), "answer": out["answer"],
                                      "reference": item.get("answer")}) + "\n")
    return {"set": name, **retrieval_scores(ranks), **answer_scores(answered)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="", help="comma-separated names (default: all found)")
    parser.add_argument("--work", default="/tmp/minute-book-dev-sets", help="folder for the indexes")
    parser.add_argument("--details", help="write one JSON line per question here")
    args = parser.parse_args()
    available = sets()
    names = [n for n in args.sets.split(",") if n] or list(available)
    details = open(args.details, "w", encoding="utf-8") if args.details else None
    rows = []
    print(f"{'set':12} {'R@1':>6} {'R@5':>6} {'MRR':>6} {'prec':>6} {'cover':>6} {'answd':>6} {'abst':>6} {'s':>5}")
    for name in names:
        started = time.perf_counter()
        row = run(name, *available[name], Path(args.work), details)
        rows.append(row)
        abst = row["abstention_accuracy"]
        print(f"{name:12} {row['recall@1']:6.3f} {row['recall@5']:6.3f} {row['mrr']:6.3f} "
              f"{row['citation_precision']:6.3f} {row['answer_coverage']:6.3f} {row['answer_rate']:6.3f} "
              f"{'-' if abst is None else f'{abst:.3f}':>6} {time.perf_counter() - started:5.0f}", flush=True)
    print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
