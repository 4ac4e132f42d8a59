"""The chat's named API endpoints, `/ask` and `/search`, typed so gradio_client's view_api shows their shape.

`/ask` returns the `ask --json` object, `/search` the `search --json` one (DESIGN.md). Filters are
an object with the keys below; an unknown key, a bad date or a From after To is an error the
client sees (gradio_client raises it), never a silent default. A caller reads as the public role
unless its request carries a signed-in officer's session cookie (`assistant.ui.login`); no
argument can ask for another role.
"""

# no `from __future__ import annotations`: gr.api reads the return type from the live annotation
from typing import NotRequired, TypedDict

import gradio as gr

from assistant.engine import Engine
from assistant.filters import Filters
from assistant.periods import PeriodError, period
from assistant.records import DOC_TYPES
from assistant.ui.login import Sessions, role_of

MAX_K = 50
PARAMETERS = {"ask": "question, filters, history", "search": "query, filters, k"}


class FilterSpec(TypedDict, total=False):
    """The filters object of /ask and /search: every key optional, dates as the filter panel takes them."""

    council: str
    committee: str
    since: str  # 2021, 2019-2021, 2021-06 or 2021-06-08
    until: str
    doc_type: str
    decisions_only: bool


class PassageJSON(TypedDict):
    """A passage as the API returns it (the `--json` shape); `access` is public, or restricted (officers only)."""

    passage_id: str
    text: str
    source: str
    title: str | None
    council: str | None
    committee: str | None
    date: str | None
    item: str | None
    page: int | None
    doc_type: str | None
    is_decision: bool
    is_procedural: NotRequired[bool]
    access: NotRequired[str]  # public, or restricted (officers only)
    score: float


class SearchResult(PassageJSON):
    """A /search result: a passage and its rank, 1 first."""

    rank: int


class Citation(PassageJSON):
    """A passage an /ask answer cites, numbered `n` as its [n] marker."""

    n: int


class AnswerJSON(TypedDict):
    """The /ask result: the answer with [n] markers, whether it abstained, and the passages it cites."""

    question: str
    answer: str
    abstained: bool
    citations: list[Citation]


class SearchJSON(TypedDict):
    """The /search result: the query and its passages, best first."""

    query: str
    results: list[SearchResult]


def filters_from(spec: dict | None, role: str = "public") -> Filters:
    """Filters from an API object, for a reader of `role`; gr.Error naming what is wrong."""
    if spec is None:
        return Filters(role=role)
    if not isinstance(spec, dict):
        raise gr.Error("filters must be an object such as {\"council\": \"Harbourside\", \"since\": \"2021\"}")
    unknown = sorted(set(spec) - set(FilterSpec.__annotations__))
    if unknown:
        raise gr.Error(f"unknown filter {', '.join(map(repr, unknown))}; known: {', '.join(FilterSpec.__annotations__)}")
    for key in ("council", "committee", "since", "until", "doc_type"):
        if spec.get(key) is not None and not isinstance(spec[key], str):
            raise gr.Error(f"filter {key!r} must be a string")
    if spec.get("doc_type") and spec["doc_type"] not in DOC_TYPES:
        raise gr.Error(f"doc_type must be one of {', '.join(DOC_TYPES)}")
    try:
        since, until = period(spec.get("since"), spec.get("until"))
    except PeriodError as err:
        raise gr.Error(str(err)) from None
    return Filters(council=spec.get("council") or None, committee=spec.get("committee") or None, since=since,
                   until=until, doc_type=spec.get("doc_type") or None, decisions_only=bool(spec.get("decisions_only")),
                   role=role)


def add_endpoints(engine: Engine, sessions: Sessions | None = None) -> None:
    """Register /ask and /search inside the Blocks being built; `sessions` tells an officer's request."""

    def ask(question: str, filters: FilterSpec | None = None, history: list[str] | None = None,
            request: gr.Request = None) -> AnswerJSON:
        """Answer a question from the records, every sentence citing [n]; `history` is the earlier questions
        of the conversation, oldest first, so a follow-up ("and what did they decide?") keeps its topic."""
        scope = filters_from(filters, role_of(sessions, request))
        if history is not None and not (isinstance(history, list) and all(isinstance(h, str) for h in history)):
            raise gr.Error("history must be a list of the earlier questions")
        with engine.lock:
            return engine.ask(question or "", filters=scope, history=history or None).to_json()

    def search(query: str, filters: FilterSpec | None = None, k: int = 10, request: gr.Request = None) -> SearchJSON:
        """The k passages (1-50) that best match the query, as `search --json`."""
        scope = filters_from(filters, role_of(sessions, request))
        if not isinstance(k, int) or not 1 <= k <= MAX_K:
            raise gr.Error(f"k must be a whole number from 1 to {MAX_K}")
        with engine.lock:
            hits = engine.search(query or "", k=k, filters=scope)
        return {"query": query, "results": [h.to_json(rank) for rank, h in enumerate(hits, start=1)]}

    gr.api(ask, api_name="ask")
    gr.api(search, api_name="search")


def strict_arguments(demo: gr.Blocks) -> None:
    """Make an extra argument to /ask or /search an error: Gradio drops values beyond an endpoint's inputs
    silently (Blocks.validate_inputs checks only for too few), so a caller's mistake would go unnoticed."""
    checked = demo.validate_inputs

    def validate(block_fn, inputs):
        """A gr.Error when /ask or /search gets more arguments than it takes; otherwise Gradio's own check."""
        if block_fn.api_name in ("ask", "search") and len(inputs) > len(block_fn.inputs):
            raise gr.Error(f"/{block_fn.api_name} takes at most {len(block_fn.inputs)} arguments "
                           f"({PARAMETERS[block_fn.api_name]}); "
                           f"got {len(inputs)}")
        return checked(block_fn, inputs)

    demo.validate_inputs = validate
