"""Cut a record's blocks into citable passages that follow its structure.

Items (numbered headings, minute numbers run into the text, upper-case section headings) are never
mixed in one passage; a decision block (RESOLVED / ORDERED / AGREED / DECISION / RECOMMENDED with its
numbered points and REASON) is kept whole in one passage flagged `is_decision`; other paragraphs and
bullets are packed up to a few hundred words, a bullet list staying with the sentence that introduces
it. No passage is longer than a person checks at a glance: a long item is cut at sentence ends
(MAX_CHARS; a decision or a transcript exchange may run to HARD_MAX_CHARS). Procedural items
(apologies, attendance, declarations, the last meeting's minutes, the next meeting's date) are
flagged `is_procedural`. Items after the exclusion of the press and public (Part II) are restricted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant import access
from assistant.cleanup import DECISION_START, ITEM_NUMBER, POINT_START, Block, is_heading_like, is_sub_heading
from assistant.records import RESTRICTED, Passage, Record
from assistant.settings import (BALANCE_SLACK, HARD_MAX_CHARS, HEADING_LINE_CHARS, HEADING_WORDS, MAX_CHARS,
                                MAX_WORDS, RECORD_HEADING_CHARS, TARGET_WORDS, TITLE_WORDS)
from assistant.text import split_sentences
from assistant.transcripts import transcript_passages

_ITEM_HEADING = re.compile(rf"^{ITEM_NUMBER}(?P<title>\S.*)$")
_REASON = re.compile(r"^REASONS?\b")
# parts of a decision record, not new sections
_DECISION_LABEL = re.compile(r"^(?:OPTIONS|REASONS?|OTHER POTENTIAL DECISIONS?\b.*|AUTHORITY\b.*|BACKGROUND PAPERS?|"
                             r"RECOMMENDATIONS?|DECISIONS?|AGREED|RESOLVED|ORDERED)$")
_METADATA_LINE = re.compile(r"^(?:Issue - meetings|Meeting:\s*\d{1,2}/\d{1,2}/\d{4}\s*-.*\(Item \w+\))$")
_TITLE_JOINERS = {"and", "of", "the", "for", "to", "on", "in", "at", "with", "by", "&", "a", "an", "or"}
# capitalised words that begin the minute's text rather than continue its title
_SENTENCE_STARTERS = {"The", "A", "An", "It", "There", "This", "These", "Cllr", "Cllr.", "Councillor", "Councillors",
                      "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Dr", "We", "He", "She", "They", "Members", "RESOLVED", "AGREED"}
# Items a meeting holds to run itself, which answer only questions about them
_PROCEDURAL = re.compile(
    r"^(?:\W*(?:\d[\d./]*\s*)?)(?:(?:no |there were no )?apologies|(?:also )?present\b|(?:those |members |councillors )?(?:present|attend\w*)\b|"
    r"in attendance|attendance|(?:no |consider |to (?:receive|consider|record) )?declarations? of\b|"
    r"(?:no )?declarations?\b|(?:to )?(?:approve|approval of|confirm\w*(?: of)?|sign\w*|adopt\w*(?: of)?)?\s*(?:the )?minutes\b|"
    r"(?:date|time|dates)(?: and (?:time|venue|place))? of (?:the )?next meeting|next meeting|meeting clos\w*|close of (?:the )?meeting|"
    r"(?:the )?chair(?:man)?(?:'s|’s)? welcome$|welcome$|welcome and (?:introductions|apologies)|openness and transparency|"
    r"emergency evacuation)", re.I)
_LAST_MINUTES = re.compile(r"^\W*(?:\d[\d./]*\s*)?(?:the )?minutes (?:of the (?:last|previous)|read\b|.{0,100}?\b(?:were|was|be|are)"
                           r" (?:agreed|approved|signed|adopted|confirmed|accepted|read))", re.I)
# the roll call that opens a record ("Present: Councillor Helen Marsh (Chair), …")
_ROLL_CALL = re.compile(r"^(?:also,? )?(?:present|in attendance|attendance|those attending|councillors present|"
                        r"members present|officers(?: present| in attendance)?)\b", re.I)
# a record's title running into its roll call: "WEREHAM PARISH COUNCIL Minutes of the Ordinary … Attendance: Cllr …"
_RUN_IN_ROLL_CALL = re.compile(r"\bminutes of\b.{0,250}?\b(?:present|attendance|in attendance|those attending)\s*:",
                               re.I | re.S)
# a record's heading that says only which meeting it is: "STOKE FERRY PARISH COUNCIL Draft (until approved at the
# next meeting) Minutes of the Ordinary Meeting held on Wednesday 7 October 2020 at 7.05 pm, Virtually online via Zoom"
_MEETING_HELD = re.compile(r"\bminutes of\b.{0,150}?\bmeeting\b.{0,60}?\bheld\b", re.I | re.S)
_PROCEDURAL_DECISION = re.compile(r"\bminutes of the .{0,80}?\b(?:be|were|was) (?:approved|agreed|confirmed|signed|"
                                  r"accepted)|\bas an? (?:true|correct|accurate) record\b", re.I)


@dataclass
class _Group:
    blocks: list[Block] = field(default_factory=list)
    decision: bool = False
    procedural: bool = False  # a roll call, apologies, the last minutes: never packed with substance
    heading_only: bool = True  # every block so far is a short heading line ("Minutes of the meeting held on …")

    @property
    def words(self) -> int:
        """How many words the group's blocks hold."""
        return sum(len(b.text.split()) for b in self.blocks)


def item_heading(block: Block) -> tuple[str, str] | None:
    """(number, title) when `block` is a numbered item heading line ("12. Library Opening Hours"); None otherwise."""
    m = _ITEM_HEADING.match(block.text)
    if m and block.kind == "para" and is_heading_like(block.text):
        return m.group("number"), m.group("title").strip()
    return None


def passages_for(record: Record, blocks: list[Block], transcript: bool = False) -> list[Passage]:
    """The record's citable passages, in reading order."""
    if transcript:
        return _flagged(_capped(transcript_passages(record, blocks), HARD_MAX_CHARS))
    item, heading = record.item, record.title
    restricted = record.access == RESTRICTED
    exclusion_seen = False
    out: list[Passage] = []
    groups: list[_Group] = []
    titles: dict[str, str] = {}  # item number → its title, for the heading of its sub-items ("5.1" under "5")
    bare: list[Block] = []  # the heading of an item that has had no text yet ("2. No Declarations of Interest made")

    def emit() -> None:
        """Turn the current item's groups into passages (an item that is all heading keeps it), then start afresh."""
        if bare and not groups:
            groups.append(_Group(bare[:]))  # an item that is all heading keeps its words
        bare.clear()
        for group in groups:
            text = "\n".join(_block_text(b) for b in group.blocks)
            out.append(Passage(
                text=text, source=record.source, council=record.council, committee=record.committee,
                date=record.date, item=item, title=heading or record.title, heading=heading,
                page=group.blocks[0].page, doc_type=record.doc_type, is_decision=group.decision,
                # the record's own heading ("Minutes of the meeting held on …"), alone or run into its roll call,
                # says only what its metadata says and who came
                is_procedural=group.procedural or (item is None and not out and (
                    group.heading_only or (len(text) <= MAX_CHARS and bool(_RUN_IN_ROLL_CALL.search(text[:400])))
                    or (len(text) <= RECORD_HEADING_CHARS and bool(_MEETING_HELD.search(text))))),
                access=RESTRICTED if restricted else record.access,
            ))
        groups.clear()

    for block in blocks:
        if _METADATA_LINE.match(block.text) or (not groups and not out and (
                (block.text == record.title and item == record.item)
                or block.text.lower() in {(record.council or "").lower(), (record.committee or "").lower()})):
            continue  # stated on the record already; not worth a passage
        after_lead_in = bool(groups) and groups[-1].blocks[-1].text.endswith(":")
        found = None if after_lead_in else item_heading(block)
        run_in = found is None and block.number is not None and not after_lead_in
        if run_in:  # "5. Co-option to fill remaining vacancies on the Council Two applications had been…"
            found = block.number, run_in_title(block.text, sub_item="." in block.number.rstrip("."))
        if found and record.doc_type != "report":
            emit()
            item, title = found
            titles[item] = title
            base = item.rsplit(".", 1)[0] if "." in item else None  # "8.1" is under "8", or "8.0" where items are so
            parent = (titles.get(base) or titles.get(f"{base}.0")) if base else None
            heading = f"{parent} — {title}" if parent and title else (title or parent)
            restricted = record.access == RESTRICTED or exclusion_seen or bool(access.section_exemption(heading))
            if not run_in:
                bare.append(block)
                continue
        elif block.kind == "para" and is_heading_like(block.text) and not DECISION_START.match(block.text) \
                and not _REASON.match(block.text) and not POINT_START.match(block.text):
            if re.match(r"^PART\s+(?:II|2)\b", block.text, re.I):
                emit()
                exclusion_seen = restricted = True
                continue
            if block.text.isupper() and not found and not out and not groups and record.doc_type != "report":
                continue  # "HARBOURSIDE BOROUGH COUNCIL", "PLANNING COMMITTEE" over the record: its metadata, not a section
            if record.doc_type == "report" or found or (block.text.isupper() and not _DECISION_LABEL.match(block.text)):
                emit()  # a report's section, or a minute's upper-case heading ("CO-OPTION OF NEW COUNCILLOR")
                heading = found[1] if found else block.text
                if not found and record.doc_type != "report" and record.item is None:
                    item = None  # a section of its own, not part of the numbered item before it
                continue
        if access.excludes_public(block.text):
            exclusion_seen = True  # items after this resolution are exempt
        bare.clear()
        current = groups[-1] if groups else None
        procedural = record.doc_type != "transcript" and _procedural_block(block.text)
        if current and current.procedural and not procedural and current.blocks[-1].text.endswith((",", ";", "&", " and")):
            procedural = True  # the roll call goes on: "… Mrs M Leaman," / "Mrs T Mann, Mr M Ferrie, …"
        if DECISION_START.match(block.text):
            groups.append(_Group([block], decision=True, procedural=procedural))
        elif is_sub_heading(block.text):  # "v) Cemetery Water": a part of the item starts, in a passage of its own
            groups.append(_Group([block], procedural=procedural))
        elif current and current.decision and _continues_decision(current, block):
            current.blocks.append(block)
        elif current and not current.decision and current.blocks[-1].page == block.page and (
                # substance never joins a roll call; a roll call joins only the heading lines above it
                current.procedural == procedural or (current.procedural and block.kind == "bullet")
                or (procedural and current.heading_only and current.words <= HEADING_WORDS)) and (
                current.words + len(block.text.split()) <= TARGET_WORDS
                or (block.kind == "bullet" and current.words + len(block.text.split()) <= MAX_WORDS)):
            current.blocks.append(block)
            current.procedural = current.procedural or procedural
            current.heading_only = current.heading_only and len(block.text) <= HEADING_LINE_CHARS
        else:
            groups.append(_Group([block], procedural=procedural, heading_only=len(block.text) <= HEADING_LINE_CHARS))
    emit()
    return _flagged(_merge_tiny(_capped(out)))


def run_in_title(text: str, sub_item: bool = False) -> str | None:
    """The title of an item whose heading runs into its text: the capitalised words after the minute
    number, up to the first word in lower case or one that starts a sentence ("95/19 Openness and
    Transparency Notice The Chair read…" → "Openness and Transparency Notice"), TITLE_WORDS at most. A
    `sub_item`'s one capitalised word before lower-case ones starts a sentence: "8.1 Three quotes were…" has none."""
    words = re.sub(rf"^{ITEM_NUMBER}", "", text).split()
    title: list[str] = []
    for word in words[:TITLE_WORDS]:
        bare = word.strip("()“”\"'‘’")
        if title and (bare in _SENTENCE_STARTERS or not (bare[:1].isupper() or bare[:1].isdigit()
                                                          or bare.lower() in _TITLE_JOINERS)):
            break
        title.append(word)
        if word.endswith((".", ":", ";", ",")) or word in ("–", "—", "-"):
            break
    while title and (title[-1].lower() in _TITLE_JOINERS or title[-1] in ("–", "—", "-")):
        title.pop()
    if sub_item and len(title) == 1 and len(words) > 1 and words[1][:1].islower() and title[0][-1:].isalnum():
        return None  # "8.1 Three quotes were sought…": a point's first word, not a title ("7. Highways the…" is one)
    return " ".join(title).rstrip(".,;:") or None


def _capped(passages: list[Passage], limit: int = MAX_CHARS) -> list[Passage]:
    """Passages over `limit` characters cut at sentence ends (a decision block is cut only past
    HARD_MAX_CHARS), each piece keeping its item and heading."""
    out: list[Passage] = []
    for p in passages:
        most = HARD_MAX_CHARS if p.is_decision else limit
        if len(p.text) <= most:
            out.append(p)
            continue
        size = MAX_CHARS
        if most > MAX_CHARS:  # a decision or an exchange in as few pieces as it takes, of about equal size
            size = min(most, -(-len(p.text) // -(-len(p.text) // most)) + BALANCE_SLACK)
        for piece in pack(p.text, size):
            out.append(Passage(**{**p.__dict__, "text": piece, "passage_id": ""}))
    return out


def pack(text: str, limit: int) -> list[str]:
    """`text` cut into pieces of at most `limit` characters at line ends, else sentence ends, else
    clause ends, else spaces; the words are kept as they are."""
    units: list[str] = []
    for line in text.split("\n"):
        for sentence in split_sentences(line) if len(line) > limit else [line]:
            units.extend(_pieces(sentence, limit))
        if units:
            units[-1] += "\n"
    pieces, current = [], ""
    for unit in units:
        joined = f"{current}{'' if current.endswith(chr(10)) or not current else ' '}{unit}"
        if current and len(joined.rstrip()) > limit:
            pieces.append(current.strip())
            current = unit
        else:
            current = joined
    if current.strip():
        pieces.append(current.strip())
    return pieces


def _pieces(sentence: str, limit: int) -> list[str]:
    """A sentence longer than `limit` split at '; ' or ', ', else between words."""
    if len(sentence) <= limit:
        return [sentence]
    for mark in ("; ", ", ", " "):
        parts = sentence.split(mark)
        if len(parts) > 1 and max(map(len, parts)) <= limit:
            out, current = [], ""
            for part in parts:
                candidate = f"{current}{mark}{part}" if current else part
                if current and len(candidate) > limit:
                    out.append(current + mark.rstrip())
                    current = part
                else:
                    current = candidate
            return out + [current]
    return [sentence[i:i + limit] for i in range(0, len(sentence), limit)]


def is_procedural(heading: str | None, text: str) -> bool:
    """Apologies, attendance, declarations of interest, the previous minutes, the next meeting's date:
    said of an item by its heading, or of a paragraph by its own words."""
    return bool(heading and _PROCEDURAL.match(heading)) or _procedural_block(text)


def _procedural_block(text: str) -> bool:
    """A paragraph that only runs the meeting: a roll call, apologies, declarations, the last minutes (not
    the record's own heading, "Minutes of the Stoke Ferry Parish Council meeting held on …")."""
    opening = text[:200]
    if re.match(r"^\W*(?:\d[\d./]*\s*)?(?:the )?minutes\b", opening, re.I):
        return bool(_LAST_MINUTES.match(opening))
    return bool(_ROLL_CALL.match(text) or _PROCEDURAL.match(opening)
                or (len(text) < 400 and _PROCEDURAL_DECISION.search(text)))


def _flagged(passages: list[Passage]) -> list[Passage]:
    """A passage is procedural when its item is (by its heading) or when all it holds is (set as it was cut)."""
    for p in passages:
        p.is_procedural = p.is_procedural or bool(p.item and is_procedural(p.heading, ""))
    return passages


def _continues_decision(group: _Group, block: Block) -> bool:
    last = group.blocks[-1].text
    if _REASON.match(last):
        return True  # the paragraph after REASON belongs to the decision
    if _REASON.match(block.text):
        return True
    open_ended = last.endswith((":", ";", ",", " and", " or")) or last.isupper()
    is_point = block.kind == "bullet" or bool(POINT_START.match(block.text))
    # a list after a finished decision ("... be noted." then "• Minutes, item 58") is something else
    last_is_point = group.blocks[-1].kind == "bullet" or bool(POINT_START.match(last))
    return (is_point and (open_ended or last_is_point)) or block.text[:1].islower() or open_ended


def _block_text(block: Block) -> str:
    return f"• {block.text}" if block.kind == "bullet" else block.text


def _merge_tiny(passages: list[Passage]) -> list[Passage]:
    """A fragment of a few words ('The Committee discussed:') joins the next passage of its item."""
    out: list[Passage] = []
    carry: Passage | None = None
    for p in passages:
        if carry is not None:
            if carry.item == p.item and carry.heading == p.heading and not p.is_decision \
                    and carry.is_procedural == p.is_procedural:
                p = Passage(**{**p.__dict__, "text": carry.text + "\n" + p.text, "page": carry.page, "passage_id": ""})
            else:
                out.append(carry)
            carry = None
        if len(p.text.split()) < 12 and not p.is_decision:
            carry = p
            continue
        out.append(p)
    if carry is not None:
        out.append(carry)
    return out
