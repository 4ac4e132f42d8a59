"""The one object the CLI, the chat and LangChain use: an archive, its retriever and the answer composer."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from itertools import zip_longest

from assistant import answer as answering, evidence
from assistant.archive import Archive
from assistant.filters import Filters
from assistant.query import without_names
from assistant.retrieve import Hit, Retriever
from assistant.store import keyword_terms

_CONNECTIVE = re.compile(r"^\s*(and|but|so|also|then|what about|how about)\b", re.I)
log = logging.getLogger("assistant.engine")
COMPARED_COUNCILS = 5  # "which councils…" looks at most at the five councils with the best passages
# cosine: on the demo archive a council's relevant passages score 0.59-0.73, unrelated ones 0.30-0.45
COMPARED_SIMILARITY = 0.5
_REFERENCE = re.compile(r"\b(they|them|their|it|its|that|this|those|these|he|she)\b", re.I)


class Engine:
    def __init__(self, index_dir: str = "index", chroma_url: str | None = None, generator=None) -> None:
        """`generator`: None (extractive answers, the default), a generate.Generator or a spec string."""
        self.archive = Archive(index_dir, chroma_url)
        self.retriever = Retriever(self.archive)
        if isinstance(generator, str):
            from assistant.generate import make_generator

            generator = make_generator(generator)
        self.generator = generator

    def search(self, query: str, k: int = 5, filters: Filters = Filters()) -> list[Hit]:
        return self.retriever.search(query, k=k, filters=filters)

    def ask(self, question: str, k: int = 5, filters: Filters = Filters(),
            history: list[str] | None = None) -> answering.Answer:
        standalone = standalone_question(question, history or [])
        q = self.retriever.understand(standalone)
        # timelines and comparisons need more meetings than a focused question
        wanted = max(k, 10) if q.intent in ("timeline", "comparison") else k
        scoped = self.retriever.scope(filters, q)
        if q.intent == "comparison" and not scoped.council and q.across_councils():
            hits = self._each_council(standalone, q, scoped)
            if not hits:  # no council's records come close: say so, with the nearest passages of all
                nearest = self.retriever.search(standalone, k=wanted, filters=scoped, question=q)
                result = answering.abstain(q, nearest, scoped, "no council's records come close to the question")
                result.question = question
                return result
        else:
            hits = self.retriever.search(standalone, k=wanted, filters=scoped, question=q)
        verdict = evidence.judge(q, hits, self.archive.store, self.retriever.resolve(scoped))
        weights = None if verdict.weak else self.archive.store.term_weights(keyword_terms(q.text))
        result = answering.compose(q, hits, scoped, verdict.reason if verdict.weak else None, weights)
        if not result.abstained and (after := evidence.judge_answer(q, result.citations, hits)).weak:
            result = answering.abstain(q, hits, scoped, after.reason)
        if self.generator is not None and not result.abstained:
            result = self._generated(standalone, hits) or result
        result.question = question
        return result

    def _each_council(self, question: str, q, filters: Filters, per: int = 5) -> list[Hit]:
        """A comparison across councils: each council's best passages, searched one council at a time (one
        council's many meetings would otherwise crowd out the others), interleaved by rank; a council whose
        records do not speak of the question is left out."""
        found = []
        councils = q.councils
        if not councils:  # "which councils…": those with the best passages, so a large archive costs a few searches
            broad = self.retriever.search(question, k=COMPARED_COUNCILS * per, filters=filters, question=q)
            councils = list(dict.fromkeys(h.passage.council for h in broad if h.passage.council))[:COMPARED_COUNCILS]
        text = without_names(question, councils)  # Harbourside's records are searched without "Kingsmere"
        for council in councils:
            scoped = filters.with_(council=council)
            one = replace(q, text=text, councils=[council], recent=q.recent or q.since_year is not None)
            hits = self.retriever.search(text, k=per, filters=scoped, question=one)
            # a council joins only when one of its passages is close to the question: a planning application
            # "with parking" does not put a parish in a comparison of parking charges
            close = max((h.similarity or 0.0 for h in hits), default=0.0) >= COMPARED_SIMILARITY
            if close and not evidence.judge(one, hits, self.archive.store, self.retriever.resolve(scoped)).weak:
                found.append(hits)
        return [hit for rank in zip_longest(*found) for hit in rank if hit is not None]

    def _generated(self, question: str, hits: list[Hit]) -> answering.Answer | None:
        """The generator's answer, kept only where answer.verify supports it; None → use the extractive one."""
        from assistant.generate import generated_lines, renumber

        try:
            text = self.generator.answer(question, hits)
        except Exception as err:  # server down, timeout, bad reply: the extractive answer stands
            log.warning("generator %s failed (%s: %s); using the extractive answer", self.generator,
                        type(err).__name__, err)
            return None
        kept = answering.verify(generated_lines(text), hits)  # [n] counts passages in the order given
        if not kept:
            log.info("generator %s: no generated sentence was supported by its citations", self.generator)
            return None
        lines, cited = renumber(kept, hits)
        return answering.Answer(question, " ".join(lines), False, cited)


def standalone_question(question: str, history: list[str]) -> str:
    """'and what did they decide?' after a question about recruitment becomes a question about recruitment."""
    if not history:
        return question
    # a question with a topic of its own stands alone, even with "its" in it
    vague = _REFERENCE.search(question) and len(keyword_terms(question)) <= 2
    if not (_CONNECTIVE.match(question) or vague):
        return question
    return f"{history[-1].rstrip('?. ')} — {question}"
