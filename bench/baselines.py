"""Retrieval quality of this project against the usual baselines, on the same documents, in one run.

For each question set the same documents are indexed five ways (every index lives in a temp dir
built once per run) and every answerable question is searched with k=10:

  langchain-naive   each document's text loaded whole, RecursiveCharacterTextSplitter(1000, 200),
                    a langchain_chroma.Chroma store with the project's MiniLM (all-MiniLM-L6-v2,
                    normalised) wrapped as LangChain Embeddings, similarity_search(q, k=10)
  bm25-naive        rank_bm25.BM25Okapi over the SAME naive chunks (lowercase \\w+ tokens)
  project           Archive(tmp).ingest(docs) + Engine(tmp).search(q, k=10): the hybrid search
  project-dense     the project's index, Retriever(use_keyword=False): dense half only
  project-keyword   the project's index, Retriever(use_dense=False): FTS5 keyword half only

Scoring is assistant.evaluate (is_hit / first_hit_rank / retrieval_scores), the same as
`python -m assistant eval`: a hit shares at least half of its word 5-grams with a gold passage
(or covers half of one). Recall@1/5/10 and MRR over the answerable questions (empty gold =
unanswerable, skipped). "ms/query" is the mean wall time of one search call, query encoding
included, measured in this process after one warm-up query per system; the process-local
query-vector cache of the project is cleared before each system so no system reuses another's
encodings. Timings on shared machines are noisy; compare them within a run only.

Question sets:
  qmsum-val    ../shared/eval/qmsum-committee/val (docs/*.txt + questions.jsonl)
  qmsum-train  the same for train/ (only with --train)
  demo         corpus/ with every bench/questions/*.jsonl

Run from the repository root:  .venv/bin/python bench/baselines.py [--train] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from assistant import embedder, loaders  # noqa: E402
from assistant.evaluate import first_hit_rank, load_questions, retrieval_scores  # noqa: E402
from assistant.metadata import MANIFEST_NAMES  # noqa: E402

EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "qmsum-committee"
K = 10
SYSTEMS = ("langchain-naive", "bm25-naive", "project", "project-dense", "project-keyword")


# ---- documents and questions ------------------------------------------------------------------
def doc_files(paths: list[Path]) -> list[Path]:
    """The files Archive.ingest would read under these paths (no manifests, READMEs or hidden files)."""
    files: list[Path] = []
    for path in paths:
        for f in sorted(path.rglob("*")):
            if (f.is_file() and f.suffix.lower() in loaders.SUFFIXES and f.name not in MANIFEST_NAMES
                    and f.name.lower() != "readme.md" and not any(p.startswith(".") for p in f.relative_to(path).parts)):
                files.append(f)
    return files


def whole_text(path: Path) -> str:
    """The naive loader: the document's raw text in one piece (pages joined), no clean-up."""
    return "\n\n".join(loaders.load(path).pages)


def question_sets(train: bool) -> list[dict]:
    sets = [{"name": "qmsum-val", "docs": [EVAL / "val" / "docs"], "questions": load_questions(EVAL / "val" / "questions.jsonl")}]
    if train:
        sets.append({"name": "qmsum-train", "docs": [EVAL / "train" / "docs"],
                     "questions": load_questions(EVAL / "train" / "questions.jsonl")})
    demo: list[dict] = []
    for f in sorted((ROOT / "bench" / "questions").glob("*.jsonl")):
        demo.extend(load_questions(f))
    sets.append({"name": "demo", "docs": [ROOT / "corpus"], "questions": demo})
    return sets


# ---- baselines -----------------------------------------------------------------------------
def minilm_embeddings():
    from langchain_core.embeddings import Embeddings

    class MiniLM(Embeddings):
        """The project's sentence model as LangChain Embeddings (unit-length vectors)."""

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return embedder.embed(list(texts)).tolist()

        def embed_query(self, text: str) -> list[float]:
            return embedder.embed([text])[0].tolist()

    return MiniLM()


def naive_chunks(files: list[Path]) -> list:
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    docs = []
    for f in files:
        try:
            docs.append(Document(page_content=whole_text(f), metadata={"source": str(f)}))
        except loaders.Unreadable as err:
            print(f"  naive loader skipped {f}: {err}", file=sys.stderr)
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    return splitter.split_documents(docs)


def build_langchain(chunks: list, tmp: Path):
    from chromadb.config import Settings
    from langchain_chroma import Chroma

    store = Chroma(collection_name="naive", embedding_function=minilm_embeddings(), persist_directory=str(tmp),
                   client_settings=Settings(anonymized_telemetry=False))
    ids = [str(i) for i in range(len(chunks))]
    for start in range(0, len(chunks), 2000):
        store.add_documents(chunks[start:start + 2000], ids=ids[start:start + 2000])
    return lambda q: [d.page_content for d in store.similarity_search(q, k=K)]


def tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def build_bm25(chunks: list):
    from rank_bm25 import BM25Okapi

    texts = [c.page_content for c in chunks]
    bm25 = BM25Okapi([tokens(t) for t in texts])

    def search(q: str) -> list[str]:
        scores = bm25.get_scores(tokens(q))
        top = np.argsort(-scores, kind="stable")[:K]
        return [texts[i] for i in top]

    return search


# ---- this project ----------------------------------------------------------------------------
def build_project(doc_paths: list[Path], tmp: Path) -> dict:
    from assistant.archive import Archive
    from assistant.engine import Engine
    from assistant.retrieve import Retriever

    report = Archive(tmp, create=True).ingest([str(p) for p in doc_paths], log=lambda m: print("  " + m, file=sys.stderr))
    engine = Engine(str(tmp))
    dense = Retriever(engine.archive, use_keyword=False)
    keyword = Retriever(engine.archive, use_dense=False)
    return {
        "report": report,
        "project": lambda q: [h.passage.text for h in engine.search(q, k=K)],
        "project-dense": lambda q: [h.passage.text for h in dense.search(q, k=K)],
        "project-keyword": lambda q: [h.passage.text for h in keyword.search(q, k=K)],
    }


# ---- running ---------------------------------------------------------------------------------
def run_system(search, questions: list[dict]) -> tuple[dict, list[int | None]]:
    embedder.embed_query.cache_clear()
    search("warm-up query about the council budget")
    embedder.embed_query.cache_clear()
    ranks: list[int | None] = []
    times: list[float] = []
    for item in questions:
        started = time.perf_counter()
        texts = search(item["question"])
        times.append((time.perf_counter() - started) * 1000)
        ranks.append(first_hit_rank(texts, item["gold"]))
    scores = retrieval_scores(ranks)
    scores["ms_per_query"] = statistics.fmean(times) if times else 0.0
    scores["ms_p50"] = statistics.median(times) if times else 0.0
    return scores, ranks


def run_set(qset: dict, workdir: Path) -> dict:
    name = qset["name"]
    answerable = [q for q in qset["questions"] if q.get("gold")]
    files = doc_files(qset["docs"])
    print(f"[{name}] {len(files)} documents, {len(answerable)} answerable of {len(qset['questions'])} questions",
          file=sys.stderr)
    started = time.perf_counter()
    chunks = naive_chunks(files)
    systems = {"langchain-naive": build_langchain(chunks, workdir / f"{name}-langchain"), "bm25-naive": build_bm25(chunks)}
    naive_s = time.perf_counter() - started
    started = time.perf_counter()
    project = build_project(qset["docs"], workdir / f"{name}-project")
    project_s = time.perf_counter() - started
    systems.update({k: v for k, v in project.items() if k != "report"})
    print(f"[{name}] naive: {len(chunks)} chunks in {naive_s:.1f}s; project: {project['report'].passages_added} passages "
          f"in {project_s:.1f}s, skipped {len(project['report'].skipped)}", file=sys.stderr)
    results: dict = {"set": name, "documents": len(files), "questions": len(answerable),
                     "naive_chunks": len(chunks), "project_passages": project["report"].passages_added,
                     "build_seconds": {"naive": round(naive_s, 1), "project": round(project_s, 1)}, "systems": {}}
    per_question: dict[str, list] = {}
    for system in SYSTEMS:
        scores, ranks = run_system(systems[system], answerable)
        results["systems"][system] = scores
        per_question[system] = ranks
        print(f"[{name}] {system}: R@10 {scores['recall@10']:.3f} MRR {scores['mrr']:.3f} "
              f"{scores['ms_per_query']:.1f} ms/query", file=sys.stderr)
    results["per_question"] = [
        {"id": q["id"], "question": q["question"], **{s: per_question[s][i] for s in SYSTEMS}}
        for i, q in enumerate(answerable)]
    return results


def markdown(all_results: list[dict]) -> str:
    lines = ["| set | system | Recall@1 | Recall@5 | Recall@10 | MRR | ms/query |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for res in all_results:
        for system in SYSTEMS:
            s = res["systems"][system]
            lines.append(f"| {res['set']} ({res['questions']} q) | {system} | {s['recall@1']:.3f} | {s['recall@5']:.3f} | "
                         f"{s['recall@10']:.3f} | {s['mrr']:.3f} | {s['ms_per_query']:.1f} |")
    return "\n".join(lines)


def losses(res: dict) -> list[str]:
    """Questions where a baseline ranks a hit better than the project (or finds one it misses)."""
    out = []
    for q in res["per_question"]:
        mine = q["project"] or 99
        for base in ("langchain-naive", "bm25-naive"):
            theirs = q[base] or 99
            if theirs < mine and (mine > 10 or theirs <= 5 < mine or theirs == 1):
                out.append(f"  {q['id']}: project rank {q['project']}, {base} rank {q[base]} — {q['question'][:90]}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", action="store_true", help="also run the QMSum committee train set (284 questions)")
    parser.add_argument("--json", metavar="FILE", help="write the numbers (and per-question ranks) as JSON")
    parser.add_argument("--losses", action="store_true", help="list questions where a naive baseline beats the project")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    embedder.model()
    all_results = []
    with tempfile.TemporaryDirectory(prefix="bench-baselines-") as tmp:
        for qset in question_sets(args.train):
            all_results.append(run_set(qset, Path(tmp)))
    total = time.perf_counter() - started
    print(markdown(all_results))
    print(f"\nk={K}; ms/query = mean wall time per search in this process (query encoding included); "
          f"total run {total:.0f}s")
    if args.losses:
        for res in all_results:
            rows = losses(res)
            if rows:
                print(f"\n{res['set']}: questions where a naive baseline does better")
                print("\n".join(rows))
    if args.json:
        Path(args.json).write_text(json.dumps({"k": K, "seconds": round(total, 1), "sets": all_results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
