"""What a record says about itself: council, committee, meeting date, item, title, document type.

Three sources, later ones overriding earlier: the text ("Meeting: 08/06/2021 - ... (Item 11)",
"Minutes of the meeting of the Executive held on 4 March 2021"), the file path
("2021-06-08-...-item-11.txt"), and a manifest row. Nothing is guessed: no evidence, no value.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import date as Date
from pathlib import Path

from dateutil import parser as dateparser

from assistant.cleanup import Block
from assistant.records import DOC_TYPES, PUBLIC, RESTRICTED

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_LONG_DATE = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTHS}),?\s+(\d{{4}})\b", re.I)
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_MODERNGOV = re.compile(r"Meeting:\s*(\d{1,2}/\d{1,2}/\d{4})\s*-\s*(.+?)\s*\(Item\s+(\w+)\)", re.I)
_BODY_WORDS = r"Committee|Board|Panel|Forum|Cabinet|Executive|Council|Sub-Committee|Group|Commission|Assembly"
_MINUTES_OF = re.compile(
    rf"Minutes of (?:a |the )?(?:(?:ordinary |extraordinary |special |annual )?meeting of (?:the )?)?(.*?(?:{_BODY_WORDS}))\b"
    r"(?:.*?\bheld\b)?", re.I)
_REPORT_TO = re.compile(rf"\bReport (?:of .+? )?to (?:the )?(.+?(?:{_BODY_WORDS}))\b", re.I)
_COUNCIL = re.compile(r"^(?:[A-Z][\w'’&.\-]*\s){1,5}(?:Borough|County|City|District|Parish|Town|Metropolitan Borough)\s+Council$|^[A-Z]{2,6} Council$", re.I)
_MEETING_DATE = re.compile(r"\bheld (?:on|at)\b|\bDate of (?:the )?meeting\b|\bMeeting date\b|^Date\s*:", re.I)
_FILE_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_FILE_ITEM = re.compile(r"item[-_ ]?(\d+[a-z]?)", re.I)
_TURN = re.compile(r"^[A-Z][\w .'’\-()]{1,60}:\s+\S")
MANIFEST_NAMES = ("manifest.csv", "manifest.json")
MANIFEST_FIELDS = ("council", "committee", "date", "doc_type", "item", "title", "access")


def iso_date(text: str) -> str | None:
    """A date written as in minutes ("Tuesday 8 June 2021", "08/06/2021") in ISO form; UK day-first."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        try:
            return Date.fromisoformat(text.strip()).isoformat()
        except ValueError:
            return None
    try:
        return dateparser.parse(text, dayfirst=True, fuzzy=True).date().isoformat()
    except (ValueError, OverflowError, TypeError):
        return None


def first_date(text: str) -> str | None:
    match = _LONG_DATE.search(text) or _NUMERIC_DATE.search(text)
    return iso_date(match.group(0)) if match else None


def is_transcript(blocks: list[Block]) -> bool:
    turns = sum(1 for b in blocks if _TURN.match(b.text))
    return len(blocks) >= 3 and turns / len(blocks) >= 0.6


def from_text(blocks: list[Block]) -> dict:
    """Metadata the document states about itself, from its opening blocks."""
    found: dict = {}
    head = blocks[:15]
    for block in head:
        text = block.text
        if "council" not in found and _COUNCIL.match(text):
            found["council"] = text.title() if text.isupper() else text
        if "committee" not in found and (m := _MODERNGOV.search(text)):
            found.update(committee=m.group(2).strip(), date=iso_date(m.group(1)), item=m.group(3))
        if "committee" not in found and (m := _MINUTES_OF.search(text) or _REPORT_TO.search(text)):
            name = re.sub(r"^the\s+", "", m.group(1).strip(), flags=re.I)
            found["committee"] = name.title() if name.isupper() else name
            if "date" not in found and (d := first_date(text[m.start():])):
                found["date"] = d
    if "date" not in found:  # only a date stated as the meeting's, never the first date mentioned
        found["date"] = next((d for b in head if _MEETING_DATE.search(b.text) and (d := first_date(b.text))), None)
    found["doc_type"] = doc_type(blocks)
    if found.get("item") is None:
        found.pop("item", None)
    if "Issue - meetings" in (blocks[0].text if blocks else "") and len(blocks) > 1 \
            and not _MODERNGOV.search(blocks[1].text):
        found["title"] = blocks[1].text
    return {k: v for k, v in found.items() if v}


def doc_type(blocks: list[Block]) -> str | None:
    if is_transcript(blocks):
        return "transcript"
    opening = " ".join(b.text for b in blocks[:12])
    if re.search(r"Decision Notice|Record of (?:an? )?(?:Executive |Officer |Delegated |Key )?Decision", opening, re.I):
        return "decision notice"
    if re.search(r"\bMinutes\b|Issue - meetings|\bPresent\s*:", opening, re.I):
        return "minutes"
    if any(re.match(r"^(?:RESOLVED|ORDERED|AGREED)\b", b.text) for b in blocks):
        return "minutes"
    if re.search(r"\bReport (?:of|to|by)\b|Purpose of (?:the |this )?report|Executive Summary", opening, re.I):
        return "report"
    return None


def from_path(path: Path) -> dict:
    found: dict = {}
    if m := _FILE_DATE.search(path.name):
        try:
            found["date"] = Date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            pass
    if m := _FILE_ITEM.search(path.stem):
        found["item"] = m.group(1)
    return found


class Manifest:
    """Metadata rows keyed by resolved file path, read from manifest.csv / manifest.json files.

    A row's `file` is relative to the manifest's folder. Rows override text and path metadata.
    """

    def __init__(self) -> None:
        self.rows: dict[Path, dict] = {}
        self.problems: list[tuple[str, str]] = []

    def read(self, manifest_path: Path) -> None:
        try:
            raw = manifest_path.read_text(encoding="utf-8-sig")
            rows = json.loads(raw) if manifest_path.suffix == ".json" else list(csv.DictReader(raw.splitlines()))
            if isinstance(rows, dict):
                rows = [dict(file=k, **v) for k, v in rows.items()]
        except (OSError, ValueError, csv.Error, TypeError) as err:
            self.problems.append((str(manifest_path), f"unreadable manifest: {err}"))
            return
        for row in rows:
            if not isinstance(row, dict) or not row.get("file"):
                self.problems.append((str(manifest_path), f"manifest row without 'file': {row!r}"[:160]))
                continue
            values = {k: (str(row[k]).strip() or None) if row.get(k) not in (None, "") else None
                      for k in MANIFEST_FIELDS if k in row}
            if values.get("date"):
                values["date"] = iso_date(values["date"]) or values["date"]
            if values.get("doc_type") and values["doc_type"] not in DOC_TYPES:
                self.problems.append((str(manifest_path), f"unknown doc_type {values['doc_type']!r} for {row['file']}"))
                values.pop("doc_type")
            if values.get("access") not in (None, PUBLIC, RESTRICTED):
                values["access"] = RESTRICTED  # an unknown access level must not widen access
            self.rows[(manifest_path.parent / row["file"]).resolve()] = {k: v for k, v in values.items() if v}

    def discover(self, folder: Path) -> None:
        for name in MANIFEST_NAMES:
            for found in sorted(folder.rglob(name)):
                self.read(found)

    def lookup(self, path: Path) -> dict:
        return self.rows.get(path.resolve(), {})
