"""An ingest killed at any point leaves an index that the next ingest makes whole again: the same records,
passages, keyword rows and vectors as a fresh ingest, locally and on a `chroma run` server. A damaged keyword
index is rebuilt at start; two ingests at once are refused, not interleaved (issue 18). The whole index is read
for that only after an ingest that did not finish, or when the counts disagree: re-ingesting an unchanged
archive after a clean ingest stays a matter of seconds at 100k passages (issue 19)."""

from __future__ import annotations

import json
import random
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from conftest import CORPUS, PYTHON, ROOT, chroma_server, run_cli

from assistant.archive import COLLECTION, Archive
from assistant.recovery import ingest_lock

RECORDS = 6  # demo records of several councils and formats: a couple of seconds of embedding
KILL_AFTER = (1, 3)  # committed records after which (plus a random moment) an ingest is killed


def small_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True)
    chosen = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".txt", ".html", ".docx"))
    random.Random(18).shuffle(chosen)
    for path in chosen[:RECORDS]:
        shutil.copyfile(path, folder / f"{path.parent.name}-{path.name}")
    return folder


def committed_records(index: Path) -> int:
    try:
        with sqlite3.connect(f"file:{index / 'passages.sqlite'}?mode=ro", uri=True, timeout=0.2) as db:
            return db.execute("SELECT count(*) FROM records").fetchone()[0]
    except sqlite3.Error:  # not created yet, or being written
        return 0


def killed_ingest(records: Path, index: Path, after: int, rng: random.Random, *options: str) -> bool:
    """Start `python -m assistant ingest`, SIGKILL it once `after` records are committed and a random moment
    more has passed; True when it was killed before committing every record."""
    # a few passages embedded at a time, so records are committed one after another and a kill falls between them
    process = subprocess.Popen([PYTHON, "-m", "assistant", "ingest", str(records), "--index", str(index), "--batch", "8",
                                *options],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while committed_records(index) < after and process.poll() is None and time.time() < deadline:
        time.sleep(0.02)
    time.sleep(rng.uniform(0.0, 0.15))
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    return committed_records(index) < RECORDS


def state(index: Path, chroma_url: str | None = None) -> dict:
    """Everything an index holds, keyed by content (rowids differ between two indexes of the same records)."""
    archive = Archive(index, chroma_url=chroma_url)
    db = archive.store.db
    records = {r[0]: (r[1], json.loads(r[2])) for r in db.execute("SELECT source, fingerprint, record_json FROM records")}
    columns = [r[1] for r in db.execute("PRAGMA table_info(passages)") if r[1] != "rowid"]
    passages = {row[columns.index("passage_id")]: row for row in db.execute(f"SELECT {','.join(columns)} FROM passages")}
    words = sorted({w.lower() for (text,) in db.execute("SELECT text FROM passages") for w in text.split()
                    if w.isalpha() and len(w) > 6})[::7]
    keyword = {w: sorted(r[0] for r in db.execute(
        "SELECT p.passage_id FROM passages_fts JOIN passages p ON p.rowid = passages_fts.rowid "
        "WHERE passages_fts MATCH ?", (f'"{w}"',))) for w in words}
    fts_rows = db.execute("SELECT count(*) FROM passages_fts_docsize").fetchone()[0]
    held = archive.collection.get(include=["metadatas"])
    vectors = dict(zip(held["ids"], held["metadatas"]))
    return {"records": records, "passages": passages, "keyword": keyword, "fts_rows": fts_rows,
            "vector_ids": sorted(held["ids"]), "vectors": vectors}


def copy_of_fresh(work: dict, name: str) -> Path:
    """A copy of the fresh index beside it (an index keys its sources relative to the folder holding it)."""
    index = work["folder"] / name
    shutil.copytree(work["folder"] / "fresh", index)
    return index


def assert_same_index(crashed: dict, fresh: dict) -> None:
    assert crashed["records"] == fresh["records"]
    assert crashed["passages"] == fresh["passages"]
    assert crashed["fts_rows"] == len(crashed["passages"]) == len(fresh["passages"])
    assert crashed["keyword"] == fresh["keyword"]
    assert len(crashed["vector_ids"]) == len(set(crashed["vector_ids"])), "a passage has two vectors"
    assert crashed["vector_ids"] == sorted(crashed["passages"]) == fresh["vector_ids"]
    assert crashed["vectors"] == fresh["vectors"]


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    """The small corpus and a fresh index of it, side by side (so both key sources alike)."""
    folder = tmp_path_factory.mktemp("crash")
    records = small_corpus(folder / "records")
    report = Archive(folder / "fresh", create=True).ingest([records], log=lambda line: None)
    assert report.files_read == RECORDS and not report.skipped
    return {"folder": folder, "records": records, "fresh": state(folder / "fresh")}


def test_an_ingest_killed_at_random_points_then_run_again_equals_a_fresh_ingest(work):
    index = work["folder"] / "local"
    rng = random.Random(1018)
    killed_mid_way = [killed_ingest(work["records"], index, after, rng) for after in KILL_AFTER]
    assert any(killed_mid_way), "no ingest was killed before it had committed every record: the test proved nothing"
    assert not Archive(index).store.last_ingest_finished(), "a killed ingest left the index recorded as whole"
    again = run_cli("ingest", str(work["records"]), "--index", str(index), "--json")
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr
    assert_same_index(state(index), work["fresh"])


def test_the_same_against_a_chroma_server(work, tmp_path):
    with chroma_server(tmp_path / "chroma-data") as url:
        index = work["folder"] / "remote"
        rng = random.Random(2018)
        killed_mid_way = [killed_ingest(work["records"], index, after, rng, "--chroma-url", url) for after in (2,)]
        assert any(killed_mid_way)
        again = run_cli("ingest", str(work["records"]), "--index", str(index), "--chroma-url", url, "--json")
        assert again.returncode == 0, again.stderr
        assert_same_index(state(index, url), work["fresh"])
        import chromadb

        host, port = url.rsplit(":", 1)
        assert chromadb.HttpClient(host="127.0.0.1", port=int(port)).get_collection(COLLECTION).count() == len(
            work["fresh"]["passages"])


def vectors_out_of_step(archive: Archive, orphans: int, deleted: int) -> list[str]:
    """Add `orphans` vectors without a passage to Chroma and delete the vectors of `deleted` passages, behind the
    assistant's back; the ids of the vectors added."""
    held = archive.collection.get(limit=1, include=["embeddings"])
    added = [f"orphan-of-a-killed-ingest-{i}" for i in range(orphans)]
    archive.collection.add(ids=added, embeddings=held["embeddings"] * orphans,
                           metadatas=[{"source": "gone.txt"}] * orphans)
    archive.collection.delete(ids=sorted(archive.store.passage_ids(archive.store.sources()[0]))[:deleted])
    return added


def test_vectors_left_by_a_crash_are_removed_and_missing_ones_restored(work, tmp_path):
    """The two halves a kill can leave, made directly: a vector without a passage, passages without their vector
    (the counts disagree, so the vectors are checked even though the last ingest finished)."""
    index = copy_of_fresh(work, tmp_path.name)
    archive = Archive(index)
    vectors_out_of_step(archive, orphans=1, deleted=3)
    lines: list[str] = []
    report = archive.ingest([work["records"]], log=lines.append)
    assert report.unchanged_files == RECORDS and report.passages_added == 0
    assert any("1 vectors without a passage removed, 3 passages embedded again" in line for line in lines), lines
    assert sorted(archive.collection.get(include=[])["ids"]) == work["fresh"]["vector_ids"]


def test_an_ingest_after_a_clean_one_does_not_read_the_whole_index(work, tmp_path):
    """Reading every vector id and passage id costs seconds at 100k passages: after an ingest that finished, with
    as many vectors as passages, the next ingest does not. An orphan vector swapped in for a passage's vector
    behind the assistant's back (what no ingest can leave) shows it: it is still there afterwards."""
    index = copy_of_fresh(work, tmp_path.name)
    archive = Archive(index)
    assert archive.store.last_ingest_finished()
    [orphan] = vectors_out_of_step(archive, orphans=1, deleted=1)
    lines: list[str] = []
    report = archive.ingest([work["records"]], log=lines.append)
    assert report.unchanged_files == RECORDS and not lines
    assert orphan in archive.collection.get(include=[])["ids"]
    assert archive.store.last_ingest_finished()


def index_from_before_ingests_were_recorded(index: Path) -> None:
    with sqlite3.connect(index / "passages.sqlite") as db:
        db.execute("DROP TABLE index_state")


@pytest.mark.parametrize("unfinished", [
    pytest.param(lambda index: Archive(index).store.ingest_started(), id="last-ingest-killed"),
    pytest.param(index_from_before_ingests_were_recorded, id="index-from-before-ingests-were-recorded"),
])
def test_an_ingest_after_one_that_did_not_finish_reads_and_repairs_the_whole_index(work, tmp_path, unfinished):
    index = copy_of_fresh(work, tmp_path.name)
    vectors_out_of_step(Archive(index), orphans=1, deleted=1)  # the counts agree: only the record of the last ingest tells
    unfinished(index)
    archive = Archive(index)
    lines: list[str] = []
    archive.ingest([work["records"]], log=lines.append)
    assert any("1 vectors without a passage removed, 1 passages embedded again" in line for line in lines), lines
    assert sorted(archive.collection.get(include=[])["ids"]) == work["fresh"]["vector_ids"]
    assert Archive(index).store.last_ingest_finished()


def half_of_the_keyword_rows_deleted(db) -> None:
    for rowid, text, heading, title, committee in db.execute(
            "SELECT rowid, text, heading, title, committee FROM passages WHERE rowid % 2 = 0").fetchall():
        db.execute("INSERT INTO passages_fts(passages_fts, rowid, text, context) VALUES ('delete',?,?,?)",
                   (rowid, text, " ".join(filter(None, (heading, title, committee)))))


@pytest.mark.parametrize("damage", [
    pytest.param(lambda db: db.execute("DROP TABLE passages_fts"), id="deleted"),
    pytest.param(half_of_the_keyword_rows_deleted, id="half-written"),
])
def test_a_damaged_keyword_index_is_rebuilt_when_the_index_is_opened(work, tmp_path, caplog, damage):
    index = copy_of_fresh(work, tmp_path.name)
    with sqlite3.connect(index / "passages.sqlite") as db:
        damage(db)
    with caplog.at_level("WARNING", logger="assistant.archive"):
        fixed = state(index)
    assert any("keyword index was damaged" in r.getMessage() and "rebuilt from the" in r.getMessage()
               for r in caplog.records), caplog.text
    assert fixed["fts_rows"] == len(fixed["passages"]) and fixed["keyword"] == work["fresh"]["keyword"]


def test_a_second_ingest_is_refused_while_one_holds_the_index(work, tmp_path):
    index = copy_of_fresh(work, tmp_path.name)
    extra = tmp_path / "more"
    extra.mkdir()
    (extra / "2023-01-10-cabinet.txt").write_text(
        "Minutes of the Cabinet held on 10 January 2023\n\n4. Winter gritting\n\nRESOLVED that gritting routes be "
        "extended to the three hill villages.\n", encoding="utf-8")
    with ingest_lock(index):  # what a running ingest holds
        refused = run_cli("ingest", str(extra), "--index", str(index), "--json")
    assert refused.returncode == 1 and "another ingest is updating" in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr
    assert state(index)["records"] == work["fresh"]["records"]  # nothing of the refused ingest was written
    with ingest_lock(index):  # and the lock was let go: it can be taken again
        pass


def test_an_upload_during_an_ingest_is_refused_with_a_reason(work, tmp_path):
    from assistant.engine import Engine
    from assistant.ui import uploads

    index = copy_of_fresh(work, tmp_path.name)
    engine = Engine(str(index))
    upload = tmp_path / "2023-01-10-cabinet.txt"
    upload.write_text("Minutes of the Cabinet held on 10 January 2023\n\nRESOLVED that the gritting routes be "
                      "extended.\n", encoding="utf-8")
    with ingest_lock(index):
        [row] = uploads.ingest(engine, uploads.save([str(upload)], index / uploads.FOLDER))
    assert row["result"] == "skipped" and "another ingest" in row["detail"], row
