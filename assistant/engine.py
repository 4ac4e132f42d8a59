"""The one object the CLI, the chat and LangChain use: an archive, its retriever and the answer composer."""

from __future__ import annotations

import re

from assistant import answer as answering, evidence
from assistant.archive import Archive
from assistant.filters import Filters
from assistant.retrieve import Hit, Retriever
from assistant.store import keyword_terms

_CONNECTIVE = re.compile(r"^\s*(and|but|so|also|then|what about|how about)\b", re.I)
_REFERENCE = re.compile(r"\b(they|them|their|it|its|that|this|those|these|he|she)\b", re.I)


class Engine:
    def __init__(self, index_dir: str = "index", chroma_url: str | None = None) -> None:
        self.archive = Archive(index_dir, chroma_url)
        self.retriever = Retriever(self.archive)

    def search(self, query: str, k: int = 5, filters: Filters = Filters()) -> list[Hit]:
        return self.retriever.search(query, k=k, filters=filters)

    def ask(self, question: str, k: int = 5, filters: Filters = Filters(),
            history: list[str] | None = None) -> answering.Answer:
        standalone = standalone_question(question, history or [])
        q = self.retriever.understand(standalone)
        # timelines and comparisons need more meetings than a focused question
        wanted = max(k, 8) if q.intent in ("timeline", "comparison") else k
        scoped = self.retriever.scope(filters, q)
        hits = self.retriever.search(standalone, k=wanted, filters=scoped, question=q)
        verdict = evidence.judge(q, hits, self.archive.store, self.retriever.resolve(scoped))
        result = answering.compose(q, hits, scoped, verdict.reason if verdict.weak else None)
        result.question = question
        return result


def standalone_question(question: str, history: list[str]) -> str:
    """'and what did they decide?' after a question about recruitment becomes a question about recruitment."""
    if not history:
        return question
    # a question with a topic of its own stands alone, even with "its" in it
    vague = _REFERENCE.search(question) and len(keyword_terms(question)) <= 2
    if not (_CONNECTIVE.match(question) or vague):
        return question
    return f"{history[-1].rstrip('?. ')} — {question}"
