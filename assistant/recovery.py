"""Keeping the index whole: one ingest at a time, and repairing what a killed ingest left behind.

An ingest writes a file's vectors to Chroma, then its passages to SQLite in one transaction, so a
crash (SIGKILL, power cut) between the two leaves vectors without passages, or passages whose
vectors were deleted. SQLite is the record of what the index holds; `repair_vectors` makes Chroma
agree with it (vectors without a passage deleted, passages without a vector embedded again), and the
re-ingest that follows re-reads the file whose passages were not committed (its fingerprint was not
either). The keyword index lives in the same SQLite file and is checked by `Store.check_keyword_index`.

Both read the whole index (2-3 s at 100,000 passages on the shared 2-core machine, locally or from
a `chroma run` server), so `make_whole` runs them only when they can find something: when the last
ingest did not finish (SQLite records each ingest as running before its first write and finished
after its last commit), or when Chroma and SQLite do not hold as many passages as each other. An
ingest after a clean one, the usual case, costs two counts.

`ingest_lock` is an exclusive lock on INDEX/ingest.lock (flock, so the operating system releases it
when a holder dies, even by SIGKILL): a second ingest on the same index is refused, not interleaved.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from assistant import embedder

LOCK_NAME = "ingest.lock"
BATCH = 1000


class IndexBusy(RuntimeError):
    """Another ingest holds the index; the message says so."""


@contextmanager
def ingest_lock(index_dir: Path):
    """Hold the index's ingest lock for the block; IndexBusy at once when another process holds it."""
    lock = FileLock(str(Path(index_dir) / LOCK_NAME), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise IndexBusy(f"another ingest is updating {index_dir}/ (its lock {LOCK_NAME} is held); "
                        "run this one when it has finished") from None
    try:
        yield
    finally:
        lock.release()


def make_whole(store, collection, metadata) -> list[str]:
    """At the start of an ingest, under its lock: record it as running, and repair what an interrupted one left
    (the keyword index checked thoroughly, Chroma made to agree with SQLite) when the last ingest did not finish
    or the counts disagree; a warning for each repair made. `metadata`: a passage's Chroma metadata."""
    finished = store.last_ingest_finished()
    store.ingest_started()  # before any write, the repairs' included
    messages = [store.check_keyword_index(thorough=not finished)]
    if not finished or collection.count() != store.count_passages():
        messages.append(repair_vectors(store, collection, metadata))
    return [m for m in messages if m]


def repair_vectors(store, collection, metadata) -> str | None:
    """Make the Chroma collection hold exactly one vector per stored passage (`metadata`: a passage's Chroma
    metadata); a message when it had to."""
    stored = {r[0] for r in store.db.execute("SELECT passage_id FROM passages")}
    held: set[str] = set()
    offset = 0
    while True:  # in pages, so a large collection is never fetched at once
        page = collection.get(include=[], limit=10 * BATCH, offset=offset)["ids"]
        held.update(page)
        offset += len(page)
        if len(page) < 10 * BATCH:
            break
    orphans = sorted(held - stored)
    for start in range(0, len(orphans), BATCH):
        collection.delete(ids=orphans[start:start + BATCH])
    missing = sorted(stored - held)
    for start in range(0, len(missing), BATCH):
        found = store.passages(missing[start:start + BATCH])
        passages = [found[i] for i in missing[start:start + BATCH] if i in found]
        if passages:
            vectors = embedder.embed([p.context_text() for p in passages])
            collection.upsert(ids=[p.passage_id for p in passages], embeddings=vectors,
                              metadatas=[metadata(p) for p in passages])
    if not orphans and not missing:
        return None
    return (f"warning: the index was left half-updated by an interrupted ingest: {len(orphans)} vectors without a "
            f"passage removed, {len(missing)} passages embedded again")
