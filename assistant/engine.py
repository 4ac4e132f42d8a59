"""The one object the CLI, the chat and LangChain use: an archive, its retriever and the answer composer."""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import replace
from itertools import zip_longest
from pathlib import Path

from assistant import answer as answering, evidence
from assistant.archive import Archive
from assistant.filters import Filters
from assistant.query import understand, without_names
from assistant.records import PUBLIC, Passage
from assistant.retrieve import Hit, Retriever
from assistant.settings import (COMPARED_COUNCILS, COMPARED_SIMILARITY, MATCH_COVERAGE, MATCH_SIMILARITY,
                                PASSAGE_LIMIT)
from assistant.text import keyword_terms

_CONNECTIVE = re.compile(r"^\s*(and|but|so|also|then|what about|how about)\b", re.I)
log = logging.getLogger("assistant.engine")
_REFERENCE = re.compile(r"\b(they|them|their|it|its|that|this|those|these|he|she)\b", re.I)
# words that say what a follow-up asks (a decision, a discussion), not what it is about
_ASKING = re.compile(r"^(?:resolv|decid|decision|agree|order|discuss|said|say|happen|consider|report|chang|track)", re.I)
_BODY_WORDS = {"committee", "council", "scrutiny", "overview", "cabinet", "executive", "panel", "forum", "board"}
_PROCEDURAL_TITLE = re.compile(r"apolog|declaration|minutes|next meeting|exclusion of the press|election|participation|"
                               r"work programme|other business|urgent|chair|council\b$|^items?\b", re.I)
_OR = re.compile(r"\s+or\s+", re.I)
# "Find every discussion of X" lists passages about X; the framing words are not searched for
_LISTING = re.compile(r"^\s*(?:please\s+)?(?:find|list|show)(?:\s+me)?(?:\s+(?:every|all|each|any))?(?:\s+(?:the\s+)?"
                      r"(?:past\s+)?(?:discussions?|mentions?|passages?|times?|references?|records?|meetings?)"
                      r"(?:\s+(?:that\s+)?(?:of|about|on|to|which|where|when|discussed|mentioned|mentioning))?)?\s+", re.I)


class Engine:
    """An archive opened for reading: search, cited answers, passage listings and the records behind them.
    IndexMissing when the index is not there."""

    def __init__(self, index_dir: str = "index", chroma_url: str | None = None, generator=None) -> None:
        """`generator`: None (extractive answers, the default), a generate.Generator or a spec string."""
        self.archive = Archive(index_dir, chroma_url)
        self.retriever = Retriever(self.archive)
        if isinstance(generator, str):
            from assistant.generate import make_generator

            generator = make_generator(generator)
        self.generator = generator
        self.lock = threading.RLock()  # adding records and reading them do not overlap

    def search(self, query: str, k: int = 5, filters: Filters = Filters()) -> list[Hit]:
        """The `k` best passages for `query` within `filters`, best first (Retriever.search)."""
        return self.retriever.search(query, k=k, filters=filters)

    def ask(self, question: str, k: int = 5, filters: Filters = Filters(),
            history: list[str] | None = None) -> answering.Answer:
        """A short answer to `question` citing the records (a follow-up made to stand alone with `history`), or one
        saying they do not answer it when the evidence is weak; a generator's answer replaces it where verified."""
        standalone = standalone_question(question, history or [], *self.retriever.names())
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
        resolved = self.retriever.resolve(scoped)
        if q.intent == "timeline" and hits:  # a meeting's line may come from any passage of the item found
            hits = self.retriever.with_items_whole(hits, resolved)
        verdict = evidence.judge(q, hits, self.archive.store, resolved)
        weights = None if verdict.weak else self.archive.store.term_weights(keyword_terms(q.searched_text()))
        result = answering.compose(q, hits, scoped, verdict.reason if verdict.weak else None, weights)
        if not result.abstained and (after := evidence.judge_answer(q, result.citations, hits)).weak:
            result = answering.abstain(q, hits, scoped, after.reason)
        if self.generator is not None and not result.abstained:
            result = self._generated(standalone, hits) or result
        result.question = question
        return result

    def passages(self, query: str, filters: Filters = Filters(), limit: int = PASSAGE_LIMIT) -> list[Hit]:
        """Every passage about `query` (at most `limit`), best first, for listing rather than answering.
        "recruitment or inclusion" searches each side and merges them, taking turns by rank; a passage is
        listed when it holds half its side's words or is close to it, not merely because it ranked."""
        from assistant.answer import coverage

        sides = [side.strip(" ?.!") for side in _OR.split(listing_topic(query))]
        found: list[list[Hit]] = []
        for side in (s for s in sides if s):
            terms = understand(side).topic_terms() or keyword_terms(side)
            hits = self.retriever.search(side, k=limit, filters=filters)
            found.append([h for h in hits if coverage(terms, h.passage.context_text()) >= MATCH_COVERAGE
                          or (h.similarity or 0.0) >= MATCH_SIMILARITY])
        merged: dict[str, Hit] = {}
        for rank in zip_longest(*found):
            for hit in rank:
                if hit is not None and hit.passage.passage_id not in merged:
                    merged[hit.passage.passage_id] = hit
        return list(merged.values())[:limit]

    def facts(self, role: str = "public") -> dict:
        """What the archive holds as `role` may see it (Archive.stats) and when it was last changed (ISO time,
        UTC); the example topics are always public decisions."""
        from datetime import datetime, timezone

        stats = self.archive.stats(role)
        db = self.archive.index_dir / "passages.sqlite"
        stats["updated"] = (datetime.fromtimestamp(db.stat().st_mtime, timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
                            if db.exists() else None)
        # recent decisions' item titles, for example questions the archive can answer
        rows = self.archive.store.db.execute(
            "SELECT title, committee, council, date FROM passages WHERE is_decision = 1 AND title IS NOT NULL "
            "AND access = ? ORDER BY date DESC", (PUBLIC,))
        topics: dict[str, dict] = {}
        for title, committee, council, when in rows:
            name = " ".join(title.split())
            if name.isupper():
                name = name.capitalize()
            if 2 <= len(name.split()) <= 8 and not _PROCEDURAL_TITLE.search(name) and name.lower() not in topics:
                topics[name.lower()] = {"title": name, "committee": committee, "council": council, "date": when}
        stats["topics"] = list(topics.values())
        return stats

    def record(self, passage_id: str, role: str = "public") -> tuple[Passage, list[Passage], Path | None] | None:
        """The passage, the passages of its record the reader may see (in order) and the record's file (None
        when part of it is restricted for this reader), for Open record; None unless the passage is in the
        index, the reader may see it, and its source file is there."""
        found = self.archive.store.passages([passage_id]).get(passage_id)
        if found is None or (role != "officer" and found.access != PUBLIC):
            return None
        if found.source not in set(self.archive.store.sources()):
            return None
        path = self.archive.path_of(found.source)
        if not path.is_file():
            return None
        # the store keeps a record's passages in the order they were read (rowid)
        ids = [r[0] for r in self.archive.store.db.execute(
            "SELECT passage_id FROM passages WHERE source=? ORDER BY rowid", (found.source,))]
        by_id = self.archive.store.passages(ids)
        visible = [by_id[i] for i in ids if i in by_id and (role == "officer" or by_id[i].access == PUBLIC)]
        # a file that also holds restricted passages is not handed to a reader who may not see them
        return found, visible, path if len(visible) == len(by_id) else None

    def add_records(self, paths: list[str | Path], log=lambda line: None):
        """Index more files (Archive.ingest) and forget the cached council and committee names."""
        with self.lock:
            report = self.archive.ingest(paths, log=log)
            self.retriever._names = None  # a new record may name a new council or committee
        return report

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
        from assistant.generate import for_the_model, generated_lines, renumber

        hits = for_the_model(hits)  # what the model is shown is what its [n] and verify count
        if not hits:
            return None
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


def standalone_question(question: str, history: list[str], councils: list[str] = (), committees: list[str] = ()) -> str:
    """A follow-up made to stand alone with the topic of the last question: after "How has social worker
    recruitment been discussed since 2020?", "and what did they decide?" becomes "what did they decide about
    social worker recruitment?" (a decision question, not the same timeline again). The bodies and years the
    last question named are left out: they are its scope, which the chat carries over as filters."""
    if not history:
        return question
    # a question with a topic of its own stands alone, even with "its" in it
    vague = _REFERENCE.search(question) and len(keyword_terms(question)) <= 2
    if not (_CONNECTIVE.match(question) or vague):
        return question
    if re.match(r"^\s*(?:what|how) about\b", question, re.I):  # "what about 2022?": the last question, changed
        return f"{history[-1].rstrip('?. ')} — {question}"
    previous = understand(history[-1], list(councils), list(committees))
    named = {w for body in previous.councils + previous.committees for w in keyword_terms(body)} | _BODY_WORDS
    topic_words = {t for t in previous.topic_terms() if not _ASKING.match(t) and t not in named}
    # the topic in the words and order the last question used ("Ofsted improvement plan")
    topic = " ".join(w for w in re.findall(r"[\w'’-]+", history[-1]) if re.sub(r"['’]s$", "", w.lower()) in topic_words)
    if not topic:
        return f"{history[-1].rstrip('?. ')} — {question}"
    asked = _CONNECTIVE.sub("", question).strip(" ,?.") or question.strip(" ?.")
    if re.search(r"\s(?:it|that|this|them)$", asked, re.I):  # "who presented it" → "who presented the Ofsted…"
        return f"{asked.rsplit(None, 1)[0]} the {topic}?"
    return f"{asked} about the {topic}?"


def listing_topic(query: str) -> str:
    """"Find every discussion of recruitment or inclusion" → "recruitment or inclusion"."""
    rest = _LISTING.sub("", query, count=1).strip()
    return rest or query
