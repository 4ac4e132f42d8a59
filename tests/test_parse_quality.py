"""bench/parse_quality.py reports what was read from a folder of records, last line JSON."""

from __future__ import annotations

import json
import subprocess

from conftest import PYTHON, ROOT, SEEDS, write_records


def run(folder) -> dict:
    out = subprocess.run([PYTHON, str(ROOT / "bench" / "parse_quality.py"), str(folder)], capture_output=True,
                         text=True, timeout=300, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_seed_records_are_read_with_their_dates_and_short_passages():
    report = run(SEEDS)
    assert report["records"] == 2 and report["unreadable"] == []
    assert 0 < report["chars_p50"] <= report["chars_p95"] <= report["chars_max"] <= 2000


def test_a_record_left_in_one_passage_and_an_unreadable_file_are_named(tmp_path):
    folder = write_records(tmp_path / "records", {
        "short.txt": "Wereham Parish Council\n\nMinutes of the meeting held on 14 January 2003\n\nThe bus shelter was noted.\n",
        "empty.txt": "   \n",
    })
    report = run(folder)
    assert report["one_passage"] == ["short.txt"] and [u["path"] for u in report["unreadable"]] == ["empty.txt"]
    assert (report["council"], report["date"]) == (1.0, 1.0)
