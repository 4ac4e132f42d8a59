"""The keyword half in a large archive: the rarest words pick the candidates, every word scores them."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from assistant.evaluate import load_questions
from assistant.filters import Filters
from assistant.store import Store, within_budget
from assistant.text import keyword_terms

QUESTION = "What did the cabinet decide about the children's services budget and social worker recruitment?"


@pytest.fixture
def store(corpus_index):
    """Its own connection to the demo index, so a changed budget stays in this test."""
    return Store(Path(corpus_index) / "passages.sqlite")


def test_within_budget_keeps_the_rarest_words_in_their_order():
    frequency = {"budget": 40, "social": 300, "recruitment": 12, "cabinet": 90}
    assert within_budget(list(frequency), frequency, 150) == ["budget", "recruitment", "cabinet"]
    assert within_budget(list(frequency), frequency, 5) == ["recruitment"]  # the rarest, even over budget
    assert within_budget(list(frequency), frequency, None) == list(frequency)


def test_bounded_search_scores_each_candidate_by_every_word_it_holds(store):
    frequency = store.document_frequencies(keyword_terms(QUESTION))
    store.max_scored = sorted(frequency.values())[len(frequency) // 2]  # about half the words are rare
    rare = within_budget([t for t, n in frequency.items() if n], frequency, store.max_scored)
    bounded = store.keyword_search(QUESTION, 20)
    store.max_scored = None
    everything = dict(store.keyword_search(QUESTION, 10_000))
    assert 0 < len(rare) < len([n for n in frequency.values() if n])
    assert len(bounded) == 20
    for pid, score in bounded:
        assert score == pytest.approx(everything[pid]), pid
    # the candidates are those holding a rare word: among them the order is the full search's
    candidates = {pid for pid, _ in store.keyword_search(" ".join(rare), 10_000)}
    best = [pid for pid in sorted(everything, key=everything.get, reverse=True) if pid in candidates][:20]
    assert [pid for pid, _ in bounded] == best


def test_bounded_search_keeps_to_the_filter(store, corpus_engine):
    frequency = store.document_frequencies(keyword_terms(QUESTION))
    store.max_scored = sorted(frequency.values())[len(frequency) // 2]
    resolved = corpus_engine.retriever.resolve(Filters(committee="scrutiny", since="2021-01-01"))
    found = store.keyword_search(QUESTION, 10, resolved.sql, resolved.params)
    passages = store.passages([pid for pid, _ in found])
    assert found and all("Scrutiny" in p.committee and p.date >= "2021-01-01" for p in passages.values())


def test_demo_questions_search_every_matching_passage_at_demo_scale(store):
    """The budget is for county-size archives: at the development sets' size the search is unchanged."""
    questions = [q["question"] for f in sorted((ROOT / "bench" / "questions").glob("*.jsonl")) for q in load_questions(f)]
    bounded = [store.keyword_search(q, 40) for q in questions]
    store.max_scored = None
    assert bounded == [store.keyword_search(q, 40) for q in questions]
