"""Score retrieval and answers on a question set, as ../shared/eval/README.md describes.

A retrieved passage is a hit when at least half of its word 5-grams (first 1,500 characters)
occur in a gold passage, or at least half of a gold passage's 5-grams occur in it.
Retrieval: Recall@1/5/10 and MRR over answerable questions. Answers (--answers): citation
precision (share of [n] markers whose passage is a hit), answer coverage (answerable questions
answered with at least one hit cited), answer rate, and abstention accuracy on questions the
records do not answer (empty gold).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from assistant.filters import Filters

CUTOFF = 1500


def grams(text: str, n: int = 5) -> set[tuple[str, ...]]:
    """The word `n`-grams of `text`, lower-cased; a text of fewer words is one gram, an empty one none."""
    words = re.findall(r"\w+", text.lower())
    if len(words) < n:
        return {tuple(words)} if words else set()
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def is_hit(passage_text: str, gold: list[str]) -> bool:
    """True when half of the passage's 5-grams occur in a gold passage, or half of a gold passage's occur in it
    (the first CUTOFF characters of each)."""
    mine = grams(passage_text[:CUTOFF])
    if not mine:
        return False
    for g in gold:
        theirs = grams(g[:CUTOFF])
        if not theirs:
            continue
        shared = len(mine & theirs)
        if shared >= 0.5 * len(mine) or shared >= 0.5 * len(theirs):
            return True
    return False


def first_hit_rank(texts: list[str], gold: list[str]) -> int | None:
    """The rank (from 1) of the first of `texts` that is a hit on `gold`; None when none is."""
    return next((rank for rank, text in enumerate(texts, start=1) if is_hit(text, gold)), None)


def retrieval_scores(ranks: list[int | None]) -> dict:
    """Recall@1/5/10 and MRR from each question's first-hit rank (None: no hit among the results)."""
    n = max(1, len(ranks))
    return {
        "questions": len(ranks),
        "recall@1": sum(1 for r in ranks if r and r <= 1) / n,
        "recall@5": sum(1 for r in ranks if r and r <= 5) / n,
        "recall@10": sum(1 for r in ranks if r and r <= 10) / n,
        "mrr": sum(1 / r for r in ranks if r) / n,
    }


def load_questions(path: str | Path) -> list[dict]:
    """The question items of a JSONL file, one per non-blank line."""
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def answer_scores(results: list[tuple[dict, dict]]) -> dict:
    """results: (question item, ask JSON) pairs."""
    markers = correct = answerable = answered = covered = unanswerable = abstained_right = 0
    for item, out in results:
        gold = item.get("gold") or []
        if not gold:
            unanswerable += 1
            abstained_right += bool(out["abstained"])
            continue
        answerable += 1
        if out["abstained"]:
            continue
        answered += 1
        cited = {c["n"]: c for c in out["citations"]}
        hit_any = False
        for n in map(int, re.findall(r"\[(\d+)\]", out["answer"])):
            markers += 1
            if n in cited and is_hit(cited[n]["text"], gold):
                correct += 1
                hit_any = True
        covered += hit_any
    return {
        "citation_precision": correct / markers if markers else 0.0,
        "answer_rate": answered / answerable if answerable else 0.0,
        "answer_coverage": covered / answerable if answerable else 0.0,
        "abstention_accuracy": abstained_right / unanswerable if unanswerable else None,
        "answerable": answerable, "unanswerable": unanswerable,
    }


def evaluate(engine, path: str | Path, k: int = 10, filters: Filters = Filters(), answers: bool = False,
             progress: bool = True) -> dict:
    """The scores of `engine` on the question set at `path`: retrieval over the questions with gold passages and,
    with `answers`, the answer scores of asking every question."""
    from tqdm import tqdm

    questions = load_questions(path)
    ranks: list[int | None] = []
    answered: list[tuple[dict, dict]] = []
    for item in tqdm(questions, desc="eval", unit="q", disable=not progress or len(questions) < 20, file=sys.stderr):
        if item.get("gold"):
            hits = engine.search(item["question"], k=k, filters=filters)
            ranks.append(first_hit_rank([h.passage.text for h in hits], item["gold"]))
        if answers:
            answered.append((item, engine.ask(item["question"], filters=filters).to_json()))
    report = {"file": str(path), **retrieval_scores(ranks)}
    if answers:
        report.update(answer_scores(answered))
    return report


def format_report(report: dict) -> str:
    """The report as the command line prints it: retrieval scores, then answer scores when there are any."""
    lines = [f"{report['file']}: {report['questions']} answerable questions",
             "Recall@1 {recall@1:.3f}  Recall@5 {recall@5:.3f}  Recall@10 {recall@10:.3f}  MRR {mrr:.3f}".format(**report)]
    if "citation_precision" in report:
        abst = report["abstention_accuracy"]
        lines.append(f"citation precision {report['citation_precision']:.3f}  answer coverage {report['answer_coverage']:.3f}  "
                     f"answer rate {report['answer_rate']:.3f}  abstention accuracy "
                     f"{'n/a' if abst is None else f'{abst:.3f}'} ({report['unanswerable']} unanswerable)")
    return "\n".join(lines)
