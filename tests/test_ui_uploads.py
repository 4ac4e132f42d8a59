"""Records added from the page: saved inside the uploads folder, zips read safely, each file reported."""

from __future__ import annotations

import os
import shutil
import zipfile

from assistant.ui import uploads
from conftest import seed

MINUTE = ("Meeting: 14/03/2023 - Executive (Item 9)\n\n9 Bandstand restoration\n\n"
          "RESOLVED that the bandstand in Quarry Gardens be restored from the heritage reserve.\n")


def test_zip_members_never_land_outside_the_uploads_folder(tmp_path):
    archive = tmp_path / "pack.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("../../escaped.txt", MINUTE)
        z.writestr("/etc/absolute.txt", MINUTE)
        z.writestr("nested/dir/minutes.txt", MINUTE)
        z.writestr("run.sh", "echo hi")
    folder = tmp_path / "index" / "uploads"
    saved = uploads.save([str(archive)], folder)
    written = [s.path for s in saved if s.path]
    assert len(written) == 1  # the member in a folder, saved without it; the other two refused
    assert all(folder.resolve() in p.resolve().parents for p in written), written
    assert not (tmp_path / "escaped.txt").exists() and not (tmp_path / "index" / "escaped.txt").exists()
    assert sorted(s.problem.split(": ")[-1] for s in saved if s.name.endswith(("escaped.txt", "absolute.txt"))) == [
        "its name is an absolute path", "its name leads out of its folder ('..')"]
    assert [s.problem for s in saved if s.name.endswith("run.sh")] == ["not a record format"]


def test_a_member_larger_than_the_cap_is_refused_on_what_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_FILE_BYTES", 1000)
    archive = tmp_path / "big.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("huge.txt", os.urandom(25_000).hex())  # 50,000 characters, hardly compressible
        z.writestr("small.txt", MINUTE[:500])
    saved = {s.name.split(" › ")[-1]: s for s in uploads.save([str(archive)], tmp_path / "uploads")}
    assert saved["huge.txt"].path is None and "larger than" in saved["huge.txt"].problem
    assert saved["small.txt"].path is not None


def test_a_broken_zip_is_reported_not_raised(tmp_path):
    bad = tmp_path / "broken.zip"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    [result] = uploads.save([str(bad)], tmp_path / "uploads")
    assert result.path is None and "not a readable zip" in result.problem


def test_each_uploaded_file_gets_its_result(seeds_index, tmp_path):
    from assistant.engine import Engine

    index = tmp_path / "index"
    shutil.copytree(seeds_index, index)
    engine = Engine(str(index))
    good = tmp_path / "2023-03-14-executive.txt"
    good.write_text(MINUTE, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    again = tmp_path / seed("000").name
    shutil.copyfile(seed("000"), again)
    folder = index / uploads.FOLDER
    rows = {r["file"]: r for r in uploads.ingest(engine, uploads.save([str(good), str(empty), str(again)], folder))}
    assert rows[good.name]["result"] == "indexed"
    assert rows[empty.name]["result"] == "skipped" and rows[empty.name]["detail"]
    assert not (folder / empty.name).exists()  # an unreadable file is not kept
    second = {r["file"]: r for r in uploads.ingest(engine, uploads.save([str(good)], folder))}
    assert second[good.name]["result"] == "unchanged"
    hits = engine.passages("bandstand restoration")
    assert hits and all("bandstand" in h.passage.text.lower() for h in hits[:1])
    assert engine.record(hits[0].passage.passage_id) is not None  # Open record can serve it
