"""The SQLite side of the index: records, passage metadata and an FTS5 keyword index over passages.

Kept in step with the Chroma collection by `archive.Archive`; also answers filters and stats
without touching the vectors.
"""

from __future__ import annotations

import json
import math
import sqlite3
import threading
from pathlib import Path

from assistant.records import PUBLIC, Passage, Record
from assistant.settings import CLOSED_COMPOUND_SHARE, COMMON_SHARE, IDS_HELD, MAX_SCORED, SHARES_KEPT
from assistant.text import keyword_terms

SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    source TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, record_json TEXT NOT NULL, stamp TEXT);
CREATE TABLE IF NOT EXISTS passages (
    rowid INTEGER PRIMARY KEY, passage_id TEXT UNIQUE NOT NULL, source TEXT NOT NULL,
    council TEXT, committee TEXT, date TEXT, item TEXT, title TEXT, heading TEXT, page INTEGER,
    doc_type TEXT, is_decision INTEGER NOT NULL, access TEXT NOT NULL, text TEXT NOT NULL,
    is_procedural INTEGER NOT NULL DEFAULT 0, sentences TEXT);
CREATE INDEX IF NOT EXISTS passages_source ON passages(source);
CREATE INDEX IF NOT EXISTS passages_committee ON passages(committee, date);
CREATE INDEX IF NOT EXISTS passages_council ON passages(council, date);
CREATE INDEX IF NOT EXISTS passages_date ON passages(date);
CREATE TABLE IF NOT EXISTS index_state (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
KEYWORD_INDEX = """CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
    text, context, content='', tokenize='porter unicode61 remove_diacritics 2');"""
_COLUMNS = ("passage_id", "source", "council", "committee", "date", "item", "title", "heading", "page",
            "doc_type", "is_decision", "access", "text", "is_procedural", "sentences")
_FLAGS = ("is_decision", "is_procedural")
_SCORE = "-bm25(passages_fts, 1.0, 0.4)"  # text counts fully, the heading, title and committee 0.4
LAST_INGEST = "last_ingest"  # index_state's row: "running" from an ingest's first write to its end, then "finished"


class Store:
    """The SQLite file of an index: records, passages and their FTS5 keyword index. An index written by an
    older version gains the columns it lacks on opening."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(str(path), check_same_thread=False)
        self.db.executescript(SCHEMA + KEYWORD_INDEX)
        if "is_procedural" not in {r[1] for r in self.db.execute("PRAGMA table_info(passages)")}:
            # an index written before procedural items were flagged; the next ingest re-parses every record
            self.db.execute("ALTER TABLE passages ADD COLUMN is_procedural INTEGER NOT NULL DEFAULT 0")
        if "sentences" not in {r[1] for r in self.db.execute("PRAGMA table_info(passages)")}:
            # an index written before sentences were read at ingest: answers read them from the text until re-ingest
            self.db.execute("ALTER TABLE passages ADD COLUMN sentences TEXT")
        if "stamp" not in {r[1] for r in self.db.execute("PRAGMA table_info(records)")}:
            # an index written before files were stamped: the next ingest reads and hashes each file once
            self.db.execute("ALTER TABLE records ADD COLUMN stamp TEXT")
        self._frequency: dict[str, int] = {}  # passages containing each word; cleared on every write
        self._total: int | None = None  # passages in the index; cleared with _frequency
        self._version = None  # SQLite's data_version when the caches were filled (another process may ingest)
        self._generation = 0  # counts the changes seen, made here or by another process
        self.max_scored = MAX_SCORED
        self._ids: dict[tuple, list[str]] = {}  # ids_where's recent lists; cleared with _frequency
        self._shares: dict[tuple, float] = {}  # share_where's recent counts; cleared with _frequency
        self._cache_lock = threading.RLock()  # guards _ids and _shares

    # ---- writing ------------------------------------------------------------------------
    def fingerprints(self) -> dict[str, tuple[str, str | None]]:
        """Every record's (fingerprint, stamp) by source, in one query (ingest checks thousands of files)."""
        return {r[0]: (r[1], r[2]) for r in self.db.execute("SELECT source, fingerprint, stamp FROM records")}

    def set_stamps(self, stamps: list[tuple[str, str]]) -> None:
        """Record (source, stamp) for files found unchanged by their bytes, so the next ingest need not read them."""
        with self.db:
            self.db.executemany("UPDATE records SET stamp=? WHERE source=?", [(st, src) for src, st in stamps])

    def passage_ids(self, source: str) -> set[str]:
        """The ids of the passages the index holds for the record `source` (empty when none)."""
        return {r[0] for r in self.db.execute("SELECT passage_id FROM passages WHERE source=?", (source,))}

    def sources(self) -> list[str]:
        """The source of every record in the index."""
        return [r[0] for r in self.db.execute("SELECT source FROM records")]

    def replace_record(self, record: Record, fingerprint: str, passages: list[Passage], stamp: str | None = None) -> None:
        """Swap in a record's passages in one transaction, so a crash never leaves half a record."""
        self._forget_counts()
        with self.db:
            self._delete(record.source)
            self.db.execute("INSERT INTO records (source, fingerprint, record_json, stamp) VALUES (?,?,?,?)",
                            (record.source, fingerprint, json.dumps(record.to_json()), stamp))
            for p in passages:
                cur = self.db.execute(
                    f"INSERT INTO passages ({','.join(_COLUMNS)}) VALUES ({','.join('?' * len(_COLUMNS))})",
                    [_stored(p, c) for c in _COLUMNS])
                self.db.execute("INSERT INTO passages_fts(rowid, text, context) VALUES (?,?,?)",
                                (cur.lastrowid, p.text, _context(p.heading, p.title, p.committee)))

    def remove_record(self, source: str) -> None:
        """Delete a record, its passages and their keyword rows in one transaction (the vectors are the Archive's)."""
        self._forget_counts()
        with self.db:
            self._delete(source)

    def _delete(self, source: str) -> None:
        rows = self.db.execute("SELECT rowid, text, heading, title, committee FROM passages WHERE source=?",
                               (source,)).fetchall()
        for rowid, text, heading, title, committee in rows:
            # a contentless FTS5 table forgets a row only when given the values it indexed
            self.db.execute("INSERT INTO passages_fts(passages_fts, rowid, text, context) VALUES ('delete',?,?,?)",
                            (rowid, text, _context(heading, title, committee)))
        self.db.execute("DELETE FROM passages WHERE source=?", (source,))
        self.db.execute("DELETE FROM records WHERE source=?", (source,))

    # ---- reading ------------------------------------------------------------------------
    def passages(self, ids: list[str]) -> dict[str, Passage]:
        """The stored passages with these ids, by id; ids not in the index are left out."""
        out: dict[str, Passage] = {}
        for chunk in _batches(ids):
            rows = self.db.execute(
                f"SELECT {','.join(_COLUMNS)} FROM passages WHERE passage_id IN ({','.join('?' * len(chunk))})", chunk)
            for row in rows:
                p = _passage(row)
                out[p.passage_id] = p
        return out

    def item_passages(self, source: str, item: str | None) -> list[Passage]:
        """The passages of one item of a record (`item` None: those outside any numbered item), in reading order."""
        rows = self.db.execute(f"SELECT {','.join(_COLUMNS)} FROM passages WHERE source=? AND item IS ? ORDER BY rowid",
                               (source, item))
        return [_passage(r) for r in rows]

    def earlier_in_transcript(self, ids: list[str], reach: int) -> dict[str, list[tuple[str, int]]]:
        """For those of `ids` that are exchanges of a transcript, the ids of the (up to `reach`) exchanges before
        each, with how many places before it they are."""
        out: dict[str, list[tuple[str, int]]] = {}
        for chunk in _batches(ids):
            rows = self.db.execute(
                f"SELECT p.passage_id, e.passage_id, p.rowid - e.rowid FROM passages p JOIN passages e "
                f"ON e.rowid BETWEEN p.rowid - ? AND p.rowid - 1 AND e.source = p.source "
                f"WHERE p.doc_type = 'transcript' AND p.passage_id IN ({','.join('?' * len(chunk))})", (reach, *chunk))
            for pid, earlier, distance in rows:
                out.setdefault(pid, []).append((earlier, distance))
        return out

    def keyword_search(self, query: str, limit: int, where_sql: str = "", params: tuple = ()) -> list[tuple[str, float]]:
        """(passage_id, bm25 score, higher is better) for passages sharing words with the query.
        Words found in most passages are left out of the match when rarer ones remain: they barely
        move bm25, but every passage they match must be scored. In a large archive the candidates are
        the passages holding one of the rarest words, MAX_SCORED of them at most (at 100k passages a
        question's words find 20-80k, 50-150 ms to score), each scored by all the words it holds."""
        words = keyword_terms(query)
        frequency = self.document_frequencies(words)
        # a compound the question writes open and the archive closed often enough: "street lights" finds
        # "streetlights" (23 passages, 30 open), not a transcript's typo "primeminister" (1, against 64 open)
        pairs = {a + b: f"{a} {b}" for a, b in zip(words, words[1:]) if a + b not in words}
        counts = self.document_frequencies([*pairs, *pairs.values()])
        frequency.update({closed: counts[closed] for closed, spaced in pairs.items()
                          if counts[closed] >= CLOSED_COMPOUND_SHARE * counts[spaced]})
        present = [t for t, n in frequency.items() if n]
        if not present:
            return []
        total = self.count_passages()
        terms = [t for t in present if frequency[t] <= COMMON_SHARE * total] or present
        rare = within_budget(terms, frequency, self.max_scored)
        common = [t for t in terms if t not in rare]
        if not common:
            sql = (f"SELECT p.passage_id, {_SCORE} AS score FROM passages_fts "
                   "JOIN passages p ON p.rowid = passages_fts.rowid WHERE passages_fts MATCH ?"
                   f"{' AND ' + where_sql if where_sql else ''} ORDER BY bm25(passages_fts, 1.0, 0.4) LIMIT ?")
            return [(r[0], r[1]) for r in self.db.execute(sql, (_any(rare), *params, limit))]
        # a candidate holding other words too is scored by the match "rare AND other", which counts them all;
        # CROSS JOIN keeps the keyword index the outer loop (probed once per passage a filter allows, it
        # would count every word's passages again for each: 0.2-1 s at 100k)
        sql = (f"SELECT p.passage_id, coalesce(f.score, r.score) AS score FROM "
               f"(SELECT rowid, {_SCORE} AS score FROM passages_fts WHERE passages_fts MATCH ?) r "
               "CROSS JOIN passages p ON p.rowid = r.rowid LEFT JOIN "
               f"(SELECT rowid, {_SCORE} AS score FROM passages_fts WHERE passages_fts MATCH ?) f "
               f"ON f.rowid = r.rowid WHERE {where_sql or '1'} ORDER BY score DESC LIMIT ?")
        both = f"({_any(rare)}) AND ({_any(common)})"
        return [(r[0], r[1]) for r in self.db.execute(sql, (_any(rare), both, *params, limit))]

    def document_frequencies(self, terms: list[str]) -> dict[str, int]:
        """How many passages contain each term (after the index's stemming)."""
        self._check_version()
        for term in terms:
            if term not in self._frequency:
                self._frequency[term] = self.db.execute(
                    "SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?", (f'"{term}"',)).fetchone()[0]
        return {t: self._frequency[t] for t in terms}

    def missing_terms(self, terms: list[str], where_sql: str = "", params: tuple = (), close_form=None) -> list[str]:
        """The terms that no passage in scope contains (after the index's stemming); with `close_form`
        (a word → the start its close forms share), a passage holding a word that starts so counts too."""
        missing = []
        for term in terms:
            sql = ("SELECT 1 FROM passages_fts JOIN passages p ON p.rowid = passages_fts.rowid "
                   f"WHERE passages_fts MATCH ?{' AND ' + where_sql if where_sql else ''} LIMIT 1")
            match = f'"{term}" OR "{close_form(term)}"*' if close_form else f'"{term}"'
            if self.db.execute(sql, (match, *params)).fetchone() is None:
                missing.append(term)
        return missing

    def term_weights(self, terms: list[str]) -> dict[str, float]:
        """Inverse document frequency of each term over the whole index: rare words say more."""
        total = self.count_passages()
        return {t: math.log((total + 1) / (n + 0.5)) for t, n in self.document_frequencies(terms).items()}

    def distinct(self, column: str, public_only: bool = False) -> list[str]:
        """The names in `column`; `public_only`: only those of public passages (a committee that only a
        restricted record names is not shown to the public)."""
        assert column in ("council", "committee", "doc_type")
        where = f" AND access = '{PUBLIC}'" if public_only else ""
        return [r[0] for r in self.db.execute(
            f"SELECT DISTINCT {column} FROM passages WHERE {column} IS NOT NULL{where} ORDER BY 1")]

    def count_records(self) -> int:
        """How many records the index holds."""
        return self.db.execute("SELECT count(*) FROM records").fetchone()[0]

    def records(self) -> list[dict]:
        """Every record's metadata (Record.to_json), ordered by source."""
        return [json.loads(r[0]) for r in self.db.execute("SELECT record_json FROM records ORDER BY source")]

    def count_passages(self) -> int:
        """How many passages the index holds (cached until the database changes, here or in another process)."""
        self._check_version()
        if self._total is None:
            self._total = self.db.execute("SELECT count(*) FROM passages").fetchone()[0]
        return self._total

    def _check_version(self) -> None:
        """Drop cached counts when the database changed, here or in another process."""
        version = self.db.execute("PRAGMA data_version").fetchone()[0]
        if version != self._version:
            self._forget_counts()
            self._version = version

    def generation(self) -> int:
        """A number that changes whenever the index changed since the last call, here or in another process
        (another app instance's ingest): what a cache built on the index is checked against."""
        self._check_version()
        return self._generation

    def _forget_counts(self) -> None:
        self._generation += 1
        with self._cache_lock:
            self._ids.clear()
            self._shares.clear()
        self._frequency.clear()
        self._total = None

    def allowed(self, ids: list[str], where_sql: str, params: tuple) -> set[str]:
        """Those of `ids` whose passages meet the filter (an empty filter: those that exist)."""
        out: set[str] = set()
        for chunk in _batches(ids):
            # CROSS JOIN keeps the candidates as the outer loop: one primary-key lookup each, whatever
            # index the filter's columns might tempt the planner into
            sql = (f"WITH c(id) AS (VALUES {','.join(['(?)'] * len(chunk))}) SELECT p.passage_id FROM c "
                   f"CROSS JOIN passages p ON p.passage_id = c.id WHERE {where_sql or '1'}")
            out.update(r[0] for r in self.db.execute(sql, (*chunk, *params)))
        return out

    def share_where(self, where_sql: str, params: tuple) -> float:
        """The share of all passages the filter allows, counted once per filter until the index changes (the last
        SHARES_KEPT filters are remembered)."""
        def share() -> float:
            total = self.count_passages()
            allowed = self.db.execute(f"SELECT count(*) FROM passages p WHERE {where_sql}", params).fetchone()[0]
            return allowed / total if total else 0.0
        return self._per_filter(self._shares, (where_sql, params), share, lambda kept: len(kept) > SHARES_KEPT)

    def ids_where(self, where_sql: str, params: tuple) -> list[str]:
        """The ids of every passage the filter allows (the vector search of a narrow filter searches only those);
        the most recently used filters' lists are kept until the index changes, IDS_HELD ids at most."""
        return self._per_filter(self._ids, (where_sql, params), lambda: [
            r[0] for r in self.db.execute(f"SELECT p.passage_id FROM passages p WHERE {where_sql}", params)],
            lambda kept: sum(map(len, kept.values())) > IDS_HELD)

    def _per_filter(self, cache: dict, key: tuple, compute, too_much):
        """`cache`'s value for the filter `key`, computed when missing, and kept until the index changes; the least
        recently used filters are forgotten while `too_much(cache)` (the one just used stays)."""
        self._check_version()
        with self._cache_lock:  # the app's readers search at once, and each search reads a filter's share
            if key in cache:
                cache[key] = value = cache.pop(key)  # now the most recently used
                return value
            cache[key] = value = compute()
            while len(cache) > 1 and too_much(cache):
                cache.pop(next(iter(cache)))
            return value

    # ---- keeping the index whole ---------------------------------------------------------
    def ingest_started(self) -> None:
        """Record, before an ingest's first write (vectors or rows), that the index may be half-updated until
        `ingest_finished`: a kill in between leaves it so, and the next ingest then checks everything."""
        self._set_state(LAST_INGEST, "running")

    def ingest_finished(self) -> None:
        """Record that the last ingest wrote everything it meant to (after its last SQLite commit)."""
        self._set_state(LAST_INGEST, "finished")

    def last_ingest_finished(self) -> bool:
        """False when an ingest was interrupted (killed, or stopped by an error) after it began writing, and for
        an index written before ingests were recorded: either may hold vectors or keyword rows out of step."""
        row = self.db.execute("SELECT value FROM index_state WHERE name = ?", (LAST_INGEST,)).fetchone()
        return row is not None and row[0] == "finished"

    def _set_state(self, name: str, value: str) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO index_state (name, value) VALUES (?, ?)", (name, value))

    def check_keyword_index(self, thorough: bool = False) -> str | None:
        """Rebuild the keyword index from the stored passages when it is missing or does not hold exactly one
        row per passage (a message saying so), else None. `thorough` also runs FTS5's integrity check, which
        reads the whole index (done at the start of an ingest after one that did not finish; opening the store
        and any other ingest check the counts only)."""
        problem = None
        try:
            passages, rows, top, top_row = self.db.execute(
                "SELECT (SELECT count(*) FROM passages), (SELECT count(*) FROM passages_fts_docsize), "
                "(SELECT max(rowid) FROM passages), (SELECT max(id) FROM passages_fts_docsize)").fetchone()
            if (passages, top) != (rows, top_row):
                problem = f"it holds {rows} rows for {passages} passages"
            elif thorough:
                stray = self.db.execute("SELECT count(*) FROM passages p LEFT JOIN passages_fts_docsize d "
                                        "ON d.id = p.rowid WHERE d.id IS NULL").fetchone()[0]
                if stray:
                    problem = f"{stray} passages have no row in it"
                else:
                    self.db.execute("INSERT INTO passages_fts(passages_fts, rank) VALUES ('integrity-check', 0)")
        except sqlite3.DatabaseError as err:  # a missing shadow table, a damaged page
            problem = f"it cannot be read ({err})"
        if problem is None:
            return None
        count = self.rebuild_keyword_index()
        return f"warning: the keyword index was damaged ({problem}); rebuilt from the {count} stored passages"

    def rebuild_keyword_index(self) -> int:
        """The keyword index made again from the passages table, in one transaction; the passages indexed."""
        self._forget_counts()
        rows = self.db.execute("SELECT rowid, text, heading, title, committee FROM passages").fetchall()
        with self.db:
            self.db.execute("DROP TABLE IF EXISTS passages_fts")
            self.db.execute(KEYWORD_INDEX)
            self.db.executemany("INSERT INTO passages_fts(rowid, text, context) VALUES (?,?,?)",
                                ((rowid, text, _context(heading, title, committee))
                                 for rowid, text, heading, title, committee in rows))
        return len(rows)

def within_budget(terms: list[str], frequency: dict[str, int], budget: int | None) -> list[str]:
    """The rarest of `terms` whose passages add up to at most `budget` (the rarest always), in their order."""
    if budget is None:
        return terms
    kept, rows = set(), 0
    for term in sorted(terms, key=lambda t: frequency[t]):
        if kept and rows + frequency[term] > budget:
            break
        kept.add(term)
        rows += frequency[term]
    return [t for t in terms if t in kept]


def _any(terms: list[str]) -> str:
    return " OR ".join(f'"{t}"' for t in terms)


def _context(heading: str | None, title: str | None, committee: str | None) -> str:
    """What the keyword index holds beside a passage's text: its heading, title and committee."""
    return " ".join(filter(None, (heading, title, committee)))


def _batches(ids: list[str], size: int = 500) -> list[list[str]]:
    """`ids` in runs short enough for one SQL statement's parameters."""
    return [ids[i:i + size] for i in range(0, len(ids), size)]


def _stored(p: Passage, column: str):
    """A passage's value for `column` as the passages table holds it."""
    if column in _FLAGS:
        return int(getattr(p, column))
    if column == "sentences":
        return json.dumps(p.sentences) if p.sentences else None
    return getattr(p, column)


def _passage(row) -> Passage:
    values = dict(zip(_COLUMNS, row))
    for flag in _FLAGS:
        values[flag] = bool(values[flag])
    values["sentences"] = [tuple(s) for s in json.loads(values["sentences"])] if values["sentences"] else []
    return Passage(**values)
