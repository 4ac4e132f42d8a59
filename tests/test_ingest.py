"""Ingest is incremental: unchanged files cost nothing, edits re-embed only what changed, deletions leave."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import CORPUS, run_cli, write_records

from assistant import ingest
from assistant.archive import Archive
from assistant.engine import Engine
from assistant.metadata import Manifest
from assistant.parse import parse_file

CABINET = """Minutes of the meeting of the Cabinet held on 9 May 2021

11. Summer Play Schemes

The Leader reported that the summer play schemes grant would fund supervised activities in all twelve parks,
with free places for children eligible for free school meals.

RESOLVED that the play schemes grant be accepted.

12. Library Opening Hours

The Cabinet Member for Culture presented proposals to open the central library on Sunday afternoons from September,
funded from the reserve for community services.

RESOLVED that Sunday opening at the central library be approved for a trial year.

13. Highways Maintenance

The Director of Place reported that the pothole repair backlog had fallen by a third since the new contract began.

RESOLVED that the report be noted.
"""
FORUM = """Minutes of the meeting of the Schools Forum held on 3 October 2019

5. High Needs Block

The Head of Finance reported that the high needs block was forecast to overspend by £1.2m because of the growth
in education, health and care plans and the cost of independent special school places.

AGREED that a recovery plan be brought to the next meeting.
"""
PLANNING = """Minutes of the meeting of the Planning Committee held on 5 April 2022

7. Land at Mill Lane

The ecologist confirmed that the heron colony beside the brook would be protected by a fenced buffer zone
of thirty metres during construction of the forty homes.

RESOLVED that the application be approved subject to conditions.
"""
MANIFEST = ("file,council,committee,date,doc_type\n"
            "cabinet.txt,Wexcombe County Council,Cabinet,2021-05-09,minutes\n"
            "forum.txt,Harbourside Borough Council,Schools Forum,2019-10-03,minutes\n"
            "planning.txt,Little Marston Parish Council,Planning Committee,2022-04-05,minutes\n")
QUIET = {"log": lambda line: None}


@pytest.fixture
def folder(tmp_path) -> Path:
    return write_records(tmp_path / "records", {"cabinet.txt": CABINET, "forum.txt": FORUM,
                                               "planning.txt": PLANNING, "manifest.csv": MANIFEST})


@pytest.fixture
def archive(tmp_path, folder) -> Archive:
    archive = Archive(tmp_path / "index", create=True)
    report = archive.ingest([folder], **QUIET)
    assert report.files_read == 3 and not report.skipped and report.passages_added > 0
    return archive


def ids_of(archive: Archive, name: str) -> set[str]:
    source = next(s for s in archive.store.sources() if Path(s).name == name)
    return archive.store.passage_ids(source)


def in_step(archive: Archive) -> bool:
    """The Chroma vectors and the SQLite passages hold the same passages."""
    return archive.collection.count() == archive.store.count_passages()


def sources_found(index: Path, query: str, k: int = 5) -> list[str]:
    return [Path(h.passage.source).name for h in Engine(str(index)).search(query, k=k)]


# ---- nothing changed -------------------------------------------------------------------

def test_second_ingest_of_an_unchanged_folder_embeds_nothing(archive, folder):
    before = archive.stats()
    again = archive.ingest([folder], **QUIET)
    assert (again.files_read, again.unchanged_files) == (3, 3)
    assert (again.passages_added, again.passages_removed) == (0, 0)
    assert not again.skipped
    assert archive.stats()["passages"] == before["passages"] and in_step(archive)


def test_second_cli_ingest_reports_all_files_unchanged(archive, folder):
    result = run_cli("ingest", str(folder), "--index", str(archive.index_dir), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert (summary["files_read"], summary["unchanged_files"], summary["passages_added"],
            summary["passages_removed"], summary["skipped"]) == (3, 3, 0, 0, [])


def test_ingest_from_another_working_directory_finds_nothing_new(archive, folder, tmp_path, monkeypatch):
    before = archive.stats()
    monkeypatch.chdir(tmp_path)
    again = archive.ingest([folder.resolve()], **QUIET)
    assert (again.unchanged_files, again.passages_added) == (3, 0)
    assert archive.stats()["records"] == before["records"] == 3


def test_a_file_with_its_recorded_size_and_time_is_not_read_again(archive, folder):
    """Re-ingesting a large unchanged archive costs a stat per file: size and modification time as recorded
    mean unchanged, unread (the same bytes written back with the old time are not noticed, as with make)."""
    path = folder / "forum.txt"
    before = path.stat()
    path.write_text(FORUM.replace("£1.2m", "£9.9m"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    report = archive.ingest([folder], **QUIET)
    assert (report.unchanged_files, report.passages_added) == (3, 0)
    path.touch()  # a new time: now it is read, and its new bytes indexed
    report = archive.ingest([folder], **QUIET)
    assert (report.unchanged_files, report.passages_added) == (2, 1)
    assert "£9.9m" in " ".join(p.text for p in archive.store.passages(sorted(ids_of(archive, "forum.txt"))).values())


def test_a_touched_file_adds_nothing_and_is_stamped_anew(archive, folder):
    (folder / "cabinet.txt").touch()
    first = archive.ingest([folder], **QUIET)
    assert (first.unchanged_files, first.passages_added, first.passages_removed) == (3, 0, 0)
    source = next(s for s in archive.store.sources() if s.endswith("cabinet.txt"))
    manifest = Manifest()
    manifest.discover(folder)
    assert archive.store.fingerprints()[source][1] == ingest.stamp(folder / "cabinet.txt", manifest)


# ---- one file edited -------------------------------------------------------------------

def test_editing_one_paragraph_re_embeds_only_that_passage(archive, folder):
    forum_ids, planning_ids = ids_of(archive, "forum.txt"), ids_of(archive, "planning.txt")
    cabinet_before = ids_of(archive, "cabinet.txt")
    path = folder / "cabinet.txt"
    path.write_text(CABINET.replace("open the central library on Sunday afternoons from September",
                                    "open the central library and the mobile library van on Sunday mornings from "
                                    "October"), encoding="utf-8")
    report = archive.ingest([folder], **QUIET)
    assert (report.files_read, report.unchanged_files) == (3, 2)
    assert 1 <= report.passages_added <= 2, report
    assert 1 <= report.passages_removed <= 2, report
    cabinet_after = ids_of(archive, "cabinet.txt")
    assert len(cabinet_before & cabinet_after) >= len(cabinet_before) - 2  # the other items keep their passages
    assert ids_of(archive, "forum.txt") == forum_ids and ids_of(archive, "planning.txt") == planning_ids
    assert in_step(archive)

    hits = Engine(str(archive.index_dir)).search("mobile library van on Sunday mornings", k=3)
    assert "mobile library van on Sunday mornings from October" in hits[0].passage.text
    everything = " ".join(p.text for p in archive.store.passages(sorted(cabinet_after)).values())
    assert "Sunday afternoons from September" not in everything


def test_editing_a_decision_replaces_the_old_decision(archive, folder):
    path = folder / "planning.txt"
    path.write_text(PLANNING.replace("RESOLVED that the application be approved subject to conditions.",
                                     "RESOLVED that the application be refused on highway safety grounds."),
                    encoding="utf-8")
    report = archive.ingest([folder], **QUIET)
    assert report.passages_removed >= 1 and report.passages_added >= 1
    decisions = [p for p in archive.store.passages(sorted(ids_of(archive, "planning.txt"))).values() if p.is_decision]
    assert [p.text for p in decisions] == ["RESOLVED that the application be refused on highway safety grounds."]
    assert in_step(archive)


def test_manifest_change_relabels_without_re_embedding(archive, folder):
    (folder / "manifest.csv").write_text(MANIFEST.replace("Little Marston Parish Council", "Little Marston Town Council"),
                                         encoding="utf-8")
    report = archive.ingest([folder], **QUIET)
    assert (report.passages_added, report.passages_removed, report.unchanged_files) == (0, 0, 2)
    councils = archive.stats()["councils"]
    assert "Little Marston Town Council" in councils and "Little Marston Parish Council" not in councils
    hits = Engine(str(archive.index_dir)).search("heron colony buffer zone", k=1)
    assert hits[0].passage.council == "Little Marston Town Council"


# ---- one file deleted ------------------------------------------------------------------

def test_deleted_file_is_kept_and_counted_unless_pruned(archive, folder):
    """A folder seen half (an unmounted share, a partial copy) must not empty the index."""
    before = archive.stats()
    (folder / "planning.txt").unlink()
    lines: list[str] = []
    report = archive.ingest([folder], log=lines.append)
    assert (report.files_missing, report.files_pruned, report.passages_removed) == (1, 0, 0)
    assert any("--prune" in line for line in lines)
    assert archive.stats()["records"] == before["records"] and in_step(archive)


def test_pruning_a_deleted_file_removes_its_passages(archive, folder):
    gone = ids_of(archive, "planning.txt")
    before = archive.stats()
    (folder / "planning.txt").unlink()
    report = archive.ingest([folder], prune=True, **QUIET)
    assert report.passages_removed == len(gone)
    assert (report.files_missing, report.files_pruned) == (1, 1)
    assert (report.files_read, report.unchanged_files, report.passages_added) == (2, 2, 0)
    after = archive.stats()
    assert after["records"] == before["records"] - 1 == report.records
    assert after["passages"] == before["passages"] - len(gone)
    assert "planning.txt" not in {Path(s).name for s in archive.store.sources()}
    assert "Planning Committee" not in after["committees"]
    assert in_step(archive)
    assert "planning.txt" not in sources_found(archive.index_dir, "heron colony beside the brook buffer zone")


def test_cli_prune_counts_the_pruned_records(archive, folder):
    forum = ids_of(archive, "forum.txt")
    (folder / "forum.txt").unlink()
    result = run_cli("ingest", str(folder), "--index", str(archive.index_dir), "--prune", "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert (summary["files_pruned"], summary["files_read"], summary["unchanged_files"]) == (1, 2, 2)
    assert summary["passages_removed"] == len(forum) > 0
    assert "forum.txt" not in {Path(s).name for s in Archive(archive.index_dir).store.sources()}


def test_ingesting_one_file_does_not_forget_its_neighbours(archive, folder):
    before = archive.stats()
    report = archive.ingest([folder / "forum.txt"], **QUIET)
    assert (report.files_read, report.unchanged_files, report.passages_removed) == (1, 1, 0)
    assert archive.stats()["records"] == before["records"]


# ---- stats -----------------------------------------------------------------------------

def test_stats_json_lists_councils_committees_and_dates(archive):
    result = run_cli("stats", "--index", str(archive.index_dir), "--json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout.strip().splitlines()[-1])
    assert stats["records"] == 3 and stats["passages"] == archive.store.count_passages()
    assert stats["councils"] == ["Harbourside Borough Council", "Little Marston Parish Council", "Wexcombe County Council"]
    assert stats["committees"] == ["Cabinet", "Planning Committee", "Schools Forum"]
    assert stats["dates"] == {"first": "2019-10-03", "last": "2022-04-05"}


def test_stats_on_a_missing_index_fails_with_a_reason(tmp_path):
    result = run_cli("stats", "--index", str(tmp_path / "never-built"), "--json")
    assert result.returncode == 1
    assert "no index" in result.stderr and "Traceback" not in result.stderr


# ---- the shipped corpus ----------------------------------------------------------------

def corpus_files() -> list[Path]:
    return sorted(f for f in CORPUS.rglob("*") if f.is_file() and f.name not in ("manifest.csv", "manifest.json")
                  and f.name.lower() != "readme.md" and not any(part.startswith(".") for part in f.parts))


def test_every_corpus_record_parses_with_its_manifest_metadata():
    manifest = Manifest()
    manifest.discover(CORPUS)
    assert not manifest.problems, manifest.problems
    records = [parse_file(path, manifest)[0] for path in corpus_files()]
    assert len({r.council for r in records if r.council}) >= 3
    assert len({r.committee for r in records if r.committee}) >= 6
    unlisted = [r.source for r in records if not manifest.lookup(Path(r.source))]
    assert not unlisted, unlisted


def test_shipped_corpus_ingests_without_a_skip_and_covers_three_councils(corpus_index):
    archive = Archive(corpus_index)
    again = archive.ingest([CORPUS], **QUIET)  # already built by the fixture: nothing new, nothing skipped
    assert again.skipped == []
    assert again.files_read == again.unchanged_files == len(corpus_files())
    assert (again.passages_added, again.passages_removed) == (0, 0)
    result = run_cli("stats", "--index", str(corpus_index), "--role", "officer", "--json")  # the public: one fewer
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(stats["councils"]) >= 3, stats["councils"]
    assert len(stats["committees"]) >= 6, stats["committees"]
    assert stats["records"] == len(corpus_files())
    assert stats["dates"]["first"] and stats["dates"]["last"] and stats["dates"]["first"] < stats["dates"]["last"]


def test_progress_bar_on_stderr_shows_passages_per_second(tmp_path, folder, capsys):
    report = Archive(tmp_path / "fresh", create=True).ingest([folder], log=print, progress=True)
    out, err = capsys.readouterr()
    assert report.passages_added > 0 and "passages/s" in err and "3/3" in err
    assert "passages/s" not in out
