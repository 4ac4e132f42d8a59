"""Search latency and memory at N passages: what one app process pays per search on a county-size archive.

The archive: corpus/ ingested for real, then synthetic records up to N passages, as
bench/query_speed.py --scale builds them (random unit vectors; text stitched from corpus sentences;
real council/committee pairs; dates 2015-2024; ~15% decisions; 50 passages a record). Each synthetic
record is also written to disk as a text file of its passages, stamped in the index as ingest stamps
the files it reads, so re-ingesting the whole archive unchanged can be timed. It is built once, in a
child process, and cached under the system temp folder by N and VERSION (delete it to rebuild).

The serving process then opens the archive with Engine, as the app does, and runs
query_speed.measure: about 50 real questions, warm, k=10, really encoded once each (the question
encoding is timed on its own: "encode"), searched unfiltered, by committee, by a 2021-2022 date range
and decisions only, interleaved over --rounds, with a bare Chroma query of the same vector as the
baseline. Then the archive's folders are re-ingested (all unchanged).

The cache holds its own copy of corpus/, so its sources are relative to it and any checkout may use it, and
is keyed by the parser version too (a new one would re-parse every file: not an unchanged re-ingest).

Prints a table, then one JSON line last:
  {"passages", "p50_ms", "p95_ms", "filtered_p95_ms", "encode_p50_ms", "rss_mb", ...}
p50/p95 are the unfiltered search; filtered_p95_ms the worst p95 of the three filters; rss_mb the
resident memory of this process (model, engine, both indexes open) after the searches; also the
baseline's p95, the ratios to it, and reingest_unchanged_s.

Run from the repository root:  .venv/bin/python bench/query_latency.py --passages 100000
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from assistant import ingest  # noqa: E402
from assistant.archive import PARSER_VERSION, Archive  # noqa: E402
from assistant.engine import Engine  # noqa: E402
from assistant.metadata import Manifest  # noqa: E402
from query_speed import add_synthetic, measure, pick_questions, table  # noqa: E402

VERSION = "1"  # bump when the synthetic archive changes
FILTERS = ("committee", "date-range", "decisions-only")


def cache_folder(n: int) -> Path:
    return Path(tempfile.gettempdir()) / f"minute-book-latency-v{VERSION}-p{PARSER_VERSION}-{n}"


def build(folder: Path, n: int) -> None:
    """A copy of corpus/ plus synthetic records up to n passages, in `folder`/index; their files in
    `folder`/corpus and `folder`/synthetic."""
    scratch = folder.with_name(folder.name + f".building-{os.getpid()}")
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(ROOT / "corpus", scratch / "corpus")
    archive = Archive(scratch / "index", create=True)
    archive.ingest([scratch / "corpus"], log=lambda line: None)
    add_synthetic(archive, max(0, n - archive.store.count_passages()))
    manifest = Manifest()
    stamps = []
    for (source,) in archive.store.db.execute("SELECT source FROM records WHERE fingerprint = 'synthetic'").fetchall():
        path = archive.path_of(source)
        path.parent.mkdir(parents=True, exist_ok=True)
        texts = [t for (t,) in archive.store.db.execute("SELECT text FROM passages WHERE source=? ORDER BY rowid", (source,))]
        path.write_text("\n\n".join(texts), encoding="utf-8")
        stamps.append((ingest.fingerprint(path.read_bytes(), path, manifest), ingest.stamp(path, manifest), source))
    with archive.store.db:
        archive.store.db.executemany("UPDATE records SET fingerprint=?, stamp=? WHERE source=?", stamps)
    del archive
    os.replace(scratch, folder)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # peak, where /proc is missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passages", type=int, required=True, metavar="N", help="archive size in passages")
    parser.add_argument("--questions", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    folder = cache_folder(args.passages)
    if args.build_only:
        build(folder, args.passages)
        return 0
    if not (folder / "index").exists():
        started = time.perf_counter()
        print(f"building {folder} (once)…", file=sys.stderr)
        subprocess.run([sys.executable, __file__, "--passages", str(args.passages), "--build-only"], check=True)
        print(f"built in {time.perf_counter() - started:.0f} s", file=sys.stderr)

    engine = Engine(str(folder / "index"))
    n = engine.archive.store.count_passages()
    result = measure(engine, pick_questions(args.questions), args.rounds)
    memory = rss_mb()
    started = time.perf_counter()
    again = engine.archive.ingest([folder / "corpus", folder / "synthetic"], log=lambda line: None)
    reingest = time.perf_counter() - started
    assert again.passages_added == 0 and again.unchanged_files == again.files_read, again

    print(table(f"{n} passages, {args.questions} questions × {args.rounds} rounds, k=10", result))
    base = result["baseline"]["p95_ms"]
    worst = max(result[m]["p95_ms"] for m in FILTERS)
    print(json.dumps({"passages": n, "p50_ms": result["unfiltered"]["p50_ms"], "p95_ms": result["unfiltered"]["p95_ms"],
                      "filtered_p95_ms": worst, "encode_p50_ms": result["query encoding"]["p50_ms"],
                      "rss_mb": round(memory), "baseline_p95_ms": base,
                      "p95_x": round(result["unfiltered"]["p95_ms"] / base, 1), "filtered_p95_x": round(worst / base, 1),
                      "reingest_unchanged_s": round(reingest, 2), "reingest_files": again.files_read}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
