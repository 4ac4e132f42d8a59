"""Hostile files: each is refused with one line naming it and the reason, and nothing else is lost (issue 18)."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfWriter

from conftest import write_records

from assistant.archive import Archive
from assistant.loaders import MAX_PDF_PAGES, Unreadable
from assistant.parse import parse_file
from assistant.ui import uploads

MINUTE = ("Minutes of the meeting of the Cabinet held on 9 May 2021\n\n12. Play Schemes\n\n"
          "The Leader reported that the summer play schemes grant would fund activities in all twelve parks.\n\n"
          "RESOLVED that the play schemes grant be accepted.\n")


def zip_of(members: dict[str, bytes]) -> bytes:
    """A zip of the members; a NUL in a name is written as it is (Python's zipfile would cut the name there)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name.replace("\x00", "\x01"), date_time=(2023, 1, 1, 0, 0, 0)), data,
                             zipfile.ZIP_DEFLATED)
    raw = buffer.getvalue()
    for name in members:
        if "\x00" in name:  # the same bytes in the member's local header and in the central directory
            raw = raw.replace(name.replace("\x00", "\x01").encode(), name.encode())
    return raw


def saved_from(tmp_path: Path, members: dict[str, bytes]) -> tuple[dict[str, uploads.Saved], Path]:
    pack = tmp_path / "pack.zip"
    pack.write_bytes(zip_of(members))
    folder = tmp_path / "index" / uploads.FOLDER
    return {s.name.split(" › ", 1)[-1]: s for s in uploads.save([str(pack)], folder)}, folder


# ---- upload names ----------------------------------------------------------------------------

@pytest.mark.parametrize("name, reason", [
    ("../../etc/x.txt", "leads out of its folder"),
    ("minutes/../../../x.txt", "leads out of its folder"),
    ("/etc/x.txt", "absolute path"),
    ("C:\\Windows\\x.txt", "absolute path"),
    ("minutes\x00.txt.exe", "NUL or control character"),
    ("minutes\r\n.txt", "NUL or control character"),
])
def test_a_hostile_member_name_is_refused_and_the_rest_of_the_zip_is_saved(tmp_path, name, reason):
    saved, folder = saved_from(tmp_path, {name: MINUTE.encode(), "2021-05-09-cabinet.txt": MINUTE.encode()})
    refused = [s for s in saved.values() if s.path is None]
    assert len(refused) == 1 and reason in refused[0].problem and "\n" not in refused[0].problem, refused
    assert refused[0].name.startswith("pack.zip › ")  # the line names the file
    good = saved["2021-05-09-cabinet.txt"]
    assert good.path and good.path.read_text(encoding="utf-8") == MINUTE
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p.name != "pack.zip"]
    assert written == [good.path], written  # nothing landed anywhere else


@pytest.mark.parametrize("name", ["../../etc/x.txt", "a\x00b.txt", "/etc/passwd"])
def test_uploaded_file_names_are_checked_too(name):
    assert uploads.name_problem(name)
    assert "/" not in uploads.safe_name(name) and "\x00" not in uploads.safe_name(name)


def test_a_zip_inside_a_zip_is_not_opened(tmp_path):
    inner = zip_of({"2021-05-09-cabinet.txt": MINUTE.encode()})
    saved, _ = saved_from(tmp_path, {"inner.zip": inner, "outer.txt": MINUTE.encode()})
    assert saved["inner.zip"].path is None and "zip inside a zip" in saved["inner.zip"].problem
    assert saved["outer.txt"].path is not None


def test_a_zip_bomb_member_is_refused_on_its_ratio(tmp_path):
    bomb = b"\0" * (40 * 2**20)  # 40 MB of zeros compresses to about 40 KB
    saved, _ = saved_from(tmp_path, {"bomb.txt": bomb, "2021-05-09-cabinet.txt": MINUTE.encode()})
    assert saved["bomb.txt"].path is None and "zip bomb" in saved["bomb.txt"].problem
    assert saved["2021-05-09-cabinet.txt"].path is not None


def test_a_zip_claiming_more_than_the_total_cap_is_refused_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ZIP_BYTES", 2**20)
    members = {f"minutes-{n}.txt": MINUTE.encode() * 2000 for n in range(3)}  # 3 × 0.5 MB of text
    [refused] = uploads.save([str(_written(tmp_path / "big.zip", zip_of(members)))], tmp_path / "uploads")
    assert refused.path is None and "would expand to" in refused.problem and refused.name == "big.zip"
    assert not (tmp_path / "uploads" / "big").exists()


def _written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# ---- huge and odd files --------------------------------------------------------------------

def test_a_200_mb_text_file_is_refused_without_being_read(tmp_path):
    folder = write_records(tmp_path / "records", {"2021-05-09-cabinet.txt": MINUTE})
    archive = Archive(tmp_path / "index", create=True)
    archive.ingest([folder], log=print)  # indexed before; loads the model outside the measurement
    with open(folder / "huge.txt", "wb") as f:
        f.truncate(200 * 2**20)  # sparse: 200 MB long, no disk used
    lines: list[str] = []
    tracemalloc.start()
    try:
        report = archive.ingest([folder], log=lines.append)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [line for line in lines if "huge.txt" in line] == [lines[0]] and "file too large" in lines[0], lines
    assert report.files_read == 1 and report.unchanged_files == 1 and report.records == 1
    assert peak < 50 * 2**20, f"{peak:,} bytes held at once: the file was read"


def test_a_single_10_mb_line_is_cut_into_bounded_passages(tmp_path):
    words = "the council resolved that the budget report of the planning committee be approved".split()
    line = " ".join(words[i % len(words)] + str(i % 97) for i in range(1_100_000))[:10 * 10**6]
    path = tmp_path / "one-line.txt"
    path.write_text(line, encoding="utf-8")
    _, passages = parse_file(path)
    assert passages and max(len(p.text) for p in passages) <= 2000
    assert sum(len(p.text.split()) for p in passages) >= len(line.split()) - 1  # the text is all kept


def test_a_pdf_of_5000_pages_is_refused_with_its_page_count(tmp_path):
    writer = PdfWriter()
    for _ in range(5000):
        writer.add_blank_page(width=595, height=842)
    path = tmp_path / "agenda-pack.pdf"
    with open(path, "wb") as out:
        writer.write(out)
    with pytest.raises(Unreadable, match=f"PDF has 5,000 pages; the limit is {MAX_PDF_PAGES:,}"):
        parse_file(path)


def test_a_pdf_without_a_text_layer_says_so(tmp_path):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "scanned.pdf"
    with open(path, "wb") as out:
        writer.write(out)
    with pytest.raises(Unreadable, match=r"no text layer \(scanned\?\)"):
        parse_file(path)


def test_html_scripts_handlers_and_javascript_links_never_reach_the_text(tmp_path):
    page = tmp_path / "2021-05-09-cabinet.html"
    page.write_text(
        "<html><body><main><h1>Cabinet – 9 May 2021</h1><script>window.pwned = 1</script>"
        "<p>12. Play Schemes <img src=x onerror=\"window.pwned = 1\"> The Leader reported on the grant.</p>"
        "<p>RESOLVED that the grant be accepted. <a href=\"javascript:window.pwned = 1\">details</a></p>"
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; was typed into the minutes as text.</p></main></body></html>",
        encoding="utf-8")
    _, passages = parse_file(page)
    text = "\n".join(p.text for p in passages)
    assert "window.pwned" not in text and "onerror" not in text and "javascript:" not in text
    assert "RESOLVED that the grant be accepted." in text
    assert "<script>alert(1)</script>" in text  # markup written as text stays text (the viewer escapes it)
