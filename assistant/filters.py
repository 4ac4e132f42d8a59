"""Search filters: council, committee, date range, document type, decisions only, and the reader's role.

Names match case-insensitively and by part ("scrutiny" finds "Children's Services Overview and
Scrutiny Committee"); they are resolved against the names the index holds, so the filter runs
inside the search (SQL for keywords, a Chroma `where` for vectors), never after a top-k cut.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from assistant.records import PUBLIC

ROLES = ("public", "officer")


@dataclass(frozen=True)
class Filters:
    council: str | None = None
    committee: str | None = None
    since: str | None = None  # ISO date, inclusive
    until: str | None = None
    doc_type: str | None = None
    decisions_only: bool = False
    role: str = "public"

    def with_(self, **changes) -> "Filters":
        return replace(self, **changes)

    def describe(self) -> str:
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
    """Filters turned into SQL and Chroma clauses; `empty` when a name filter matched nothing."""

    sql: str
    params: tuple
    chroma: dict | None
    empty: bool = False


def resolve(filters: Filters, councils: list[str], committees: list[str]) -> Resolved:
    sql: list[str] = []
    params: list = []
    chroma: list[dict] = []
    empty = False
    for column, wanted, known in (("council", filters.council, councils), ("committee", filters.committee, committees)):
        names = match_names(wanted, known)
        if names is None:
            continue
        if not names:
            empty = True
            names = ["\x00no match"]
        sql.append(f"p.{column} IN ({','.join('?' * len(names))})")
        params.extend(names)
        chroma.append({column: {"$in": names}})
    if filters.since:
        sql.append("p.date >= ?")
        params.append(filters.since)
        chroma.append({"date_num": {"$gte": date_num(filters.since)}})
    if filters.until:
        sql.append("p.date <= ?")
        params.append(filters.until)
        chroma.append({"date_num": {"$lte": date_num(filters.until)}})
        chroma.append({"date_num": {"$gt": 0}})
    if filters.doc_type:
        sql.append("p.doc_type = ?")
        params.append(filters.doc_type)
        chroma.append({"doc_type": filters.doc_type})
    if filters.decisions_only:
        sql.append("p.is_decision = 1")
        chroma.append({"is_decision": True})
    if filters.role != "officer":
        sql.append("p.access = ?")
        params.append(PUBLIC)
        chroma.append({"access": PUBLIC})
    where = None if not chroma else chroma[0] if len(chroma) == 1 else {"$and": chroma}
    return Resolved(" AND ".join(sql), tuple(params), where, empty)


def date_num(iso: str | None) -> int:
    """20210608 for 2021-06-08; 0 for unknown, so range filters can exclude undated passages."""
    return int(iso.replace("-", "")) if iso else 0
