"""Ingest: files on disk into the index, at the speed of the encoder.

`run(archive, paths)` is `Archive.ingest`. In order:

1. find the files under the paths (manifests read; hidden files, manifests and READMEs left out);
2. records whose files are gone from a folder being ingested: counted, and removed only with prune
   (a folder half there, an unmounted share, must not empty the index);
3. a file whose size, modification time, manifest row and parser version are those recorded at its
   last ingest is unchanged without being read; any other file is read and hashed on a worker
   thread, and parsed there when its bytes, manifest row or the parser changed;
4. the main thread embeds the new passages of many files in one call (large batches, similar
   lengths together: the encoder releases the GIL, so parsing goes on meanwhile); a writer thread
   stores each batch while the next is embedded, each file in one SQLite transaction (Archive.write).

What a file that cannot be read or parsed had in the index stays; the file is skipped with its reason.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from assistant import embedder, loaders
from assistant.archive import PARSER_VERSION
from assistant.metadata import MANIFEST_NAMES, Manifest
from assistant.parse import display_path, parse_file
from assistant.records import Passage, Record

# new passages embedded per call: the encoder sorts them by length, and the more it sorts the less it pads
# (the demo's 632 passages cost a fifth more CPU embedded 256 at a time than all at once)
EMBED_BATCH = 2048
LOOKAHEAD = 1024  # files the worker may have read and parsed ahead of the encoder (about a batch or more)


@dataclass
class IngestReport:
    """What an ingest did: files read (of them unchanged), records in the index, passages added and removed, files
    skipped with their reasons, seconds taken, and records of deleted files kept or pruned."""

    files_read: int = 0
    records: int = 0
    passages_added: int = 0
    passages_removed: int = 0
    unchanged_files: int = 0
    skipped: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    files_missing: int = 0  # records whose files are gone from a folder ingested (kept unless pruned)
    files_pruned: int = 0  # of those, removed from the index (prune)

    def to_json(self) -> dict:
        """The report as a dict, seconds rounded to hundredths."""
        return dict(self.__dict__, seconds=round(self.seconds, 2))


@dataclass
class Job:
    """A file to read: the index's key for it, its stamp and what the index recorded at its last ingest."""

    path: Path
    source: str
    stamp: str
    known: str | None  # fingerprint of the indexed version, None when it is not in the index
    fingerprint: str = ""
    record: Record | None = None  # None with no `problem`: the bytes are those indexed
    passages: list[Passage] = field(default_factory=list)
    problem: str | None = None  # why the file is skipped


def run(archive, paths: list[str | Path], manifest_file: str | Path | None = None, log=print,
        prune: bool = False, progress: bool = False, batch: int = EMBED_BATCH) -> IngestReport:
    """Ingest `paths` into `archive` (the steps above); the IngestReport. Called by Archive.ingest, which holds the
    index's lock."""
    started = time.perf_counter()
    report = IngestReport()
    files, folders, manifest = find_files(archive, paths, manifest_file, report, log)
    missing = gone_sources(archive, folders)
    report.files_missing = len(missing)
    if missing and prune:
        report.passages_removed += archive.forget(missing)
        report.files_pruned = len(missing)
        log(f"pruned {len(missing)} records whose files are gone")
    elif missing:
        log(f"kept {len(missing)} records whose files are gone (--prune removes them), e.g. {missing[0]}")
    jobs = plan(archive, files, manifest, report)
    index(archive, jobs, manifest, report, log, progress, batch)
    report.records = archive.store.count_records()
    report.seconds = time.perf_counter() - started
    return report


def find_files(archive, paths, manifest_file, report: IngestReport, log) -> tuple[list[Path], list[Path], Manifest]:
    """The files to ingest (each once, in order), the folders given, and the manifests' rows."""
    manifest = Manifest()
    files: list[Path] = []
    folders: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            folders.append(path)
            manifest.discover(path)
            files.extend(sorted(f for f in path.rglob("*") if f.is_file() and not _hidden(f, path)
                                and f.name not in MANIFEST_NAMES and f.name.lower() != "readme.md"))
        elif path.exists():
            for name in MANIFEST_NAMES:
                if (path.parent / name).exists():
                    manifest.read(path.parent / name)
            files.append(path)
        else:
            skip(report, display_path(path, archive.base), "no such file or folder", log)
    if manifest_file:
        if Path(manifest_file).exists():
            manifest.read(Path(manifest_file))
        else:
            skip(report, str(manifest_file), "manifest not found", log)
    for where, problem in manifest.problems:
        log(f"warning: {where}: {problem}")
    unique = {f.resolve(): f for f in files}
    return list(unique.values()), folders, manifest


def gone_sources(archive, folders: list[Path]) -> list[str]:
    """Indexed records from files that were under one of `folders` and are no longer on disk."""
    prefixes = tuple(display_path(folder, archive.base).rstrip(os.sep) + os.sep for folder in folders)
    if not prefixes:
        return []
    return [s for s in archive.store.sources() if s.startswith(prefixes) and not archive.path_of(s).exists()]


def stamp(path: Path, manifest: Manifest) -> str | None:
    """What must stay the same for a file to count as unchanged unread: size, modification time (ns),
    manifest row, parser version. None when the file cannot be examined."""
    try:
        st = path.stat()
    except OSError:
        return None
    key = f"{st.st_size}:{st.st_mtime_ns}|{json.dumps(manifest.lookup(path), sort_keys=True)}|{PARSER_VERSION}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def fingerprint(raw: bytes, path: Path, manifest: Manifest) -> str:
    """The file's bytes, its manifest row and the parser version: a file is re-parsed when one changes."""
    return hashlib.sha256(raw + json.dumps(manifest.lookup(path), sort_keys=True).encode()
                          + PARSER_VERSION.encode()).hexdigest()


def plan(archive, files: list[Path], manifest: Manifest, report: IngestReport) -> list[Job]:
    """The files that must be read; the others (same stamp as at their last ingest) are counted unchanged."""
    recorded = archive.store.fingerprints()
    jobs = []
    for path in files:
        source = display_path(path, archive.base)
        known_fingerprint, known_stamp = recorded.get(source, (None, None))
        current = stamp(path, manifest) or ""
        if known_fingerprint and current and current == known_stamp:
            report.files_read += 1
            report.unchanged_files += 1
        else:
            jobs.append(Job(path, source, current, known_fingerprint))
    return jobs


def read(job: Job, manifest: Manifest, base: Path) -> Job:
    """Hash the file and, when it changed, parse it (on the worker thread: no index access here)."""
    try:
        loaders.check_size(job.path)  # a 200 MB file is refused before it is read, not after
        raw = job.path.read_bytes()
    except loaders.Unreadable as err:
        job.problem = str(err)
        return job
    except OSError as err:
        job.problem = f"cannot read file: {err.strerror or err}"
        return job
    job.fingerprint = fingerprint(raw, job.path, manifest)
    if job.fingerprint == job.known:
        return job
    try:
        job.record, passages = parse_file(job.path, manifest, base)
        job.passages = list({p.passage_id: p for p in passages}.values())
    except loaders.Unreadable as err:
        job.problem = str(err)
    except Exception as err:  # a parser bug on one odd file must not stop the archive
        job.problem = f"could not be parsed ({type(err).__name__}: {str(err)[:100]})"
    return job


def read_ahead(jobs: list[Job], manifest: Manifest, base: Path) -> Iterator[Job]:
    """`jobs` read and parsed by one worker thread, at most LOOKAHEAD ahead of the caller, in order."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-read") as worker:
        pending = deque()
        waiting = iter(jobs)
        for job in waiting:
            pending.append(worker.submit(read, job, manifest, base))
            if len(pending) >= LOOKAHEAD:
                break
        try:
            while pending:
                done = pending.popleft().result()
                following = next(waiting, None)
                if following is not None:
                    pending.append(worker.submit(read, following, manifest, base))
                yield done
        finally:  # the caller stopped (an error): files not started yet are not parsed for nothing
            for future in pending:
                future.cancel()


def index(archive, jobs: list[Job], manifest: Manifest, report: IngestReport, log, progress: bool,
          embed_batch: int = EMBED_BATCH) -> None:
    """Embed and write the changed files; a progress bar on stderr. A worker thread reads and parses ahead,
    the main thread embeds `embed_batch` new passages at a time, a writer thread stores the last batch
    meanwhile (opening the vector store first)."""
    from tqdm import tqdm

    if not jobs:
        return
    bar = tqdm(total=len(jobs), unit="file", desc="ingest", file=sys.stderr, disable=not progress, leave=False)
    say = log if not progress else (lambda line: _above(bar, log, line))
    began = time.perf_counter()
    batch: list = []
    waiting = 0  # new passages in the batch
    stamps: list[tuple[str, str]] = []
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-write") as writer:
        written = writer.submit(lambda: archive.collection)

        def flush() -> None:
            """Embed the batch's new passages, hand it to the writer once the last one is written; start anew."""
            nonlocal written, batch, waiting
            if batch:
                vectors = embedder.embed([p.context_text() for change in batch for p in change.new])
                written.result()  # one batch in flight at most; its error, if any, stops the ingest here
                written = writer.submit(archive.write, batch, vectors)
                report.passages_added += waiting
                report.passages_removed += sum(len(c.gone) for c in batch)
                bar.set_postfix_str(f"{report.passages_added / (time.perf_counter() - began):.1f} passages/s")
            batch, waiting = [], 0

        for job in read_ahead(jobs, manifest, archive.base):
            bar.update(1)
            if job.problem:
                skip(report, job.source, job.problem, say)
                continue
            report.files_read += 1
            if job.record is None:  # touched, not changed
                report.unchanged_files += 1
                stamps.append((job.source, job.stamp))
                continue
            batch.append(archive.change(job.record, job.fingerprint, job.stamp, job.passages))
            waiting += len(batch[-1].new)
            if waiting >= embed_batch or len(batch) >= LOOKAHEAD:  # many files relabelled, few passages new
                flush()
        flush()
        written.result()
    archive.store.set_stamps(stamps)
    bar.set_postfix_str(f"{report.passages_added / (time.perf_counter() - began):.1f} passages/s", refresh=True)
    bar.close()


def _above(bar, log, line: str) -> None:
    with bar.external_write_mode():
        log(line)


def skip(report: IngestReport, path: str, reason: str, log) -> None:
    """Note in the report that `path` was skipped for `reason`, and log it."""
    report.skipped.append({"path": path, "reason": reason})
    log(f"skipped {path}: {reason}")


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)
