"""The domain model: a Record (one source document) and its citable Passages."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field

from assistant.text import spoken_sentences

DOC_TYPES = ("minutes", "report", "decision notice", "transcript")
PUBLIC, RESTRICTED = "public", "restricted"


@dataclass
class Record:
    """One source document and what is known about it; unknown metadata stays None."""

    source: str
    content_hash: str
    council: str | None = None
    committee: str | None = None
    date: str | None = None  # ISO YYYY-MM-DD
    item: str | None = None
    title: str | None = None
    doc_type: str | None = None
    page_count: int | None = None
    access: str = PUBLIC

    def to_json(self) -> dict:
        """The record object of the command-line contract: every field."""
        return asdict(self)


@dataclass
class Passage:
    """A chunk of a record that can be cited on its own.

    `text` is verbatim from the source (after layout clean-up); `heading` is the item heading
    it sits under, used as retrieval context but never quoted as if it were the passage.
    """

    text: str
    source: str
    council: str | None = None
    committee: str | None = None
    date: str | None = None
    item: str | None = None
    title: str | None = None
    heading: str | None = None
    page: int | None = None
    doc_type: str | None = None
    is_decision: bool = False
    is_procedural: bool = False  # apologies, attendance, declarations, previous minutes, next meeting
    access: str = PUBLIC
    passage_id: str = field(default="")
    # the sentences an answer may quote, each with its speaker in a transcript: read once at ingest (parse_file)
    sentences: list[tuple[str | None, str]] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if not self.passage_id:
            self.passage_id = passage_id(self.source, self.text)

    def quotable(self) -> list[tuple[str | None, str]]:
        """The sentences an answer may quote, with their speakers: as read at ingest, or from the text for a
        passage built elsewhere or stored by an older version."""
        return self.sentences or spoken_sentences(self.text)

    def to_json(self, rank: int | None = None, score: float | None = None) -> dict:
        """The passage object of the command-line contract."""
        out: dict = {}
        if rank is not None:
            out["rank"] = rank
        if score is not None:
            out["score"] = round(float(score), 4)
        out.update(
            passage_id=self.passage_id, text=self.text, source=self.source, title=self.title,
            council=self.council, committee=self.committee, date=self.date, item=self.item,
            page=self.page, doc_type=self.doc_type, is_decision=self.is_decision, is_procedural=self.is_procedural,
            access=self.access,  # "restricted" reaches only an officer
        )
        return out

    def context_text(self) -> str:
        """What is embedded and keyword-indexed: the heading gives a bare paragraph its topic."""
        parts = [p for p in (self.committee, self.heading or self.title, self.text) if p]
        return "\n".join(parts)


def passage_id(source: str, text: str) -> str:
    """Content-based id: the same text from the same source keeps its id across runs."""
    return hashlib.sha256(f"{source}\x00{text}".encode("utf-8")).hexdigest()[:20]


def content_hash(data: bytes) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    return hashlib.sha256(data).hexdigest()
