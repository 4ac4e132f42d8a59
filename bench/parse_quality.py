"""How well a folder of records is read: council, meeting date and items found, and passage sizes.

For every file `python -m assistant ingest` would read under DIR, parses it (no index) and prints
the share of records with a council, a meeting date, a committee and more than one item; the
passage-length distribution in characters (p50, p95, max); the records that became one passage;
and the files that could not be read. The last line is the same as JSON.

Run from the repository root:  .venv/bin/python bench/parse_quality.py DIR [--list]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import loaders  # noqa: E402
from assistant.metadata import MANIFEST_NAMES, Manifest  # noqa: E402
from assistant.parse import parse_file  # noqa: E402


def record_files(folder: Path) -> list[Path]:
    return sorted(f for f in folder.rglob("*") if f.is_file() and f.name not in MANIFEST_NAMES
                  and f.name.lower() != "readme.md" and not any(p.startswith(".") for p in f.relative_to(folder).parts))


def percentile(values: list[int], share: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0


def measure(folder: Path, show: bool = False) -> dict:
    manifest = Manifest()
    manifest.discover(folder)
    records, lengths, one_passage, unreadable = [], [], [], []
    for path in record_files(folder):
        try:
            record, passages = parse_file(path, manifest, folder)
        except loaders.Unreadable as err:
            unreadable.append({"path": str(path.relative_to(folder)), "reason": str(err)})
            continue
        items = {p.item for p in passages if p.item}
        records.append((record, len(items)))
        lengths.extend(len(p.text) for p in passages)
        if len(passages) == 1:
            one_passage.append(record.source)
        if show:
            print(f"{record.source}: council={record.council!r} committee={record.committee!r} date={record.date} "
                  f"items={len(items)} passages={len(passages)} longest={max(len(p.text) for p in passages)}")
    n = max(1, len(records))
    return {
        "records": len(records),
        "council": round(sum(1 for r, _ in records if r.council) / n, 3),
        "date": round(sum(1 for r, _ in records if r.date) / n, 3),
        "committee": round(sum(1 for r, _ in records if r.committee) / n, 3),
        "items": round(sum(1 for _, items in records if items > 1) / n, 3),
        "passages": len(lengths),
        "chars_p50": percentile(lengths, 0.5), "chars_p95": percentile(lengths, 0.95),
        "chars_max": max(lengths, default=0),
        "one_passage": one_passage, "unreadable": unreadable,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--list", action="store_true", help="one line per record: what was read")
    args = parser.parse_args()
    report = measure(Path(args.folder), args.list)
    print(f"{report['records']} records: council {report['council']:.3f}, meeting date {report['date']:.3f}, "
          f"committee {report['committee']:.3f}, several items {report['items']:.3f}")
    print(f"{report['passages']} passages: characters p50 {report['chars_p50']}, p95 {report['chars_p95']}, "
          f"max {report['chars_max']}")
    print(f"one passage: {len(report['one_passage'])} records" + "".join(f"\n  {s}" for s in report["one_passage"]))
    print(f"unreadable: {len(report['unreadable'])}" + "".join(f"\n  {u['path']}: {u['reason']}" for u in report["unreadable"]))
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
