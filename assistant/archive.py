"""The index on disk: a Chroma collection of passage vectors and a SQLite store kept in step.

`Archive.ingest` (assistant/ingest.py) is incremental: a file whose bytes, manifest row and parser
version are unchanged is not parsed or embedded again; a changed file has its removed passages
deleted (`Archive.write`), its new ones embedded, the rest only re-labelled. A file that cannot be
read is skipped with its reason and whatever was indexed from it before stays.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from assistant import filters, recovery
from assistant.records import PUBLIC, Passage, Record
from assistant.store import Store

COLLECTION = "minute_book_passages"
UPSERT_BATCH = 1000  # vectors per Chroma call
PARSER_VERSION = "28"  # bump when parsing or chunking changes, so re-ingest re-parses everything


class IndexMissing(Exception):
    """No index in the folder given (no passages.sqlite); the message says how to make one with ingest."""
    pass


@dataclass
class Change:
    """One changed file: its record and passages, and which passages are new, kept and gone."""

    record: Record
    fingerprint: str
    stamp: str | None
    passages: list[Passage]
    new: list[Passage]
    kept: list[Passage]
    gone: list[str]


def chroma_metadata(p: Passage) -> dict:
    """The metadata Chroma keeps with a passage's vector: source, type, decision and procedural flags, access
    and the date as a number (0 when unknown); council and committee only when known."""
    meta = {"source": p.source, "doc_type": p.doc_type or "", "is_decision": p.is_decision,
            "is_procedural": p.is_procedural, "access": p.access,
            "date_num": filters.date_num(p.date)}
    if p.council:
        meta["council"] = p.council
    if p.committee:
        meta["committee"] = p.committee
    return meta


class Archive:
    """The index in one folder: passages.sqlite, and the Chroma vectors under chroma/ unless a Chroma server URL is
    given. IndexMissing when the folder holds no index and `create` is not set."""

    def __init__(self, index_dir: str | Path = "index", chroma_url: str | None = None, create: bool = False) -> None:
        self.index_dir = Path(index_dir)
        self.chroma_url = chroma_url or os.environ.get("ASSISTANT_CHROMA_URL") or None
        db = self.index_dir / "passages.sqlite"
        if not db.exists() and not create:
            raise IndexMissing(f"no index at {self.index_dir}/ (run: python -m assistant ingest PATH --index {self.index_dir})")
        self.index_dir.mkdir(parents=True, exist_ok=True)
        self.store = Store(db)
        if message := self.store.check_keyword_index():  # a deleted or half-written keyword index, found at start
            logging.getLogger("assistant.archive").warning(message)
        self._collection = None
        self.base = self.index_dir.resolve().parent  # sources are keyed relative to the folder holding the index

    def path_of(self, source: str) -> Path:
        """The file of a record's `source`: an absolute path as is, else relative to the folder holding the index."""
        return Path(source) if os.path.isabs(source) else self.base / source

    @property
    def collection(self):
        """The Chroma collection of passage vectors (cosine), opened on first use: a local one under the index folder,
        or the one on the server at `chroma_url`."""
        if self._collection is None:
            import chromadb
            from chromadb.config import Settings

            settings = Settings(anonymized_telemetry=False)
            if self.chroma_url:
                url = urlparse(self.chroma_url)
                client = chromadb.HttpClient(host=url.hostname or "127.0.0.1", port=url.port or 8000,
                                             ssl=url.scheme == "https", settings=settings)
            else:
                client = chromadb.PersistentClient(path=str(self.index_dir / "chroma"), settings=settings)
            self._collection = client.get_or_create_collection(
                COLLECTION, embedding_function=None, configuration={"hnsw": {"space": "cosine"}})
        return self._collection

    # ---- ingest ---------------------------------------------------------------------------
    def ingest(self, paths: list[str | Path], manifest_file: str | Path | None = None, log=print,
               prune: bool = False, progress: bool = False, batch: int | None = None):
        """Index the files and folders in `paths` (assistant/ingest.py): unchanged files are not read,
        changed ones replace their passages, records whose files are gone from a folder are removed
        when `prune`; `batch` new passages are embedded at a time (fewer: less memory, records committed
        sooner); an IngestReport of what was done. recovery.IndexBusy when another ingest holds the
        index. First repairs what an interrupted ingest may have left (the index then is as a fresh ingest
        makes it); the index is recorded as whole again only when this ingest returns (an error leaves it
        to the next one to check)."""
        from assistant import ingest

        with recovery.ingest_lock(self.index_dir):
            for message in recovery.make_whole(self.store, self.collection, chroma_metadata):
                log(message)
            report = ingest.run(self, paths, manifest_file, log=log, prune=prune, progress=progress,
                                batch=batch or ingest.EMBED_BATCH)
            self.store.ingest_finished()
            return report

    def change(self, record: Record, fingerprint: str, stamp: str | None, passages: list[Passage]) -> Change:
        """How a file's freshly parsed passages differ from what the index holds for it."""
        old = self.store.passage_ids(record.source)
        return Change(record, fingerprint, stamp, passages, new=[p for p in passages if p.passage_id not in old],
                      kept=[p for p in passages if p.passage_id in old],
                      gone=sorted(old - {p.passage_id for p in passages}))

    def write(self, changes: list[Change], vectors) -> None:
        """Apply `changes` (vectors: one row per new passage, in order): the new vectors go to Chroma in
        large batches, then each file's old vectors are relabelled or deleted and its rows replaced in one
        SQLite transaction (Chroma first, then SQLite, as before)."""
        new = [p for change in changes for p in change.new]
        for start in range(0, len(new), UPSERT_BATCH):
            batch = new[start:start + UPSERT_BATCH]
            # no documents: the text is in SQLite, and Chroma indexing it again doubled the cost of a write
            self.collection.upsert(ids=[p.passage_id for p in batch], embeddings=vectors[start:start + UPSERT_BATCH],
                                   metadatas=[chroma_metadata(p) for p in batch])
        for change in changes:
            if change.kept:
                self.collection.update(ids=[p.passage_id for p in change.kept],
                                       metadatas=[chroma_metadata(p) for p in change.kept])
            if change.gone:
                self.collection.delete(ids=change.gone)
            self.store.replace_record(change.record, change.fingerprint, change.passages, change.stamp)

    def forget(self, sources: list[str]) -> int:
        """Remove these records and their passages from the index; how many passages went."""
        removed = 0
        for source in sources:
            ids = sorted(self.store.passage_ids(source))
            if ids:
                self.collection.delete(ids=ids)
            self.store.remove_record(source)
            removed += len(ids)
        return removed

    # ---- reading --------------------------------------------------------------------------
    def stats(self, role: str = "public") -> dict:
        """What the index holds, as the role may see it: the public role counts only public passages and the
        records, councils and committees they come from (a record that is all restricted is not there at all);
        an officer also gets how much of it is restricted."""
        public_only = role != "officer"
        db = self.store.db
        visible = ({r[0] for r in db.execute("SELECT DISTINCT source FROM passages WHERE access = ?", (PUBLIC,))}
                   if public_only else None)
        records = [r for r in self.store.records() if visible is None or r["source"] in visible]
        dates = sorted(r["date"] for r in records if r.get("date"))
        by_type: dict[str, int] = {}
        for r in records:
            by_type[r.get("doc_type") or "unknown"] = by_type.get(r.get("doc_type") or "unknown", 0) + 1
        out = {
            "records": len(records),
            "passages": (db.execute("SELECT count(*) FROM passages WHERE access = ?", (PUBLIC,)).fetchone()[0]
                         if public_only else self.store.count_passages()),
            "councils": self.store.distinct("council", public_only),
            "committees": self.store.distinct("committee", public_only),
            "dates": {"first": dates[0] if dates else None, "last": dates[-1] if dates else None},
            "doc_types": by_type, "index": str(self.index_dir), "chroma_url": self.chroma_url,
        }
        if not public_only:
            restricted = db.execute("SELECT count(*), count(DISTINCT source) FROM passages WHERE access != ?", (PUBLIC,))
            passages, sources = restricted.fetchone()
            out["restricted"] = {"passages": passages, "records": sources}
        return out

