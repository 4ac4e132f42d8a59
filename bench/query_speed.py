"""Warm query latency of Engine.search, as ratios against a bare Chroma query in the same process.

The demo corpus (corpus/) is ingested into a temp index. About 50 questions from
bench/questions/*.jsonl are searched (k=10) in five ways:

  baseline        collection.query(query_embeddings=[v], n_results=10) on the index's Chroma
                  collection, no filter, v = the same query vector Engine.search uses
  unfiltered      Engine.search(q, k=10)
  committee       Engine.search(q, k=10, Filters(committee=C)), C cycling through the index's committees
  date-range      Engine.search(q, k=10, Filters(since=2021-01-01, until=2022-12-31))
  decisions-only  Engine.search(q, k=10, Filters(decisions_only=True))

"Warm" means every question has been searched once in every mode first, so the query vector is
in the engine's cache and the indexes are in memory: the numbers are the retrieval work
(Chroma + SQLite FTS5 + fusion, boosts, de-duplication), not model encoding. The cost of
encoding a query (uncached MiniLM forward pass) is shown as its own row for scale.
Samples are interleaved (question by question, modes in rotating order) over several rounds so
machine noise hits every mode alike; the headline is p50/p95 as a multiple of the baseline's,
absolute milliseconds are printed too.

--scale N then adds N synthetic passages to the same temp index (never to index/): random unit
vectors, text stitched from corpus sentences, random council/committee (from the real pairs),
dates 2015-2024 and ~15% decisions; written straight into the Chroma collection and, one
synthetic record per 50 passages, into the SQLite store via Store.replace_record. The same
measurements are repeated at that size, to show what filters cost at e.g. 100k passages.

Run from the repository root:  .venv/bin/python bench/query_speed.py [--scale 100000] [--json FILE]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from assistant import embedder  # noqa: E402
from assistant.archive import Archive, chroma_metadata  # noqa: E402
from assistant.engine import Engine  # noqa: E402
from assistant.evaluate import load_questions  # noqa: E402
from assistant.filters import Filters  # noqa: E402
from assistant.records import Passage, Record  # noqa: E402

K = 10
MODES = ("baseline", "unfiltered", "committee", "date-range", "decisions-only")
DATE_RANGE = Filters(since="2021-01-01", until="2022-12-31")
PER_RECORD = 50


def pick_questions(n: int) -> list[str]:
    questions: list[str] = []
    for f in sorted((ROOT / "bench" / "questions").glob("*.jsonl")):
        questions.extend(q["question"] for q in load_questions(f))
    if len(questions) <= n:
        return questions
    step = len(questions) / n
    return [questions[int(i * step)] for i in range(n)]


def percentile(values: list[float], p: float) -> float:
    return float(np.percentile(np.array(values), p))


def measure(engine: Engine, questions: list[str], rounds: int) -> dict:
    collection = engine.archive.collection
    committees = engine.archive.store.distinct("committee")

    def run(mode: str, i: int, q: str) -> None:
        if mode == "baseline":
            collection.query(query_embeddings=[embedder.embed_query(q)], n_results=K)
        elif mode == "unfiltered":
            engine.search(q, k=K)
        elif mode == "committee":
            engine.search(q, k=K, filters=Filters(committee=committees[i % len(committees)]))
        elif mode == "date-range":
            engine.search(q, k=K, filters=DATE_RANGE)
        else:
            engine.search(q, k=K, filters=Filters(decisions_only=True))

    encode: list[float] = []
    for i, q in enumerate(questions):  # warm-up: fills the query-vector cache, pages in both indexes
        started = time.perf_counter()
        embedder.embed([q])
        encode.append((time.perf_counter() - started) * 1000)
        for mode in MODES:
            run(mode, i, q)
    samples: dict[str, list[float]] = {m: [] for m in MODES}
    turn = 0
    for _ in range(rounds):
        for i, q in enumerate(questions):
            order = MODES[turn % len(MODES):] + MODES[:turn % len(MODES)]
            turn += 1
            for mode in order:
                started = time.perf_counter()
                run(mode, i, q)
                samples[mode].append((time.perf_counter() - started) * 1000)
    samples["query encoding"] = encode
    base50, base95 = percentile(samples["baseline"], 50), percentile(samples["baseline"], 95)
    out = {}
    for mode, values in samples.items():
        p50, p95 = percentile(values, 50), percentile(values, 95)
        out[mode] = {"p50_ms": round(p50, 2), "p95_ms": round(p95, 2), "p50_x": round(p50 / base50, 2),
                     "p95_x": round(p95 / base95, 2), "samples": len(values)}
    return out


def table(title: str, result: dict) -> str:
    lines = [f"### {title}", "", "| search | p50 × baseline | p95 × baseline | p50 ms | p95 ms |",
             "|---|---:|---:|---:|---:|"]
    for mode, r in result.items():
        lines.append(f"| {mode} | {r['p50_x']:.2f} | {r['p95_x']:.2f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} |")
    return "\n".join(lines)


# ---- synthetic scale-up --------------------------------------------------------------------
def corpus_sentences(archive: Archive) -> list[str]:
    rows = archive.store.db.execute("SELECT text FROM passages").fetchall()
    sentences = [s.strip() for (text,) in rows for s in re.split(r"(?<=[.;:])\s+", text) if 30 <= len(s.strip()) <= 300]
    return sentences or ["The committee noted the report and agreed the recommendations."]


def add_synthetic(archive: Archive, n: int, seed: int = 7) -> float:
    started = time.perf_counter()
    rng = random.Random(seed)
    nprng = np.random.default_rng(seed)
    pairs = archive.store.db.execute(
        "SELECT DISTINCT council, committee FROM passages WHERE council IS NOT NULL AND committee IS NOT NULL").fetchall()
    sentences = corpus_sentences(archive)
    collection = archive.collection
    batch_ids: list[str] = []
    batch_meta: list[dict] = []
    batch_docs: list[str] = []
    max_batch = 5000
    done = 0
    for r in range((n + PER_RECORD - 1) // PER_RECORD):
        council, committee = rng.choice(pairs)
        date = f"{rng.randint(2015, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        source = f"synthetic/{r:06d}-{date}.txt"
        record = Record(source=source, content_hash=hashlib.sha256(source.encode()).hexdigest(), council=council,
                        committee=committee, date=date, item=str(rng.randint(1, 60)), title="Synthetic item",
                        doc_type="minutes")
        passages = []
        for j in range(min(PER_RECORD, n - done)):
            text = " ".join(rng.choice(sentences) for _ in range(rng.randint(3, 6))) + f" (ref {r}.{j})"
            passages.append(Passage(text=text, source=source, council=council, committee=committee, date=date,
                                    item=record.item, title=record.title, heading=record.title, doc_type="minutes",
                                    is_decision=rng.random() < 0.15))
        done += len(passages)
        archive.store.replace_record(record, "synthetic", passages)
        batch_ids += [p.passage_id for p in passages]
        batch_meta += [chroma_metadata(p) for p in passages]
        batch_docs += [p.text for p in passages]
        if len(batch_ids) >= max_batch or done >= n:
            vectors = nprng.standard_normal((len(batch_ids), 384)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            collection.add(ids=batch_ids, embeddings=vectors, documents=batch_docs, metadatas=batch_meta)
            batch_ids, batch_meta, batch_docs = [], [], []
            print(f"  synthetic passages: {done}/{n} ({time.perf_counter() - started:.0f}s)", file=sys.stderr)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=50, help="how many questions (default 50)")
    parser.add_argument("--rounds", type=int, default=3, help="timed passes over the questions per mode (default 3)")
    parser.add_argument("--scale", type=int, default=0, metavar="N", help="then add N synthetic passages and measure again")
    parser.add_argument("--json", metavar="FILE", help="write the numbers as JSON")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    embedder.model()
    questions = pick_questions(args.questions)
    report: dict = {"k": K, "questions": len(questions), "rounds": args.rounds}
    with tempfile.TemporaryDirectory(prefix="bench-speed-") as tmp:
        ingest = Archive(tmp, create=True).ingest([str(ROOT / "corpus")], log=lambda m: print("  " + m, file=sys.stderr))
        engine = Engine(tmp)
        n0 = engine.archive.store.count_passages()
        print(f"indexed corpus/: {n0} passages in {ingest.seconds:.1f}s", file=sys.stderr)
        report["demo"] = {"passages": n0, **measure(engine, questions, args.rounds)}
        outputs = [table(f"Demo scale: {n0} passages, {len(questions)} questions × {args.rounds} rounds, k={K}",
                         {m: report["demo"][m] for m in (*MODES, "query encoding")})]
        if args.scale:
            build = add_synthetic(engine.archive, args.scale)
            engine = Engine(tmp)  # fresh name lists and caches
            n1 = engine.archive.store.count_passages()
            print(f"added {n1 - n0} synthetic passages in {build:.0f}s", file=sys.stderr)
            report["scaled"] = {"passages": n1, "build_seconds": round(build, 1),
                                **measure(engine, questions, args.rounds)}
            outputs.append(table(f"Scaled: {n1} passages ({n1 - n0} synthetic), same questions",
                                 {m: report["scaled"][m] for m in (*MODES, "query encoding")}))
    total = time.perf_counter() - started
    report["seconds"] = round(total, 1)
    print("\n\n".join(outputs))
    print(f"\nbaseline = bare Chroma collection.query, same query vector, no filter, n_results={K}; "
          f"total run {total:.0f}s")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
