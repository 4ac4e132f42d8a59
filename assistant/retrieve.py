"""Hybrid retrieval: dense vectors (Chroma) and keywords (SQLite FTS5), fused by weighted standard scores.

Filters run inside both searches. Names and years in the question boost matching passages;
decision questions lift the decision of the matching item; near duplicates are collapsed so
the top results show different things.
"""

from __future__ import annotations

import re
import statistics
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np

from assistant import embedder, filters as filtering, query as query_mod
from assistant.archive import Archive
from assistant.filters import Filters
from assistant.records import Passage
from assistant.settings import (BODY_BOOST, CANDIDATES, DECISION_BOOST, DENSE_WEIGHT, FETCH_MARGIN, KEYWORD_WEIGHT,
                                LEAD_IN_DECAY, LEAD_IN_REACH, LEAD_IN_WEIGHT, OVERFETCH_LIMIT, RECENCY_START,
                                SCORE_UNIT, WHEN_BOOST, WORD_FORM_BOOST, WORD_FORM_LENGTH, YEAR_BOOST)
from assistant.text import WHEN_DATE, keyword_terms, word_form

# the vector half runs here while the keyword half runs in the searching thread: Chroma's query and SQLite's
# both let go of the GIL, so on two cores a search costs the slower half, not both
_VECTOR_SEARCHES = ThreadPoolExecutor(max_workers=4, thread_name_prefix="vector-search")


@dataclass
class _VectorSearch:
    """A vector search running in a worker thread: `fetch` neighbours asked for, `filtered` when the filter is still
    to be applied to them."""

    job: Future
    fetch: int
    filtered: bool


@dataclass
class Hit:
    """A passage a search found: its fused score (higher is better) and its cosine similarity to the query when
    the vector search found it (None when only the keywords did)."""

    passage: Passage
    score: float
    similarity: float | None = None  # cosine similarity of query and passage, when dense found it

    def to_json(self, rank: int) -> dict:
        """The passage object of the command-line contract, with this hit's rank and score."""
        return self.passage.to_json(rank=rank, score=self.score)


class Retriever:
    """Hybrid search over an archive: the vector and keyword halves (either may be turned off), fused, boosted and
    near duplicates collapsed."""

    def __init__(self, archive: Archive, use_dense: bool = True, use_keyword: bool = True) -> None:
        self.archive = archive
        self.use_dense = use_dense
        self.use_keyword = use_keyword
        self.overfetch_limit = OVERFETCH_LIMIT
        self._names: tuple[list[str], list[str]] | None = None
        self._names_generation = None

    def names(self) -> tuple[list[str], list[str]]:
        """The councils and committees the index holds, read again after any ingest (also another process's)."""
        generation = self.archive.store.generation()
        if self._names is None or generation != self._names_generation:
            self._names = (self.archive.store.distinct("council"), self.archive.store.distinct("committee"))
            self._names_generation = generation
        return self._names

    def understand(self, text: str) -> query_mod.Question:
        """The Question `text` asks, read against the councils and committees the index holds."""
        return query_mod.understand(text, *self.names())

    @staticmethod
    def scope(filters: Filters, question: query_mod.Question) -> Filters:
        """The filters plus what the question narrows itself: "in Harbourside" means Harbourside only, and
        "Northwold" the records of Northwold Parish Council under either of its names ("Northwold with
        Whittington Parish Council")."""
        names = {query_mod.short_name(c) for c in question.councils}
        if not filters.council and len(names) == 1:
            only = question.councils[0] if len(question.councils) == 1 else names.pop()
            return filters.with_(council=only, council_implied=True)
        return filters

    def resolve(self, filters: Filters) -> filtering.Resolved:
        """`filters` as an SQL clause, names matched against the councils and committees the index holds."""
        return filtering.resolve(filters, *self.names())

    def search(self, text: str, k: int = 5, filters: Filters = Filters(), question: query_mod.Question | None = None,
               dedupe: bool = True) -> list[Hit]:
        """The `k` best passages for `text` within `filters` and the scope the question sets, best first; [] when
        a council or committee filter matches nothing. Procedural passages come last unless the question is about
        them (when the keyword half is on); near duplicates are collapsed with `dedupe`."""
        question = question or self.understand(text)
        resolved = self.resolve(self.scope(filters, question))
        if resolved.empty:
            return []
        pool = max(CANDIDATES, k * 4)
        vector_search = self._dense_start(text, pool, resolved) if self.use_dense else None
        searched = question.searched_text() if text == question.text else text
        keyword = (self.archive.store.keyword_search(question.keywords(searched), pool, resolved.sql, resolved.params)
                   if self.use_keyword else [])
        dense = self._dense_finish(vector_search, text, pool, resolved) if self.use_dense else []
        similarity = dict(dense)
        fused = fuse([(dense, DENSE_WEIGHT), (keyword, KEYWORD_WEIGHT)])
        passages = self.archive.store.passages(list(fused))
        # part of the keyword half: a dense-only search stays a pure vector search
        forms = {word_form(t) for t in keyword_terms(question.text)
                 if len(t) >= WORD_FORM_LENGTH} if self.use_keyword else set()
        words = re.compile(rf"(?<![a-z0-9])(?:{'|'.join(map(re.escape, forms))})[a-z0-9]*") if forms else None
        for pid, passage in passages.items():
            fused[pid] += self._boost(passage, question) + self._word_form_boost(passage, forms, words)
        # a transcript's exchange that leads into a discussion of the topic counts with it: the turn that
        # raises a topic is where a reader should start, and a discussion runs over several exchanges, so each
        # of the LEAD_IN_REACH exchanges before a candidate gets a share of how far it scores above the weakest,
        # less with each step back, summed over the candidates after it (an exchange that is no candidate joins
        # the candidates this way; a minute's items are separate topics: no such lift)
        lowest = min(fused.values(), default=0.0)
        lifts: dict[str, float] = {}  # summed before any is added, so each share is of the candidate's own score
        for pid, earlier in self.archive.store.earlier_in_transcript(list(passages), LEAD_IN_REACH).items():
            for before, distance in earlier:
                lifts[before] = lifts.get(before, 0.0) + (
                    LEAD_IN_WEIGHT * LEAD_IN_DECAY ** (distance - 1) * (fused[pid] - lowest))
        for pid in passages.keys() & lifts.keys():
            fused[pid] += lifts[pid]
        if outside := {pid: lift for pid, lift in lifts.items() if pid not in passages}:
            # an exchange that was no candidate is read only when its lift takes it among the best 2k
            floor = sorted(fused.values(), reverse=True)[min(len(fused), 2 * k) - 1]
            joining = [pid for pid, lift in outside.items() if lowest + lift > floor]
            if joining and resolved.sql:
                joining = list(self.archive.store.allowed(joining, resolved.sql, resolved.params))
            passages.update(self.archive.store.passages(joining))
            for pid in joining:
                fused[pid] = lowest + lifts[pid]
        # the item a decision question is about: the best match before decisions are lifted
        about = max(passages, key=fused.get) if question.intent == "decision" and passages else None
        for pid, passage in passages.items():
            fused[pid] += self._decision_boost(passage, question)
        ranked = sorted((pid for pid in fused if pid in passages), key=lambda pid: -fused[pid])
        hits = [Hit(passages[pid], fused[pid], similarity.get(pid)) for pid in ranked]
        if about is not None:
            hits = self._decisions_first(hits, passages[about], resolved)
        if self.use_keyword and not question.procedural:  # apologies, roll calls and the last minutes answer only
            # questions about them (part of the ranking, like the word-form boost: a dense-only search stays pure)
            hits = [h for h in hits if not h.passage.is_procedural] + [h for h in hits if h.passage.is_procedural]
        if dedupe:
            hits = collapse_duplicates(hits, limit=k)
        return self._with_similarity(hits[:k], text)

    def _with_similarity(self, hits: list[Hit], text: str) -> list[Hit]:
        """`hits`, each with its cosine similarity to `text`: a passage only the keyword half found has its stored
        vector compared (a long record's best passage can be out of the vector half's reach and still close)."""
        missing = [h.passage.passage_id for h in hits if h.similarity is None]
        if not self.use_dense or not missing:
            return hits
        stored = self.archive.collection.get(ids=missing, include=["embeddings"])
        vector = embedder.embed_query(text)
        near = {pid: float(np.dot(v, vector) / (np.linalg.norm(v) * np.linalg.norm(vector) or 1.0))
                for pid, v in zip(stored["ids"], stored["embeddings"])}
        return [replace(h, similarity=near.get(h.passage.passage_id)) if h.similarity is None else h for h in hits]

    def _dense(self, text: str, n: int, resolved: filtering.Resolved) -> list[tuple[str, float]]:
        """The n passages nearest the question among those the filters allow, with cosine similarity."""
        return self._dense_finish(self._dense_start(text, n, resolved), text, n, resolved)

    def _dense_start(self, text: str, n: int, resolved: filtering.Resolved) -> _VectorSearch | None:
        """The vector search begun in a worker thread (None: the filter allows nothing). Chroma's own `where`
        scans every row's metadata (0.2-0.4 s at 100k passages), so: when the filter allows enough of the
        archive, Chroma is asked for unfiltered neighbours, FETCH_MARGIN times as many as the filter's share
        needs (up to OVERFETCH_LIMIT), and `_dense_finish` keeps those the filter allows; else Chroma searches
        only the filter's ids as SQLite lists them (15-25 ms at 100k, about what 1,000 unfiltered neighbours cost).
        SQLite is read here and in `_dense_finish`, never in the thread: the keyword half holds the one
        connection meanwhile."""
        fetch, ids = n, None
        if resolved.sql:
            share = self.archive.store.share_where(resolved.sql, resolved.params)
            fetch = max(2 * n, int(FETCH_MARGIN * n / share)) if share else self.overfetch_limit + 1
            if fetch > self.overfetch_limit:
                fetch, ids = n, self.archive.store.ids_where(resolved.sql, resolved.params)
                if not ids:
                    return None
        job = _VECTOR_SEARCHES.submit(lambda: self._nearest(embedder.embed_query(text), fetch, ids))
        return _VectorSearch(job, fetch, filtered=ids is None and bool(resolved.sql))

    def _dense_finish(self, search: _VectorSearch | None, text: str, n: int,
                      resolved: filtering.Resolved) -> list[tuple[str, float]]:
        """The n passages the begun `search` found that the filter allows; when too few of the unfiltered neighbours
        pass, Chroma searches the filter's ids, so a filtered search still returns n passages when n exist."""
        if search is None:
            return []
        found = search.job.result()
        if not search.filtered:
            return found
        allowed = self.archive.store.allowed([pid for pid, _ in found], resolved.sql, resolved.params)
        kept = [(pid, sim) for pid, sim in found if pid in allowed]
        if len(kept) >= n or len(found) < search.fetch:  # enough, or the whole collection was seen
            return kept[:n]
        ids = self.archive.store.ids_where(resolved.sql, resolved.params)
        return self._nearest(embedder.embed_query(text), n, ids) if ids else []

    def _nearest(self, vector, n: int, ids: list[str] | None = None) -> list[tuple[str, float]]:
        result = self.archive.collection.query(query_embeddings=[vector], n_results=n, ids=ids, include=["distances"])
        return [(pid, 1.0 - dist) for pid, dist in zip(result["ids"][0], result["distances"][0])]

    @staticmethod
    def _boost(p: Passage, q: query_mod.Question) -> float:
        boost = 0.0
        if len(q.councils) > 1 and p.council in q.councils:
            boost += BODY_BOOST  # one council named is the scope, which also keeps records of unknown council
        if q.committees and p.committee in q.committees:
            boost += BODY_BOOST
        year = int(p.date[:4]) if p.date else None
        if year and (year in q.years or (q.since_year and year >= q.since_year)):
            boost += YEAR_BOOST
            if p.date[:7] in q.months:
                boost += YEAR_BOOST  # "after reviewing the lights in November 2020": that meeting, not October's
        elif any(str(y) in p.text for y in q.years):
            # a record that speaks of the year; one from a meeting held in it is likelier to be the one asked about
            boost += YEAR_BOOST if not year else YEAR_BOOST / 2
        if q.recent and year:
            boost += YEAR_BOOST * min(1.0, max(0.0, (year - RECENCY_START) / 10))
        elif q.earliest and year:
            boost += YEAR_BOOST * min(1.0, max(0.0, (RECENCY_START + 10 - year) / 10))
        if q.intent == "when" and WHEN_DATE.search(p.text):
            boost += WHEN_BOOST
        return boost

    @staticmethod
    def _word_form_boost(p: Passage, forms: set[str], words: re.Pattern | None) -> float:
        """`words` finds the passage's words that start with one of the forms (a word of that form does):
        reducing only those keeps this to about 2 ms a search at k=10 (5 ms reducing every word)."""
        if not forms:
            return 0.0
        found = {word_form(w) for w in words.findall(p.text.lower())} & forms
        return WORD_FORM_BOOST * len(found) / len(forms)

    @staticmethod
    def _decision_boost(p: Passage, q: query_mod.Question) -> float:
        if q.intent != "decision" or not p.is_decision or (p.is_procedural and not q.procedural):
            return 0.0
        if q.decision_word and p.text.lstrip().upper().startswith(q.decision_word):
            return 2 * DECISION_BOOST  # "what did they order" wants the ORDERED block
        return DECISION_BOOST

    def with_items_whole(self, hits: list[Hit], resolved: filtering.Resolved) -> list[Hit]:
        """`hits` followed by the passages they did not find of each found item, so a timeline reads an item
        whole: a meeting's AGREED block was found, and the figures are in the report beside it. Only passages
        the scope allows; the added ones rank after every hit."""
        have = {h.passage.passage_id for h in hits}
        items = list(dict.fromkeys((h.passage.source, h.passage.item) for h in hits if h.passage.item))
        extra = [p for source, item in items for p in self.archive.store.item_passages(source, item)
                 if p.passage_id not in have]
        if not extra:
            return hits
        allowed = self.archive.store.allowed([p.passage_id for p in extra], resolved.sql, resolved.params)
        lowest = min(h.score for h in hits)
        return hits + [Hit(p, lowest) for p in extra if p.passage_id in allowed]

    def _decisions_first(self, hits: list[Hit], about: Passage, resolved: filtering.Resolved) -> list[Hit]:
        """For a decision question, the decision of the best-matching item leads, its discussion next."""
        top = hits[0]
        if top.passage.is_decision and (top.passage.source, top.passage.item) == (about.source, about.item):
            return hits
        decisions = [p for p in self.archive.store.item_passages(about.source, about.item)
                     if p.is_decision and not p.is_procedural and (about.access == p.access or p.access == "public")]
        if not decisions:
            return hits
        allowed = self.archive.store.allowed([d.passage_id for d in decisions], resolved.sql, resolved.params)
        lead = [Hit(d, top.score + 1e-6) for d in decisions if d.passage_id in allowed]
        lead_ids = {h.passage.passage_id for h in lead}
        return lead + [h for h in hits if h.passage.passage_id not in lead_ids]


def fuse(lists: list[tuple[list[tuple[str, float]], float]]) -> dict[str, float]:
    """Each list's scores as standard scores over its own candidates, weighted and summed; a passage
    a list did not return counts as that list's lowest. Unlike rank fusion this keeps how far ahead
    a passage is, so a passage whose words match far better than the rest is not pulled level by a
    vector search that is unsure (bench/baselines.py: QMSum val Recall@5 0.72 → 0.81)."""
    scored = []
    for ranked, weight in lists:
        if not ranked:
            continue
        values = [score for _, score in ranked]
        mean, spread = statistics.fmean(values), statistics.pstdev(values) or 1.0
        standard = {pid: (score - mean) / spread for pid, score in ranked}
        scored.append((standard, weight, min(standard.values())))
    ids = dict.fromkeys(pid for standard, _, _ in scored for pid in standard)  # in the order found: ties stay put
    return {pid: SCORE_UNIT * sum(weight * standard.get(pid, lowest) for standard, weight, lowest in scored)
            for pid in ids}


def shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    """The word `n`-grams of `text`, lower-cased (a text of fewer words is one, shorter, gram)."""
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i:i + n]) for i in range(max(1, len(words) - n + 1))}


def collapse_duplicates(hits: list[Hit], threshold: float = 0.6, limit: int | None = None) -> list[Hit]:
    """Drop a hit whose text mostly repeats a better one (the same report attached to two meetings);
    stop once `limit` hits are kept."""
    kept: list[tuple[Hit, set]] = []
    for hit in hits:
        if limit is not None and len(kept) >= limit:
            break
        grams = shingles(hit.passage.text)
        if any(len(grams & other) / max(1, min(len(grams), len(other))) >= threshold for _, other in kept):
            continue
        kept.append((hit, grams))
    return [h for h, _ in kept]
