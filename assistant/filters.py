"""Search filters: council, committee, date range, document type, decisions only, and the reader's role.

Names match case-insensitively and by part ("scrutiny" finds "Children's Services Overview and
Scrutiny Committee"); they are resolved against the names the index holds, so the filter runs
inside the search (an SQL clause, which the vector search checks too), never after a top-k cut.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from assistant.records import PUBLIC

ROLES = ("public", "officer")


@dataclass(frozen=True)
class Filters:
    """What a search is limited to: council and committee (by part of the name), dates (ISO, inclusive), document
    type, decisions only, and the reader's role (public or officer)."""

    council: str | None = None
    committee: str | None = None
    since: str | None = None  # ISO date, inclusive
    until: str | None = None
    doc_type: str | None = None
    decisions_only: bool = False
    role: str = "public"
    # the council came from the question, not from the reader: records whose council is unknown stay in scope
    council_implied: bool = False

    def with_(self, **changes) -> "Filters":
        """A copy with `changes` made (filters are frozen)."""
        return replace(self, **changes)

    def describe(self) -> str:
        """The filters as an answer names its scope ("council Kingsmere, since 2020-01-01, decisions only"), or ""."""
        parts = [f"{k} {v}" for k, v in (("council", self.council), ("committee", self.committee),
                                         ("since", self.since), ("until", self.until), ("type", self.doc_type)) if v]
        if self.decisions_only:
            parts.append("decisions only")
        return ", ".join(parts)


def match_names(wanted: str | None, known: list[str]) -> list[str] | None:
    """Known names matching `wanted` (every word of it, case-insensitive); None when no filter."""
    if not wanted:
        return None
    words = wanted.lower().replace("’", "'").split()
    return [name for name in known if all(w in name.lower().replace("’", "'") for w in words)]


@dataclass
class Resolved:
    """Filters turned into an SQL clause over `passages p`; `empty` when a name filter matched nothing."""

    sql: str
    params: tuple
    empty: bool = False


def resolve(filters: Filters, councils: list[str], committees: list[str]) -> Resolved:
    """`filters` as an SQL clause, names matched against the index's `councils` and `committees`; the public role
    sees public passages only; `empty` when a name filter matched nothing."""
    sql: list[str] = []
    params: list = []
    empty = False
    for column, wanted, known in (("council", filters.council, councils), ("committee", filters.committee, committees)):
        names = match_names(wanted, known)
        if names is None:
            continue
        if not names:
            empty = True
            names = ["\x00no match"]
        within = f"p.{column} IN ({','.join('?' * len(names))})"
        if column == "council" and filters.council_implied:
            within = f"({within} OR p.council IS NULL)"
        sql.append(within)
        params.extend(names)
    if filters.since:
        sql.append("p.date >= ?")
        params.append(filters.since)
    if filters.until:
        sql.append("p.date <= ?")
        params.append(filters.until)
    if filters.doc_type:
        sql.append("p.doc_type = ?")
        params.append(filters.doc_type)
    if filters.decisions_only:
        sql.append("p.is_decision = 1")
    if filters.role != "officer":
        sql.append("p.access = ?")
        params.append(PUBLIC)
    return Resolved(" AND ".join(sql), tuple(params), empty)


def date_num(iso: str | None) -> int:
    """20210608 for 2021-06-08; 0 for unknown (a number Chroma's `where` can range over)."""
    return int(iso.replace("-", "")) if iso else 0
