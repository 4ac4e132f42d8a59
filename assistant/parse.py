"""From a file to a Record and its Passages: load, clean, read metadata, chunk."""

from __future__ import annotations

import os
from pathlib import Path

from assistant import access, chunking, cleanup, loaders, metadata
from assistant.records import RESTRICTED, Passage, Record, content_hash
from assistant.text import spoken_sentences


def display_path(path: Path, base: Path | None = None) -> str:
    """The path as citations show it and the index keys it: relative to `base` (the folder that
    holds the index, so the same file gets the same key from any working directory) when it is
    inside it, else absolute."""
    resolved = path.resolve()
    base = (base or Path.cwd()).resolve()
    if resolved == base or base in resolved.parents:
        return os.path.relpath(resolved, base)
    return str(resolved)


def parse_file(path: Path, manifest: metadata.Manifest | None = None,
               base: Path | None = None) -> tuple[Record, list[Passage]]:
    """Raises loaders.Unreadable with the reason when the file cannot be used."""
    loaded = loaders.load(path)
    blocks = cleanup.to_blocks(loaded.pages, loaded.paged)
    if not blocks:
        raise loaders.Unreadable("no text left after clean-up")
    found = metadata.from_text(blocks)
    found.update(metadata.from_path(path) | {k: v for k, v in found.items() if k in ("date", "item")})
    if manifest is not None:
        found.update(manifest.lookup(path))
    if access.record_exemption([b.text for b in blocks]):
        found["access"] = RESTRICTED  # the text's own marking holds whatever a manifest says
    raw = path.read_bytes()
    record = Record(source=display_path(path, base), content_hash=content_hash(raw),
                    page_count=len(loaded.pages) if loaded.paged else None, **found)
    passages = chunking.passages_for(record, blocks, transcript=record.doc_type == "transcript")
    if not passages:
        raise loaders.Unreadable("no passages could be cut from the text")
    for passage in passages:
        passage.sentences = spoken_sentences(passage.text)
    return record, passages
