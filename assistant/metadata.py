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
from difflib import SequenceMatcher
from pathlib import Path


from assistant.cleanup import POINT_START, Block
from assistant.records import DOC_TYPES, PUBLIC, RESTRICTED
from assistant.settings import HEADING_LINE, HEAD_BLOCKS, HEAD_CHARS, MEETING_CUE_REACH, OPENING_CHARS, SAME_NAME_RATIO
from assistant.text import MONTH_NAMES, find_dates, speaker, strict_date, yearless_dates

_MODERNGOV = re.compile(r"Meeting:\s*(\d{1,2}/\d{1,2}/\d{4})\s*-\s*(.+?)\s*\(Item\s+(\w+)\)", re.I)
_BODY_WORDS = r"Committee|Sub-Committee|Board|Panel|Forum|Cabinet|Executive|Council|Group|Commission|Assembly"
_MINUTES_OF = re.compile(rf"(?:Minutes of|Meeting of|Report (?:of .{{1,60}}? )?to) (.{{1,80}}?\b(?:{_BODY_WORDS}))\b", re.I)
_BODY_LINE = re.compile(rf"^[A-Z][\w'’&,\- ]+\b(?:{_BODY_WORDS})$", re.I)
_TURN = re.compile(r"^[A-Z][\w .'’\-()]{1,60}:\s+\S")
_PUBLISHED = re.compile(r"^Published:\s*(\d{4}-\d{2}-\d{2})\s*$")
_HELD = re.compile(r"\b(?:held|date of (?:the )?meeting|meeting date|date held|dated?\s*:)", re.I)
_MEETING_CUE = re.compile(r"\b(?:held|meeting|minutes|date(?:d)?)\b", re.I)
# "… held on 13/05/15 were agreed as a true record": the meeting before this one
_APPROVED = re.compile(r"\S+(?:\s+\S+){0,3}?\s+(?:were|was|be|are|is)\s+(?:agreed|approved|signed|confirmed|accepted|"
                       r"adopted|read)|\S+(?:\s+\S+){0,6}?\s+as an? (?:true|correct|accurate) record", re.I)
_OTHER_MEETING = re.compile(r"\b(?:last|previous|next|prior|following|adjourned)\b[\w\s]{0,20}$|\bpublished\b", re.I)
_ATTENDANCE_START = re.compile(r"\b(?:present|attendance|those attending|attending|apologies|in attendance)\b", re.I)
# "Parish Council", "TOWN COUNCIL", and a parish council's "PC"
_COUNCIL_KIND = re.compile(r"\b(?:(Parish|Town|Borough|County|City|District|Metropolitan Borough|Community|Village)"
                           r"\s+Council|PC)\b(?!\s+(?:of|for)\b)", re.I)
_WHOLE_COUNCIL = re.compile(r"^(?:[A-Z][\w'’&.\-]*\s){1,5}Council$|^[A-Z]{2,6} Council$")
_MEETING_KINDS = {"annual", "ordinary", "extraordinary", "special", "full", "draft"}
_NAME_CONNECTORS = {"with", "and", "upon", "on", "under", "next", "by", "in", "cum", "-", "le", "de"}
# words in a council's heading that are not its name
_NOT_NAME_WORDS = {"minutes", "minute", "draft", "annual", "ordinary", "extraordinary", "special", "meeting", "of",
                   "for", "the", "agenda", "notice", "a", "an", "full", "joint", "held", "at", "cllr", "councillor",
                   "borough", "county", "district", "mr", "mrs", "ms", "dr", "no", "all", "any", "this", "that", "our", "your"} | {m.lower() for m in MONTH_NAMES}
_FILE_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_FILE_ITEM = re.compile(r"item[-_ ]?(\d+[a-z]?)", re.I)
MANIFEST_NAMES = ("manifest.csv", "manifest.json")
MANIFEST_FIELDS = ("council", "committee", "date", "doc_type", "item", "title", "access")


def iso_date(text: str) -> str | None:
    """A date written as in minutes ("Tuesday 8 June 2021", "08/06/2021", "2021-06-08") in ISO form; UK
    day-first; strict: None unless the text is one real date."""
    return strict_date(text)


def is_transcript(blocks: list[Block]) -> bool:
    """True when a record has three blocks or more, 60% of them are speaker turns ("Name: words") and someone
    speaks more than once: minutes whose items run on after a label ("Present: …", "Election of Chairman: …",
    "Matters Arising: …") name each label once."""
    labels = [speaker(b.text).lower() for b in blocks if _TURN.match(b.text)]
    return len(blocks) >= 3 and len(labels) / len(blocks) >= 0.6 and len(set(labels)) < len(labels)


def from_text(blocks: list[Block]) -> dict:
    """Metadata the document states about itself, from its heading and opening lines."""
    found: dict = {}
    head = _head(blocks)
    for block in blocks[:3]:
        if m := _MODERNGOV.search(block.text):
            found.update(committee=m.group(2).strip(), date=iso_date(m.group(1)), item=m.group(3))
    kind = doc_type(blocks)
    # what a transcript's speakers say of committees is not its metadata
    if "committee" not in found and kind != "transcript" and (body := _body(head)):
        found["committee"] = body
    found["council"] = council(blocks, head)
    if not found.get("date"):
        opening = len("\n".join(b.text for b in blocks[:3] if not _PUBLISHED.match(b.text))[:OPENING_CHARS])
        published = next((iso_date(m.group(1)) for b in blocks[:4] if (m := _PUBLISHED.match(b.text))), None)
        found["date"] = (meeting_date(head, opening) or _yearless_heading_date(head[:opening], published)
                         or published or mentioned_date(head))
    found["doc_type"] = kind
    if found.get("item") is None:
        found.pop("item", None)
    if "Issue - meetings" in (blocks[0].text if blocks else "") and len(blocks) > 1 \
            and not _MODERNGOV.search(blocks[1].text):
        found["title"] = blocks[1].text
    return {k: v for k, v in found.items() if v}


def _head(blocks: list[Block]) -> str:
    """The opening of a record, where its heading, meeting and attendance are stated: at most HEAD_CHARS
    characters of its first blocks, the web page's "Published:" line left out."""
    parts, size = [], 0
    for block in blocks[:HEAD_BLOCKS]:
        if _PUBLISHED.match(block.text):
            continue
        parts.append(block.text[:HEAD_CHARS - size])
        size += len(parts[-1]) + 1
        if size >= HEAD_CHARS:
            break
    return "\n".join(parts)


def meeting_date(head: str, opening: int = 0) -> str | None:
    """The date the meeting was held, from a record's heading: the first date after "held", "Date of
    meeting" and the like; else the first date of its first `opening` characters (the title and
    heading lines); never another meeting's ("the minutes of the meeting held on 13/05/15 were agreed",
    "Date of next meeting")."""
    dates = _this_meetings_dates(head)
    held = [(at, iso) for at, iso in dates if _HELD.search(head[max(0, at - MEETING_CUE_REACH):at])]
    # the title and heading lines come first: a "held" date after them is the last meeting's, whose minutes
    # are approved ("To approve and sign the minutes of the meeting held on 6th June 2017")
    first = [iso for at, iso in held if at < opening] + [iso for at, iso in dates if at < opening]
    # a short line is a heading's, unless it is an item's ("i. AGM Minutes May 3rd 2013", approved at this meeting)
    headings = [iso for at, iso in dates
                if _line_at(head, at) <= HEADING_LINE and not POINT_START.match(_line(head, at))]
    return next(iter(first + [iso for _, iso in held] + headings), None)


def _yearless_heading_date(opening: str, published: str | None) -> str | None:
    """A day and month without a year in the record's opening lines, in the year of its publication or the one
    before: "Boughton Parish Council. Meeting 1st November 19:00", published on 19 December 2013, is 1 November
    2013. None without a publication date."""
    return next((iso for _, iso in yearless_dates(opening, published)), None) if published else None


def _this_meetings_dates(head: str) -> list[tuple[int, str]]:
    """(offset, ISO date) of the dates in `head` that are not another meeting's: not "the last meeting",
    "the next meeting", nor "… held on 13/05/15 were agreed as a true record"."""
    return [(at, iso) for at, iso in find_dates(head)
            if not _OTHER_MEETING.search(head[max(0, at - 60):at]) and not _APPROVED.match(head[at:at + 120])]


def _line_at(text: str, at: int) -> int:
    """The length of the line (block) of `text` that holds offset `at`."""
    return len(_line(text, at))


def _line(text: str, at: int) -> str:
    """The line (block) of `text` that holds offset `at`."""
    return text[text.rfind("\n", 0, at) + 1:].split("\n", 1)[0]


def mentioned_date(head: str) -> str | None:
    """A weaker reading, after the web page's "Published:" date: the first date the heading puts
    after "meeting", "minutes" or "date" that is not another meeting's."""
    return next((iso for at, iso in _this_meetings_dates(head) if _MEETING_CUE.search(head[max(0, at - MEETING_CUE_REACH):at])), None)


def council(blocks: list[Block], head: str) -> str | None:
    """The council whose meeting this is: named in the title line or the heading ("STOKE FERRY PARISH
    COUNCIL", "Minutes of the Wereham Parish Council meeting", "W Derham PC"), before anyone's
    attendance line; spelt as the record spells it most often."""
    title = blocks[0].text if blocks else ""
    opening = _ATTENDANCE_START.split(head, maxsplit=1)[0]
    chosen = next(iter(council_names(title) + council_names(opening) + council_names(head)), None)
    if chosen is None:
        return next((_normal_council(b.text) for b in blocks[:HEAD_BLOCKS] if _WHOLE_COUNCIL.match(b.text)), None)
    # the record's own text spells its council more carefully than the title a web page gave it
    everywhere = council_names(" ".join(b.text for b in blocks[1:]))
    variants = [n for n in everywhere if n.rsplit(None, 2)[1:] == chosen.rsplit(None, 2)[1:] and SequenceMatcher(
        None, n.rsplit(None, 2)[0].lower(), chosen.rsplit(None, 2)[0].lower()).ratio() >= SAME_NAME_RATIO]
    return max(dict.fromkeys(variants or [chosen]), key=lambda n: (variants.count(n), n == chosen))


def council_names(text: str) -> list[str]:
    """The councils `text` names, in order, each as "<Name> <Kind> Council": "Wretton Parish Council" from
    "MINUTES OF WRETTON PARISH COUNCIL MEETING", "West Dereham Parish Council" from "West Dereham PC"."""
    names = []
    for m in _COUNCIL_KIND.finditer(text):
        words = text[:m.start()].split()[-8:]
        name: list[str] = []
        for word in reversed(words):
            bare = word.strip(",;:()")
            if (bare != word or (bare.endswith(".") and len(bare) > 4)) and name or bare.endswith((".", ":")) and len(bare) > 4:
                break  # the end of the sentence before the name
            if not name and bare.lower() in _MEETING_KINDS:
                continue  # "Stoke Ferry Annual Parish Council": the name is before the kind of meeting
            if bare.lower() in _NAME_CONNECTORS and name:
                name.insert(0, bare.lower())
            elif bare[:1].isupper() and bare.lower().rstrip(".") not in _NOT_NAME_WORDS and len(name) < 6:
                name.insert(0, bare)
            else:
                break
        while name and name[0] in _NAME_CONNECTORS:
            name.pop(0)
        if name:
            kind = "Parish" if m.group(1) is None else " ".join(w.capitalize() for w in m.group(1).split())
            names.append(" ".join([*map(_name_case, name), kind, "Council"]))
    return names


def _name_case(word: str) -> str:
    if word in _NAME_CONNECTORS:
        return word
    if word.isupper() and len(word) > 1:
        return re.sub(r"['’]S\b", lambda m: m.group(0).lower(), word.title())
    return word[:1].upper() + word[1:]


def _normal_council(text: str) -> str:
    return _title(text) if text.isupper() and len(text.split()[0]) > 6 else text


def _body(head: str) -> str | None:
    """The committee or board whose minutes these are, when the heading names one ("Minutes of the
    Planning Committee held on…", "Report to the Executive"); None when the meeting is the council's own. "OPEN
    FORUM" and "Public Forum" head the part of a meeting where residents speak: a session, not a body."""
    for line in head.split("\n"):
        words = line.split()
        if 2 <= len(words) <= 10 and _BODY_LINE.match(line) and words[-1].lower() != "council" \
                and words[0].lower() not in ("minutes", "meeting", "report", "agenda", "notice", "draft",
                                             "open", "public") \
                and all(w[:1].isupper() or w.lower() in _NAME_CONNECTORS | {"of", "for", "&", "the"} for w in words):
            return _title(line) if line.isupper() else line  # a heading line that is the body's name
    for m in _MINUTES_OF.finditer(head):
        words = [w for w in m.group(1).replace("’", "'").split()]
        while words and words[0].lower().rstrip(".") in _NOT_NAME_WORDS | {"the", "a", "meeting", "of"}:
            words.pop(0)
        name = " ".join(words)
        if not words or words[-1].lower() == "council" or len(words) > 8 or (
                len(words) == 1 and words[0].lower() not in ("cabinet", "executive")):
            continue
        if all(w[:1].isupper() or w.lower() in _NAME_CONNECTORS | {"of", "for", "&"} for w in words) \
                and not re.search(r"\d", name):
            return _title(name) if name.isupper() else name
    return None


def _title(line: str) -> str:
    """An upper-case heading in title case: "CHILDREN'S SERVICES OVERVIEW AND SCRUTINY" →
    "Children's Services Overview and Scrutiny"."""
    return " ".join(w.lower() if w.lower() in _NAME_CONNECTORS | {"of", "for", "the"} else _name_case(w)
                    for w in line.split())


def doc_type(blocks: list[Block]) -> str | None:
    """The kind of record its opening says it is: transcript, decision notice, minutes or report; None when it
    does not say."""
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
    """Metadata the file name gives: the date (a real YYYY-MM-DD date in it) and the item ("item-11")."""
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
        """Add the rows of one manifest.csv or manifest.json; an unreadable file or a row without `file` is noted in
        `problems`, an unknown doc_type dropped, an unknown access level made restricted."""
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
        """Read every manifest.csv and manifest.json under `folder`."""
        for name in MANIFEST_NAMES:
            for found in sorted(folder.rglob(name)):
                self.read(found)

    def lookup(self, path: Path) -> dict:
        """The manifest row for `path` ({} when no manifest names it)."""
        return self.rows.get(path.resolve(), {})
