"""The index on disk: a Chroma collection of passage vectors and a SQLite store kept in step.

`Archive.ingest` is incremental: a file whose bytes, manifest row and parser version are
unchanged is not parsed or embedded again; a changed file has its removed passages deleted,
its new ones embedded, the rest only re-labelled. A file that cannot be read is skipped with
its reason and whatever was indexed from it before stays.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from assistant import embedder, filters, loaders, recovery
from assistant.metadata import MANIFEST_NAMES, Manifest
from assistant.parse import display_path, parse_file
from assistant.records import PUBLIC, Passage
from assistant.store import Store

COLLECTION = "minute_book_passages"
PARSER_VERSION = "14"  # bump when parsing or chunking changes, so re-ingest re-parses everything


class IndexMissing(Exception):
    pass


@dataclass
class IngestReport:
    files_read: int = 0
    records: int = 0
    passages_added: int = 0
    passages_removed: int = 0
    unchanged_files: int = 0
    skipped: list[dict] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict:
        return dict(self.__dict__, seconds=round(self.seconds, 2))


def chroma_metadata(p: Passage) -> dict:
    meta = {"source": p.source, "doc_type": p.doc_type or "", "is_decision": p.is_decision,
            "is_procedural": p.is_procedural, "access": p.access,
            "date_num": filters.date_num(p.date)}
    if p.council:
        meta["council"] = p.council
    if p.committee:
        meta["committee"] = p.committee
    return meta


class Archive:
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
        return Path(source) if os.path.isabs(source) else self.base / source

    @property
    def collection(self):
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
    def ingest(self, paths: list[str | Path], manifest_file: str | Path | None = None, log=print) -> IngestReport:
        """Index the files and folders in `paths`; recovery.IndexBusy when another ingest holds the index.
        First repairs what an interrupted ingest may have left (the index then is as a fresh ingest makes it)."""
        with recovery.ingest_lock(self.index_dir):
            for message in (self.store.check_keyword_index(thorough=True),
                            recovery.repair_vectors(self.store, self.collection, chroma_metadata)):
                if message:
                    log(message)
            return self._ingest(paths, manifest_file, log)

    def _ingest(self, paths: list[str | Path], manifest_file: str | Path | None, log) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        manifest = Manifest()
        files: list[Path] = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                manifest.discover(path)
                files.extend(sorted(f for f in path.rglob("*") if f.is_file() and not _hidden(f, path)
                                    and f.name not in MANIFEST_NAMES and f.name.lower() != "readme.md"))
                self._forget_deleted(path, report)
            elif path.exists():
                for name in MANIFEST_NAMES:
                    if (path.parent / name).exists():
                        manifest.read(path.parent / name)
                files.append(path)
            else:
                self._skip(report, display_path(path, self.base), "no such file or folder", log)
        if manifest_file:
            if Path(manifest_file).exists():
                manifest.read(Path(manifest_file))
            else:
                self._skip(report, str(manifest_file), "manifest not found", log)
        for where, problem in manifest.problems:
            log(f"warning: {where}: {problem}")
        for path in files:
            self._ingest_file(path, manifest, report, log)
        report.records = len(self.store.sources())
        report.seconds = time.perf_counter() - started
        return report

    def _ingest_file(self, path: Path, manifest: Manifest, report: IngestReport, log) -> None:
        source = display_path(path, self.base)
        try:
            loaders.check_size(path)  # a 200 MB file is refused before it is read, not after
            raw = path.read_bytes()
        except loaders.Unreadable as err:
            self._skip(report, source, str(err), log)
            return
        except OSError as err:
            self._skip(report, source, f"cannot read file: {err.strerror or err}", log)
            return
        fingerprint = hashlib.sha256(raw + json.dumps(manifest.lookup(path), sort_keys=True).encode()
                                     + PARSER_VERSION.encode()).hexdigest()
        if self.store.fingerprint(source) == fingerprint:
            report.files_read += 1
            report.unchanged_files += 1
            return
        try:
            record, passages = parse_file(path, manifest, self.base)
        except loaders.Unreadable as err:
            self._skip(report, source, str(err), log)
            return
        except Exception as err:  # a parser bug on one odd file must not stop the archive
            self._skip(report, source, f"could not be parsed ({type(err).__name__}: {str(err)[:100]})", log)
            return
        passages = list({p.passage_id: p for p in passages}.values())
        old = self.store.passage_ids(source)
        new = [p for p in passages if p.passage_id not in old]
        kept = [p for p in passages if p.passage_id in old]
        gone = sorted(old - {p.passage_id for p in passages})
        if new:
            vectors = embedder.embed([p.context_text() for p in new])
            for start in range(0, len(new), 1000):
                batch = new[start:start + 1000]
                self.collection.upsert(ids=[p.passage_id for p in batch], embeddings=vectors[start:start + 1000],
                                       documents=[p.text for p in batch], metadatas=[chroma_metadata(p) for p in batch])
        if kept:
            self.collection.update(ids=[p.passage_id for p in kept], metadatas=[chroma_metadata(p) for p in kept])
        if gone:
            self.collection.delete(ids=gone)
        self.store.replace_record(record, fingerprint, passages)
        report.files_read += 1
        report.passages_added += len(new)
        report.passages_removed += len(gone)

    def _forget_deleted(self, folder: Path, report: IngestReport) -> None:
        """Records from files that were under `folder` and are gone from disk leave the index."""
        prefix = display_path(folder, self.base).rstrip(os.sep) + os.sep
        for source in self.store.sources():
            if source.startswith(prefix) and not self.path_of(source).exists():
                ids = sorted(self.store.passage_ids(source))
                if ids:
                    self.collection.delete(ids=ids)
                self.store.remove_record(source)
                report.passages_removed += len(ids)

    @staticmethod
    def _skip(report: IngestReport, path: str, reason: str, log) -> None:
        report.skipped.append({"path": path, "reason": reason})
        log(f"skipped {path}: {reason}")

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


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)
