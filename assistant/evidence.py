"""Does the archive hold an answer? Decides when the assistant must say the records are silent.

Three checks, each measured on the demo questions (bench/questions) where some questions are
deliberately unanswerable:
- nothing retrieved is close to the question (cosine similarity below MIN_SIMILARITY);
- a word central to the question appears in no passage of the searched scope ("parking" in an
  archive that never mentions parking; "climate" when the question names a council whose
  records never discuss it). Central means: removing the word moves the question's embedding;
  filler words ("much", "told") barely move it, so their absence does not count;
- the question names a year or financial year that none of the best passages is about (and, for the
  passages an answer cites, that none names in a sentence about the question's topic).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant import embedder
from assistant.filters import Resolved
from assistant.query import Question
from assistant.retrieve import Hit
from assistant.settings import ANSWER_MISSING_WEIGHT, MIN_SIMILARITY, MISSING_WEIGHT, SAME_MEANING
from assistant.store import Store
from assistant.text import (FINANCIAL_YEAR as _YEAR, YEAR, close_form, financial_years, keyword_terms, says,
                            split_sentences, stem)



@dataclass
class Verdict:
    """Whether the evidence is too weak to answer (`weak`) and, when it is, the reason the answer gives."""

    weak: bool
    reason: str = ""


def judge(q: Question, hits: list[Hit], store: Store, scope: Resolved) -> Verdict:
    """Before composing: weak when nothing was retrieved or nothing is close to the question, when a central word of
    the question is in no passage of the scope, or when a year it names is in none of the five best passages."""
    if not hits:
        return Verdict(True, "no passage matched")
    best = max((h.similarity for h in hits[:5] if h.similarity is not None), default=0.0)
    if best < MIN_SIMILARITY and _closest_sentence(q, hits[:5]) < MIN_SIMILARITY:
        return Verdict(True, "nothing retrieved is close to the question")
    missing = _either(q, store.missing_terms(_topic(q), scope.sql, scope.params, close_form))
    if missing:
        weight = _centrality(q.text, missing)
        if weight >= MISSING_WEIGHT:
            return Verdict(True, f"the records searched never mention: {', '.join(missing)}")
    return _year_verdict(q, hits[:5])


def _closest_sentence(q: Question, hits: list[Hit]) -> float:
    """How close the closest sentence of `hits` is to the question (cosine): a long passage (a table of accounts
    with one line on the precept) is far from a question that one of its sentences answers."""
    sentences = [s for h in hits for _, s in h.passage.quotable()]
    if not sentences:
        return 0.0
    return float((embedder.embed(sentences) @ embedder.embed_query(q.text)).max())


def judge_answer(q: Question, cited: list[Hit], hits: list[Hit] = ()) -> Verdict:
    """After composing: the passages an answer cites must speak of the question's central words
    and of the year it asks about; otherwise the answer is about something else ("parking" answered
    with van charging, "2022/23" answered with 2023/24)."""
    if not cited:
        return Verdict(True, "no passage supports an answer")
    # a passage is read with the other retrieved passages of its item (a decision with the
    # discussion that led to it, an answer in a transcript with the exchange around it)
    items = {(h.passage.source, h.passage.item) for h in cited}
    context = [h for h in hits if (h.passage.source, h.passage.item) in items]
    # the council is metadata, not always in the text: "Harbourside" is spoken of by its records
    text = " ".join(f"{h.passage.council or ''} {h.passage.context_text()}" for h in [*cited, *context])
    present = set(keyword_terms(text))
    topic = _topic(q)
    absent = _either(q, meant_absent([t for t in topic if not says(present, t)], present))
    weight = _joint_centrality(topic, absent)
    if weight >= ANSWER_MISSING_WEIGHT:
        return Verdict(True, f"the passages found do not speak of: {', '.join(absent)}")
    # the year must be said of the topic: a council tax rise "for 2020/21" beside "the Medium Term
    # Financial Strategy 2020/21 to 2022/23" does not answer what was agreed for 2022/23
    return _year_verdict(q, cited, topic)


def _either(q: Question, absent: list[str]) -> list[str]:
    """`absent` less the words of one side of an "or" when every word of the other side is there:
    "recruitment or inclusion" is answered by a passage about either."""
    gone = set(absent)
    for left, right in q.alternatives():
        for side, other in ((left, right), (right, left)):
            if not side & gone:
                gone -= other
    return [t for t in absent if t in gone]


def _topic(q: Question) -> list[str]:
    """The question's topic words that can be looked for in text (a bare number cannot)."""
    return [t for t in q.topic_terms() if not t.isdigit()]


def _year_verdict(q: Question, hits: list[Hit], topic: list[str] | None = None) -> Verdict:
    """Weak when the question names a year or financial year that none of `hits` is about (with `topic`:
    held in a meeting that year, or naming it in a sentence with one of the topic words)."""
    years = _YEAR.findall(q.text)
    if q.since_year and any((h.passage.date or "0")[:4] >= str(q.since_year) for h in hits):
        return Verdict(False)  # "since 2020": any meeting from 2020 on is about the period asked
    if years and not any(_about_year(h, years, topic) for h in hits):
        shown = ", ".join(y + (f"/{s}" if s else "") for y, s in years)
        return Verdict(True, f"no passage found about {shown}")
    return Verdict(False)


def meant_absent(terms: list[str], words: set[str]) -> list[str]:
    """Those of `terms` that no word of `words` comes close to in meaning ("thefts" is said by "stolen",
    "smells" by "odour"), as the embedding model judges single words."""
    if not terms:
        return []
    candidates = sorted(w for w in words if len(w) >= 4 and not w.isdigit())
    if not candidates:
        return terms
    near = embedder.embed_words(terms) @ embedder.embed_words(candidates).T
    return [t for t, row in zip(terms, near) if float(row.max()) < SAME_MEANING]


def _joint_centrality(topic: list[str], absent: list[str]) -> float:
    """How far the question's topic words move in meaning when the absent ones are all taken out at once
    (0: the passages say what matters; 1: they say none of it)."""
    if not absent:
        return 0.0
    rest = " ".join(t for t in topic if t not in absent) or "."
    return float(1.0 - embedder.embed([rest])[0] @ embedder.embed_query(" ".join(topic)))


def _centrality(question: str, terms: list[str]) -> float:
    """How far the question's meaning moves without each word, summed (0 = filler, 0.1 = its topic)."""
    if not terms:
        return 0.0
    variants = [re.sub(rf"\b{re.escape(term)}\w*", "", question, flags=re.I) for term in terms]
    return float(sum(1.0 - embedder.embed(variants) @ embedder.embed_query(question)))


def _about_year(hit: Hit, years: list[tuple[str, str]], topic: list[str] | None = None) -> bool:
    if any(not short and (hit.passage.date or "").startswith(year) for year, short in years):
        return True
    # a meeting held in the financial year asked about is about it, unless it speaks of another one ("Revenue
    # Budget 2023/24" at a meeting of February 2023 sets next year's council tax, not 2022/23's)
    written = f"{hit.passage.heading or ''} {hit.passage.text}"
    for year, short in years:
        if short and _in_financial_year(hit.passage.date, year) and financial_years(written) <= {int(year)} \
                and {int(y) for y in YEAR.findall(written)} <= {int(year), int(year) + 1}:
            return True
    if topic is None or _names_year(hit.passage.heading or "", years):  # an item headed "Budget 2023/24" is about it
        return _names_year(f"{hit.passage.heading or ''} {hit.passage.text}", years)
    names = {stem(w) for w in keyword_terms(f"{hit.passage.council or ''} {hit.passage.committee or ''}")}
    topic = {stem(t) for t in topic} - names  # "Kingsmere's Executive" is who, not what
    return any(_names_year(sentence, years) and (not topic or topic & {stem(w) for w in keyword_terms(sentence)})
               for line in hit.passage.text.split("\n") for sentence in split_sentences(line))


def _in_financial_year(date: str | None, year: str) -> bool:
    """Was a meeting on `date` held in the financial year that starts in April of `year`?"""
    return bool(date) and f"{year}-04-01" <= date <= f"{int(year) + 1}-03-31"


def _names_year(text: str, years: list[tuple[str, str]]) -> bool:
    for year, short in years:
        if short:  # a financial year as minutes write it: 2013/14, 2013-14, 2013/2014, 2013-2014, 13/14
            forms = (f"{year}/{short}", f"{year}-{short}", f"{year}-20{short}", f"{year}/20{short}", f"{year} / {short}",
                     f"{year[2:]}/{short}")
            if any(form in text for form in forms):
                return True
        elif year in text:
            return True
    return False
