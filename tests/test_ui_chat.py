"""A conversation in the chat, on the real demo corpus index: follow-ups, 'or', scope, and what is shown."""

from __future__ import annotations

import re

import pytest

from assistant.filters import Filters
from assistant.ui import chat, render

RECRUITMENT = "How has social worker recruitment been discussed since 2020?"
OFSTED = "What did the scrutiny committee resolve about the Ofsted improvement plan?"


@pytest.fixture
def conv():
    return chat.Conversation()


def answer_text(turn) -> str:
    return turn.result.text


def test_and_what_did_they_decide_is_not_the_same_timeline_again(corpus_engine, conv):
    first = chat.ask(corpus_engine, conv, RECRUITMENT, "Answer", Filters())
    second = chat.ask(corpus_engine, conv, "and what did they decide?", "Answer", Filters())
    assert not second.result.abstained, second.result.text
    assert answer_text(second) != answer_text(first)
    assert any(h.passage.is_decision for h in second.result.citations)
    assert all("recruit" in h.passage.context_text().lower() for h in second.result.citations)


def test_who_presented_it_stays_with_the_council_of_the_last_answer(corpus_engine, conv):
    first = chat.ask(corpus_engine, conv, OFSTED, "Answer", Filters())
    councils = {h.passage.council for h in first.result.citations}
    assert len(councils) == 1, councils
    second = chat.ask(corpus_engine, conv, "Who presented it?", "Answer", Filters())
    assert second.carried and second.filters.council in councils
    assert not second.result.abstained, second.result.text
    assert {h.passage.council for h in second.result.citations} == councils
    assert "scope kept from the last question" in second.message


def test_a_filter_named_by_the_user_wins_over_the_carried_scope(corpus_engine, conv):
    chat.ask(corpus_engine, conv, OFSTED, "Answer", Filters())
    other = "Kingsmere City Council"
    turn = chat.ask(corpus_engine, conv, "Who presented it?", "Answer", Filters(council=other))
    assert turn.filters.council == other


def test_or_lists_passages_about_either_term(corpus_engine, conv):
    both = chat.ask(corpus_engine, conv, "Find every discussion of recruitment or inclusion", "Answer", Filters())
    assert both.kind == "passages"  # 'find every…' lists passages even in Answer mode
    texts = [h.passage.context_text().lower() for h in both.hits]
    recruitment = [t for t in texts if "recruit" in t]
    inclusion = [t for t in texts if "inclusion" in t]
    assert len(both.hits) >= 14 and recruitment and inclusion, (len(both.hits), len(recruitment), len(inclusion))
    assert len(both.hits) <= 50
    assert len({h.passage.passage_id for h in both.hits}) == len(both.hits)


def test_passages_mode_uses_the_filters(corpus_engine, conv):
    turn = chat.ask(corpus_engine, conv, "recruitment", "Passages", Filters(since="2021-01-01", until="2021-12-31"))
    assert turn.hits and all(h.passage.date.startswith("2021") for h in turn.hits)
    assert "2021-01-01 to 2021-12-31" in turn.message


def test_answer_links_each_marker_to_its_card_and_highlights_the_cited_sentence(corpus_engine, conv):
    turn = chat.ask(corpus_engine, conv, OFSTED, "Answer", Filters())
    markers = set(re.findall(r"\[(\d+)\]", turn.result.text))
    linked = set(re.findall(r'href="#card-1-(\d+)"', turn.message))
    assert markers and markers <= linked
    panel = render.evidence_panel(conv.answers)
    for n in markers:
        assert f"id='card-1-{n}'" in panel
    marked = re.findall(r"<mark>(.*?)</mark>", panel, re.S)
    assert marked and any(" ".join(m.split())[:50] in " ".join(turn.result.text.split()) for m in marked), marked


def test_typed_markup_is_escaped_everywhere():
    typed = "<img src=x onerror=alert(1)> it's *bold* [1]"
    shown = render.chat_text(typed)
    assert "<img" not in shown and "&lt;img" in shown and "&#x27;" not in shown
    assert "\\*bold\\*" in shown and "\\[1\\]" in shown


def test_example_questions_come_from_the_archive(corpus_engine):
    facts = corpus_engine.facts()
    examples = chat.example_questions(facts)
    assert examples
    titles = " ".join(t["title"] for t in facts["topics"]).lower()
    for question in examples:
        words = [w for w in re.findall(r"[a-z']{4,}", question.lower())
                 if w not in {"what", "decide", "about", "been", "discussed", "since", "find", "every", "discussion"}]
        assert any(w in titles or any(w in c.lower() for c in facts["committees"]) for w in words), question


def test_a_timeline_answer_charts_every_meeting_on_the_topic_one_series_per_council(corpus_engine, conv):
    from assistant.ui import timeline

    turn = chat.ask(corpus_engine, conv, RECRUITMENT, "Answer", Filters())
    frame = timeline.meetings(conv.timeline)
    cited = {(h.passage.council, h.passage.date) for h in turn.result.citations}
    assert len(frame) > len(cited)  # the chart is not just the answer's few lines
    assert frame["date"].is_monotonic_increasing and frame["date"].min().year >= 2020  # "since 2020"
    assert set(frame["council"]) == {h.passage.council for h in conv.timeline if h.passage.date}
    key = frame["key"].iloc[0]
    assert frame["passages"].iloc[0] == len(timeline.of_meeting(conv.timeline, key))


@pytest.mark.parametrize("question, listing", [
    ("Find every discussion of recruitment or inclusion", True), ("list all mentions of speed", True),
    ("Show all passages about SEND", True), ("find the decision on parking", False), ("Show me the money", False),
    ("What did they decide about recruitment?", False),
])
def test_only_a_request_for_every_passage_is_a_listing(question, listing):
    assert chat.is_listing(question) is listing
