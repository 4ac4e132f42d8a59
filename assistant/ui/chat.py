"""One conversation: what each turn asks, which scope it runs in, and what the panels then show.

Kept apart from the Gradio layout so the page stays wiring. A follow-up ("and what did they
decide?", "who presented it?") is rewritten by the Engine with the last question's topic, and
runs in the last turn's council, committee and period unless the filters name their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.answer import Answer
from assistant.engine import Engine, listing_topic, standalone_question
from assistant.filters import Filters
from assistant.periods import period
from assistant.query import understand
from assistant.retrieve import Hit

ANY = "Any"


@dataclass
class Conversation:
    """One reader's conversation so far: each question as it stood alone, the scope a follow-up inherits,
    the answers behind the evidence cards, the last passage list and the hits the timeline charts."""

    turn: int = 0
    history: list[str] = field(default_factory=list)  # each question as it stood alone
    scope: Filters | None = None  # the last turn's council, committee and period, for a follow-up
    answers: list[dict] = field(default_factory=list)  # {"turn", "question", "result"} for the evidence cards
    listing: list[Hit] = field(default_factory=list)  # the last Passages list
    listing_query: str = ""
    listing_filters: Filters = field(default_factory=Filters)
    timeline: list[Hit] = field(default_factory=list)
    last_answer: tuple[Answer, Filters] | None = None


@dataclass
class Turn:
    """What one turn produced: an answer (`result`) or a passage list (`hits` for `query`), its chat message
    (already escaped), the filters it ran in, and whether they were carried from the last turn."""

    kind: str  # "answer" | "passages"
    message: str  # the chat message (already escaped)
    filters: Filters
    carried: bool = False
    result: Answer | None = None
    hits: list[Hit] = field(default_factory=list)
    query: str = ""


def read_filters(council, committee, since, until, decisions, role: str = "public") -> Filters:
    """The filter panel as Filters; periods.PeriodError (a message for people) for a bad date."""
    first, last = period(since, until)
    return Filters(council=None if council in (None, "", ANY) else council,
                   committee=None if committee in (None, "", ANY) else committee,
                   since=first, until=last, decisions_only=bool(decisions), role=role)


_LISTING = re.compile(r"^\s*(?:please\s+)?(?:(?:find|show)(?:\s+me)?\s+(?:every|all|each)\b|list\b)", re.I)


def is_listing(question: str) -> bool:
    """'Find every discussion of…', 'list all…': a request for passages, not for an answer
    ('find the decision on parking' still asks for an answer)."""
    return bool(_LISTING.match(question)) and listing_topic(question) != question.strip()


def ask(engine: Engine, conv: Conversation, question: str, mode: str, filters: Filters) -> Turn:
    """Run one turn and record it in `conv`."""
    from assistant.ui import render

    councils, committees = engine.retriever.names()
    standalone = standalone_question(question, conv.history[-1:], councils, committees)
    follow_up = standalone != question
    scoped, carried = filters, False
    if follow_up and conv.scope is not None:
        scoped, carried = _carry(filters, conv.scope)
    conv.turn += 1
    if mode == "Passages" or is_listing(question):
        query = listing_topic(standalone)
        with engine.lock:
            hits = engine.passages(query, scoped)
        conv.listing, conv.listing_query, conv.listing_filters = hits, query, scoped
        conv.timeline = hits
        conv.history.append(query)
        conv.scope = _scope_of(engine, query, scoped, hits)
        return Turn("passages", render.listing_message(query, hits, scoped, carried), scoped, carried, hits=hits,
                    query=query)
    with engine.lock:
        result = engine.ask(question, filters=scoped, history=conv.history[-1:])
    q = understand(standalone, councils, committees)
    conv.history.append(standalone)
    conv.answers.append({"turn": conv.turn, "question": question, "result": result})
    conv.last_answer = (result, scoped)
    conv.scope = _scope_of(engine, standalone, scoped, [] if result.abstained else result.citations)
    message = render.answer_message(result, conv.turn, scoped, carried)
    if q.intent == "timeline" and not result.abstained:  # the chart: every meeting on the topic, not only those cited
        since = scoped.since or (f"{q.since_year}-01-01" if q.since_year else None)
        with engine.lock:
            conv.timeline = engine.passages(standalone, scoped.with_(since=since))
        meetings = len({(h.passage.council, h.passage.committee, h.passage.date) for h in conv.timeline if h.passage.date})
        message += f"\n\n_The Timeline panel charts the {meetings} meetings that discussed it._"
    return Turn("answer", message, scoped, carried, result=result)


def _carry(filters: Filters, scope: Filters) -> tuple[Filters, bool]:
    merged = filters.with_(council=filters.council or scope.council, committee=filters.committee or scope.committee,
                           since=filters.since or scope.since, until=filters.until or scope.until)
    return merged, merged != filters


def _scope_of(engine: Engine, question: str, filters: Filters, cited: list[Hit]) -> Filters:
    """The scope a follow-up inherits: the filters, the body the question named, or the one council and
    committee every cited passage comes from; and the year it was asked from ("since 2020")."""
    q = understand(question, *engine.retriever.names())
    councils = {h.passage.council for h in cited}
    committees = {h.passage.committee for h in cited}
    council = filters.council or (q.councils[0] if len(q.councils) == 1 else None) or (
        councils.pop() if len(councils) == 1 else None)
    committee = filters.committee or (q.committees[0] if len(q.committees) == 1 else None) or (
        committees.pop() if len(committees) == 1 and len(cited) > 1 else None)
    since = filters.since or (f"{q.since_year}-01-01" if q.since_year else None)
    return filters.with_(council=council, committee=committee, since=since)


def _topic(title: str) -> str:
    """'Revenue Outturn 2023/24', 'Workforce Strategy - Progress Update' → 'Revenue Outturn', 'Workforce Strategy'."""
    topic = re.split(r"\s+[-–—]\s+|:\s", title)[0]
    return re.sub(r"(?:\s+(?:\d{4}(?:[/-]\d{2,4})?|update|report))+$", "", topic, flags=re.I).strip()


def example_questions(facts: dict) -> list[str]:
    """Questions the archive can answer, built from what it holds: its recent decisions' items and its span."""
    topics = []
    for t in facts.get("topics") or []:
        name = _topic(t["title"])
        if len(name.split()) >= 2 and name.lower() not in {x["name"].lower() for x in topics}:
            topics.append(dict(t, name=name))
    first = (facts.get("dates", {}).get("first") or "")[:4]
    out = []
    if topics:
        t = topics[0]
        out.append(f"What did the {t['committee'] or t['council']} decide about the {t['name']}?")
    others = [t for t in topics[1:] if t["council"] != topics[0]["council"]] or topics[1:]
    if others:
        out.append(f"How has the {others[0]['name']} been discussed{f' since {first}' if first else ''}?")
    short = [t["name"] for t in topics[1:] if len(t["name"].split()) <= 3 and t is not (others or [None])[0]]
    if len(short) >= 2:
        out.append(f"Find every discussion of {short[0]} or {short[1]}")
    return out
