"""Adding records from the page: files (or a .zip of them) saved under the index's uploads/ folder, then indexed.

Off unless app.py is started with --allow-upload, and then only for a signed-in officer. A zip is
read member by member: a member whose name leads out of the zip (`../../etc/x.txt`, `/etc/x.txt`,
`C:\\x.txt`) or holds a NUL or control character is refused, as is a zip inside the zip; only the
base name of each member is kept, only record formats are taken, and sizes are capped on what is
actually read, not on what the zip claims: each member at MAX_FILE_BYTES and at MAX_RATIO times its
compressed size (a zip bomb expands thousands of times), all members together at MAX_ZIP_BYTES.
Every file gets a result line; a bad file never stops the others.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from assistant.recovery import IndexBusy

RECORD_TYPES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
UPLOAD_TYPES = (*RECORD_TYPES, ".zip")
MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_ZIP_BYTES = 200 * 1024 * 1024  # all members together, as extracted
MAX_ZIP_MEMBERS = 500
MAX_RATIO = 100  # records compress 3-10 times (a .docx hardly at all); a zip bomb thousands of times
READ_CHUNK = 1024 * 1024
FOLDER = "uploads"


@dataclass
class Saved:
    """One uploaded file or zip member: the name the person knows it by, and where it was saved or why not."""

    name: str  # as the person knows it: "minutes.zip › 2021-06-08.txt"
    path: Path | None = None  # None: not saved
    problem: str | None = None


def safe_name(name: str) -> str:
    """A plain file name from whatever the browser or zip gave: no folders, no leading dots, no odd characters."""
    base = re.split(r"[\\/]", name)[-1]
    base = re.sub(r"[^\w.\- ()]+", "_", base).strip(" .")
    return base[:150] or "record"


def name_problem(name: str) -> str | None:
    """Why a file name as given (by a browser or inside a zip) is refused, or None."""
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        return "its name holds a NUL or control character"
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return "its name is an absolute path"
    if ".." in re.split(r"[\\/]", name):
        return "its name leads out of its folder ('..')"
    return None


def save(uploaded: list[str], folder: Path) -> list[Saved]:
    """Copy each uploaded file into `folder` (a zip's records into `folder/<zip name>/`)."""
    folder.mkdir(parents=True, exist_ok=True)
    out: list[Saved] = []
    for temp in uploaded:
        source = Path(temp)
        name = safe_name(source.name)
        suffix = Path(name).suffix.lower()
        if problem := name_problem(source.name):
            out.append(Saved(name, problem=f"refused: {problem}"))
        elif suffix == ".zip":
            out.extend(_extract(source, folder / Path(name).stem, name))
        elif suffix not in RECORD_TYPES:
            out.append(Saved(name, problem=f"not a record format (use {', '.join(UPLOAD_TYPES)})"))
        elif source.stat().st_size > MAX_FILE_BYTES:
            out.append(Saved(name, problem=f"larger than {MAX_FILE_BYTES // 2**20} MB"))
        else:
            target = folder / name
            shutil.copyfile(source, target)
            out.append(Saved(name, target))
    return out


def _extract(zip_path: Path, folder: Path, label: str) -> list[Saved]:
    try:
        archive = zipfile.ZipFile(zip_path)
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError) as err:
        return [Saved(label, problem=f"not a readable zip ({err})")]
    if len(members) > MAX_ZIP_MEMBERS:
        return [Saved(label, problem=f"more than {MAX_ZIP_MEMBERS} files in the zip")]
    claimed = sum(m.file_size for m in members)
    if claimed > MAX_ZIP_BYTES:
        return [Saved(label, problem=f"refused: the zip would expand to {claimed // 2**20:,} MB "
                                     f"(the limit is {MAX_ZIP_BYTES // 2**20} MB)")]
    out: list[Saved] = []
    total = 0
    used: set[str] = set()
    with archive:
        for member in members:
            name = safe_name(member.filename)
            shown = f"{label} › {member.filename}"
            # zipfile cuts a name at a NUL byte; the name as written is in orig_filename
            if problem := name_problem(member.orig_filename):
                out.append(Saved(shown, problem=f"refused: {problem}"))
                continue
            if Path(name).suffix.lower() == ".zip":
                out.append(Saved(shown, problem="refused: a zip inside a zip is not opened (unzip it first)"))
                continue
            if member.file_size > MAX_RATIO * max(member.compress_size, 1):
                out.append(Saved(shown, problem=f"refused: it expands more than {MAX_RATIO} times (a zip bomb?)"))
                continue
            if Path(name).suffix.lower() not in RECORD_TYPES or name.startswith(".") or "__MACOSX" in member.filename:
                out.append(Saved(shown, problem="not a record format"))
                continue
            if name in used:  # two members of the same name in different folders of the zip
                name = f"{Path(name).stem}-{len(used)}{Path(name).suffix}"
            # read no more than the caps allow, whatever the zip's headers say
            allowed = min(MAX_FILE_BYTES, MAX_RATIO * max(member.compress_size, 1))
            try:
                content = _read_at_most(archive, member, allowed)
            except Exception as err:  # encrypted, corrupt, unsupported compression
                out.append(Saved(shown, problem=f"could not be extracted ({type(err).__name__})"))
                continue
            if len(content) > allowed:
                out.append(Saved(shown, problem=f"larger than {MAX_FILE_BYTES // 2**20} MB" if allowed == MAX_FILE_BYTES
                                 else f"refused: it expands more than {MAX_RATIO} times (a zip bomb?)"))
                continue
            total += len(content)
            if total > MAX_ZIP_BYTES:
                out.append(Saved(shown, problem=f"the zip holds more than {MAX_ZIP_BYTES // 2**20} MB of records"))
                break
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / name
            target.write_bytes(content)
            used.add(name)
            out.append(Saved(shown, target))
    return out


def _read_at_most(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limit: int) -> bytes:
    """The member's bytes, reading one chunk past `limit` at most (so more than `limit` means too big)."""
    parts, size = [], 0
    with archive.open(member) as data:
        while size <= limit:
            chunk = data.read(min(READ_CHUNK, limit + 1 - size))
            if not chunk:
                break
            parts.append(chunk)
            size += len(chunk)
    return b"".join(parts)


def ingest(engine, saved: list[Saved], progress=lambda fraction, desc="": None) -> list[dict]:
    """Index each saved file on its own, so each has its own result: indexed, unchanged or skipped (why)."""
    rows = []
    for i, item in enumerate(saved):
        progress(i / max(len(saved), 1), desc=f"Reading {item.name}")
        if item.path is None:
            rows.append({"file": item.name, "result": "skipped", "detail": item.problem})
            continue
        try:
            report = engine.add_records([item.path])
        except IndexBusy:  # an ingest from the command line is running: refused, not interleaved
            rows.append({"file": item.name, "result": "skipped",
                         "detail": "the archive is being updated by another ingest; add it again when that has finished"})
            continue
        except Exception as err:  # the index could not take it; the page says so and goes on
            rows.append({"file": item.name, "result": "skipped", "detail": f"could not be indexed ({type(err).__name__})"})
            continue
        if report.skipped:
            item.path.unlink(missing_ok=True)  # an unreadable file is not kept
            rows.append({"file": item.name, "result": "skipped", "detail": report.skipped[0]["reason"]})
        elif report.unchanged_files:
            rows.append({"file": item.name, "result": "unchanged", "detail": "already in the archive"})
        else:
            rows.append({"file": item.name, "result": "indexed", "detail": f"{report.passages_added} passages added"})
    progress(1.0, desc="Done")
    return rows
