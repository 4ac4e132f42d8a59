"""Turn raw extracted text into clean paragraph blocks, keeping the words verbatim.

Removes layout artefacts (non-breaking spaces, "pdf icon PDF 224 KB", "Page 3 of 7" footers,
ModernGov labels), rejoins hard-wrapped lines and bullets split over lines. Produces `Block`s,
each one paragraph, bullet or heading line with the page it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BULLET_CHARS = "•·▪◦●‣∙-–*"
_SPACE_LIKE = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2009\u200a\t"), " ") | dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\ufeff\u00ad"), None)
_ARTEFACTS = [
    re.compile(r"\s*(?:pdf icon\s*)?PDF\s+\d+(?:\.\d+)?\s*[KM]B\b", re.I),
    re.compile(r"\s*\b(?:docx?|xlsx?) icon\s*\w*\s+\d+\s*[KM]B\b", re.I),
]
_DROP_LINE = re.compile(
    r"^(?:page\s+\d+(?:\s+of\s+\d+)?|\d+\s*(?:/|of)\s*\d+|-\s*\d+\s*-|\d{1,3}|additional documents:|minutes:|"
    r"view the reasons why item \d+ is restricted|printed minutes?|supporting documents?:?)$",
    re.I,
)
DECISION_WORDS = r"RESOLVED|ORDERED|AGREED|DECISION|DECIDED|RECOMMENDED|RECOMMENDATIONS?"
_DECISION_START = re.compile(rf"^(?:{DECISION_WORDS})\b|^(?:Resolved|Agreed|Decision|Ordered)\s*[:\-–]")
_POINT_START = re.compile(r"^(?:\(?\d{1,2}[.)]|\(?[a-z][.)]|\(?[ivx]{1,4}[.)])\s")
_JOINING_WORDS = set("a an and as at be by for from in into of on or that the to was were which with "
                     "who whose had has have is are not".split())
SPEAKER_TURN = re.compile(r"^(?:[A-Z][\w.'’\-]*\.?)(?: [\w.'’\-()]+){0,8}: \S")  # "Hon. Bill Morneau: ..."
# "12. Library Opening Hours", "Item 5 ...", and a parish council's minute numbers "21/42 Appointment of Clerk"
ITEM_NUMBER = r"(?:Item\s+|Minute\s+)?(?P<number>(?:\d{2}/)?\d{1,3}[A-Za-z]?)\.?\s+"
_NUMBERED_TITLE = re.compile(rf"^{ITEM_NUMBER}[A-Z]")
_TERMINAL = re.compile(r"[.:;!?]['\")’”]?$")


@dataclass
class Block:
    text: str
    page: int | None = None
    kind: str = "para"  # para | bullet


def clean_line(line: str) -> str:
    line = line.translate(_SPACE_LIKE)
    for pattern in _ARTEFACTS:
        line = pattern.sub("", line)
    return " ".join(line.split())


def is_bullet(line: str) -> bool:
    return len(line) > 0 and line[0] in BULLET_CHARS and (len(line) == 1 or line[1] == " ")


def is_heading_like(line: str) -> bool:
    """Upper-case labels and numbered title-case item headings: never wrapped prose."""
    words = re.findall(r"[A-Za-z][A-Za-z'’\-]*", line)
    if not words or len(line) > 160 or (_TERMINAL.search(line) and not line.endswith(":")):
        return False
    if words[-1].lower() in _JOINING_WORDS or line[0].islower():
        return False
    if line.isupper():
        return True
    numbered = re.match(rf"^{ITEM_NUMBER}(?P<first>\S)", line)
    if not numbered or not numbered.group("first").isupper():
        return False  # unnumbered title lines stand alone only when a blank line follows; "1. the ..." is a point
    long_words = [w for w in words if len(w) > 3]
    if not long_words:
        return len(words) <= 3
    capitalised = sum(1 for w in long_words if w[0].isupper())
    return capitalised / len(long_words) >= 0.5


def starts_structure(line: str) -> bool:
    """A line that begins a new block whatever the previous line looked like."""
    return bool(is_bullet(line) or _DECISION_START.match(line) or _POINT_START.match(line)
                or re.match(r"^(?:REASONS?|OPTIONS|PART\s+(?:I|II|2)\b)", line)
                or SPEAKER_TURN.match(line) or (_NUMBERED_TITLE.match(line) and is_heading_like(line)))


def to_blocks(pages: list[str], paged: bool) -> list[Block]:
    blocks: list[Block] = []
    for number, page_text in enumerate(pages, start=1):
        page = number if paged else None
        current: list[str] = []
        kind = "para"

        def flush() -> None:
            nonlocal current, kind
            text = " ".join(current).strip()
            if kind == "bullet":
                text = text.lstrip(BULLET_CHARS).strip()
            if text:
                blocks.append(Block(text, page, kind))
            current, kind = [], "para"

        for raw in page_text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n").split("\n"):
            line = clean_line(raw)
            if not line:
                flush()
                continue
            if _DROP_LINE.match(line):
                continue
            if current and (starts_structure(line) or not _continues(current[-1], line, kind)):
                flush()
            if not current and is_bullet(line):
                kind = "bullet"
            current.append(line)
            after_lead_in = bool(blocks) and blocks[-1].page == page and blocks[-1].text.endswith(":")
            if kind == "para" and len(current) == 1 and not after_lead_in and is_heading_like(line) \
                    and not _DECISION_START.match(line):
                flush()  # a heading stands alone
        flush()
    return blocks


def _continues(previous: str, line: str, kind: str) -> bool:
    """Does `line` continue the wrapped line before it?"""
    if kind == "bullet" and previous.strip() in BULLET_CHARS:
        return True  # "·" alone, its text on the next lines (seed 004)
    if _TERMINAL.search(previous):
        return False
    if previous.isupper() and len(previous) < 40:
        return False  # ORDERED, REASON, OPTIONS
    return True
