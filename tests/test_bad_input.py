"""Bad files are named, skipped with a reason, and never stop an ingest or damage what is indexed."""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path

import pytest
from conftest import run_cli, write_records
from fpdf import FPDF

from assistant.archive import Archive
from assistant.engine import Engine
from assistant.loaders import MAX_FILE_BYTES, Unreadable
from assistant.parse import parse_file

GOOD_MINUTE = """Minutes of the meeting of the Schools Forum held on 3 October 2019

5. High Needs Block

The Head of Finance reported that the high needs block was forecast to overspend by £1.2m because of the growth
in education, health and care plans and the cost of independent special school places.

AGREED that a recovery plan be brought to the next meeting.
"""


def small_pdf(text: str, **encryption) -> bytes:
    pdf = FPDF()
    if encryption:
        pdf.set_encryption(**encryption)
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def blank_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    return bytes(pdf.output())


def zip_without_word_document() -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "not a Word document")
    return buffer.getvalue()


def write_bad_files(folder: Path) -> None:
    """The bad inputs of the table below, made in `folder`."""
    real_pdf = small_pdf("RESOLVED that the budget be approved. " * 40)
    (folder / "random.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(4000))
    (folder / "truncated.pdf").write_bytes(real_pdf[: len(real_pdf) // 2])
    (folder / "encrypted.pdf").write_bytes(small_pdf("Exempt minutes of the Cabinet. " * 10,
                                                     owner_password="owner", user_password="secret"))
    (folder / "scanned.pdf").write_bytes(blank_pdf())
    (folder / "junk.txt").write_bytes(os.urandom(3000))
    (folder / "junk.docx").write_bytes(os.urandom(3000))
    (folder / "zipped.docx").write_bytes(zip_without_word_document())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.md").write_text("   \n\n \t \n", encoding="utf-8")
    with open(folder / "huge.txt", "wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: over the cap without using the disk
    (folder / "notes.xyz").write_text("RESOLVED that the notes be kept.", encoding="utf-8")


BAD_FILES = [  # file, what its reason must say
    ("random.pdf", "corrupt PDF"),
    ("truncated.pdf", "corrupt PDF"),
    ("encrypted.pdf", "encrypted PDF"),
    ("scanned.pdf", "no text layer (scanned?)"),
    ("junk.txt", "binary content"),
    ("junk.docx", "not a valid Word"),
    ("zipped.docx", "not a valid Word"),
    ("empty.txt", "empty file"),
    ("blank.md", "empty file"),
    ("huge.txt", "too large"),
    ("notes.xyz", "unsupported format '.xyz'"),
]
LATIN1_TEXT = "Minutes of the Cabinet\n\nThe café grant was approved for the façade works.\n\nRESOLVED that the report be noted.\n"


@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("mixed")
    (folder / "good.txt").write_text(GOOD_MINUTE, encoding="utf-8")
    (folder / "latin1.txt").write_bytes(LATIN1_TEXT.encode("latin-1"))
    write_bad_files(folder)
    return folder


@pytest.fixture(scope="module")
def mixed_ingest(mixed_folder, tmp_path_factory):
    """One real CLI ingest of the folder of good and bad files plus a path that does not exist."""
    missing = mixed_folder.parent / "no-such-minutes.txt"
    index = tmp_path_factory.mktemp("mixed-index")
    result = run_cli("ingest", str(mixed_folder), str(missing), "--index", str(index), "--json")
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    return result, summary, index


def skipped_named(summary: dict, name: str) -> list[dict]:
    return [s for s in summary["skipped"] if Path(s["path"]).name == name]


# ---- each bad file is named once with its reason ----------------------------------------

@pytest.mark.parametrize("name, reason", BAD_FILES + [("no-such-minutes.txt", "no such file")])
def test_bad_file_is_skipped_once_with_its_reason(mixed_ingest, name, reason):
    _, summary, _ = mixed_ingest
    entries = skipped_named(summary, name)
    assert len(entries) == 1, summary["skipped"]
    assert set(entries[0]) == {"path", "reason"}
    assert reason in entries[0]["reason"], entries[0]


@pytest.mark.parametrize("name, reason", BAD_FILES + [("no-such-minutes.txt", "no such file")])
def test_bad_file_gets_one_line_naming_it_and_the_reason(mixed_ingest, name, reason):
    result, _, _ = mixed_ingest
    lines = [line for line in result.stderr.splitlines() if name in line]
    assert len(lines) == 1, result.stderr
    assert reason in lines[0]


def test_ingest_goes_on_past_bad_files_and_exits_zero(mixed_ingest):
    result, summary, index = mixed_ingest
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert summary["files_read"] == 2 and summary["records"] == 2
    assert summary["passages_added"] >= 2
    assert len(summary["skipped"]) == len(BAD_FILES) + 1
    assert {"files_read", "records", "passages_added", "passages_removed", "unchanged_files", "skipped",
            "seconds"} <= set(summary)
    sources = {Path(r["source"]).name for r in Archive(index).store.records()}
    assert sources == {"good.txt", "latin1.txt"}


def test_non_utf8_text_is_decoded_not_skipped(mixed_ingest, mixed_folder):
    _, summary, _ = mixed_ingest
    assert not skipped_named(summary, "latin1.txt")
    _, passages = parse_file(mixed_folder / "latin1.txt")
    text = " ".join(p.text for p in passages)
    assert "The café grant was approved for the façade works." in text


def test_every_stderr_line_is_a_skip_line(mixed_ingest):
    result, _, _ = mixed_ingest
    stray = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith(("skipped ", "warning: "))]
    assert not stray, stray


@pytest.mark.parametrize("name, reason", BAD_FILES)
def test_parse_refuses_bad_file_with_unreadable(mixed_folder, name, reason):
    with pytest.raises(Unreadable, match=re.escape(reason)):
        parse_file(mixed_folder / name)


def test_too_large_reason_shows_a_size_above_the_limit(mixed_folder):
    with pytest.raises(Unreadable) as refused:
        parse_file(mixed_folder / "huge.txt")
    size, limit = (int(n.replace(",", "")) for n in re.findall(r"([\d,]+) bytes", str(refused.value)))
    assert size > limit, str(refused.value)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can read a chmod 000 file")
def test_file_without_read_permission_is_skipped(tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD_MINUTE, encoding="utf-8")
    locked = folder / "locked.txt"
    locked.write_text(GOOD_MINUTE.replace("Schools Forum", "Cabinet"), encoding="utf-8")
    locked.chmod(0)
    try:
        report = Archive(tmp_path / "index", create=True).ingest([folder], log=lambda line: None)
    finally:
        locked.chmod(0o644)
    assert report.files_read == 1
    assert [(Path(s["path"]).name, "cannot read" in s["reason"]) for s in report.skipped] == [("locked.txt", True)]


# ---- exit status ---------------------------------------------------------------------------

def test_nothing_readable_exits_one(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    write_bad_files(folder)
    result = run_cli("ingest", str(folder), "--index", str(tmp_path / "index"), "--json")
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["files_read"] == 0 and len(summary["skipped"]) == len(BAD_FILES)


def test_only_a_missing_path_exits_one(tmp_path):
    result = run_cli("ingest", str(tmp_path / "nothing-here"), "--index", str(tmp_path / "index"), "--json")
    assert result.returncode == 1
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert [Path(s["path"]).name for s in summary["skipped"]] == ["nothing-here"]
    assert "no such file" in summary["skipped"][0]["reason"]


def test_plain_output_names_each_skipped_file_then_a_summary(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "notes.xyz").write_text("RESOLVED that the notes be kept.", encoding="utf-8")
    result = run_cli("ingest", str(folder), "--index", str(tmp_path / "index"))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3, lines
    assert lines[0].startswith("skipped ") and "empty.txt" in lines[0] and "empty file" in lines[0]
    assert lines[1].startswith("skipped ") and "notes.xyz" in lines[1] and "unsupported format" in lines[1]
    assert "2 skipped" in lines[2] and "0 files read" in lines[2]


@pytest.mark.parametrize("args", [
    ("ingest",),
    ("ingest", "--json"),
    ("ingest", "--index"),
    ("ingest", "somewhere", "--no-such-option"),
    ("no-such-command",),
])
def test_usage_error_exits_two(args):
    result = run_cli(*args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert "usage" in result.stderr.lower()


# ---- what was indexed stays ----------------------------------------------------------------

OTHER_MINUTE = """Minutes of the meeting of the Cabinet held on 9 May 2021

12. Play Schemes

The Leader reported that the summer play schemes grant would fund activities in all twelve parks.

RESOLVED that the play schemes grant be accepted.
"""


@pytest.mark.parametrize("replacement", [
    pytest.param(lambda: os.urandom(3000), id="random-bytes"),
    pytest.param(lambda: b"", id="emptied"),
    pytest.param(lambda: b"\x00\x01\x02binary\x00" * 100, id="nul-bytes"),
])
def test_file_turned_to_junk_keeps_its_indexed_passages(tmp_path, replacement):
    folder = write_records(tmp_path / "records", {"forum.txt": GOOD_MINUTE, "cabinet.txt": OTHER_MINUTE})
    index = tmp_path / "index"
    archive = Archive(index, create=True)
    first = archive.ingest([folder], log=lambda line: None)
    assert first.files_read == 2 and not first.skipped
    before = archive.stats()

    (folder / "cabinet.txt").write_bytes(replacement())
    lines: list[str] = []
    second = archive.ingest([folder], log=lines.append)
    assert [Path(s["path"]).name for s in second.skipped] == ["cabinet.txt"]
    assert len([line for line in lines if "cabinet.txt" in line]) == 1
    assert (second.passages_added, second.passages_removed) == (0, 0)
    after = archive.stats()
    assert (after["records"], after["passages"]) == (before["records"], before["passages"])

    hits = Engine(str(index)).search("summer play schemes grant in the parks", k=3)
    assert hits and Path(hits[0].passage.source).name == "cabinet.txt"
    assert any("twelve parks" in h.passage.text for h in hits)
