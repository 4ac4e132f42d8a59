"""Turn raw extracted text into clean paragraph blocks, keeping the words verbatim.

Removes layout artefacts (non-breaking spaces, "pdf icon PDF 224 KB", "Page 3 of 7" footers,
ModernGov labels), rejoins hard-wrapped lines and bullets split over lines. Produces `Block`s,
each one paragraph, bullet or heading line with the page it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.settings import NUMBER_JUMP
from assistant.text import MONTH_NAMES, SPEAKER_TURN

BULLET_CHARS = "•·▪◦●‣∙-–*"
_SPACE_LIKE = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2009\u200a\t"), " ") | dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\ufeff\u00ad"), None)
_ARTEFACTS = [
    re.compile(r"\s*(?:pdf icon\s*)?PDF\s+\d+(?:\.\d+)?\s*[KM]B\b", re.I),
    re.compile(r"\s*\b(?:docx?|xlsx?) icon\s*\w*\s+\d+\s*[KM]B\b", re.I),
]
_FILE_SIZE_END = re.compile(r"\b(?:PDF|docx?|xlsx?)\s+\d+(?:\.\d+)?\s*[KM]B\s*$", re.I)  # a link's size label
_DROP_LINE = re.compile(
    r"^(?:page\s+\d+(?:\s+of\s+\d+)?|\d+\s*(?:/|of)\s*\d+|-\s*\d+\s*-|\d{1,3}|additional documents:|minutes:|"
    r"view the reasons why item \d+ is restricted|printed minutes?|supporting documents?:?)$",
    re.I,
)
DECISION_WORDS = r"RESOLVED|ORDERED|AGREED|DECISION|DECIDED|RECOMMENDED|RECOMMENDATIONS?"
DECISION_START = re.compile(rf"^(?:{DECISION_WORDS})\b|^(?:Resolved|Agreed|Decision|Ordered)\s*[:\-–]")
POINT_START = re.compile(r"^(?:\(?\d{1,2}[.)]|\(?[a-z][.)]|\(?[ivx]{1,4}[.)])\s")
_SUB_HEADING = re.compile(r"^\(?(?:[a-z]|[ivx]{1,4})[.)]\s+(?P<title>[A-Z][^.!?;:,]{0,60})$")
_WORDS = re.compile(r"[A-Za-z][A-Za-z'’\-]*")  # the words of a line, for judging whether it is a title
_JOINING_WORDS = set("a an and as at be by for from in into of on or that the to was were which with "
                     "who whose had has have is are not".split())
# "12. Library Opening Hours", "Item 5 ...", "7.3.3 Village Gates", and minute numbers with the year:
# "21/42 Appointment of Clerk", "128/20 Planning", "15/11/3", and the committee's letters before them: "PC20/11"
NUMBER = r"(?:[A-Z]{1,4}/?)?\d{1,4}/\d{2,4}(?:/\d{1,3})?|\d{1,3}(?:\.\d{1,2}){0,3}[A-Za-z]?"
ITEM_NUMBER = rf"(?:Item\s+|Minute\s+)?(?P<number>{NUMBER})(?:\.|\))?\s+"
_NUMBERED_TITLE = re.compile(rf"^{ITEM_NUMBER}[A-Z]")
_TERMINAL = re.compile(r"[.:;!?]['\")’”]?$")


@dataclass
class Block:
    """One paragraph, bullet or heading line of a record: its page (None when the format has no pages) and, when it
    starts an item, the minute number it starts with."""

    text: str
    page: int | None = None
    kind: str = "para"  # para | bullet
    number: str | None = None  # the minute number the block starts with, when it starts an item


def clean_line(line: str) -> str:
    """A raw line with space-like characters made spaces, invisible ones and file-size labels ("PDF 224 KB")
    removed, and each run of spaces made one."""
    line = line.translate(_SPACE_LIKE)
    for pattern in _ARTEFACTS:
        line = pattern.sub("", line)
    return " ".join(line.split())


def is_bullet(line: str) -> bool:
    """True when the line starts with a bullet character followed by a space, or is that character alone."""
    return len(line) > 0 and line[0] in BULLET_CHARS and (len(line) == 1 or line[1] == " ")


def is_heading_like(line: str) -> bool:
    """Upper-case labels and numbered title-case item headings: never wrapped prose."""
    words = _WORDS.findall(line)
    if not words or len(line) > 160 or (_TERMINAL.search(line) and not line.endswith(":")):
        return False
    if words[-1].lower() in _JOINING_WORDS or line[0].islower() or line.endswith((",", ";")):
        return False  # a line that runs on ("5.3 The Board will be chaired by Dr Elaine Moss, a former Director,")
    if line.isupper():
        return True
    numbered = re.match(rf"^{ITEM_NUMBER}(?P<first>\S)", line)
    if not numbered or not numbered.group("first").isupper():
        return False  # unnumbered title lines stand alone only when a blank line follows; "1. the ..." is a point
    return _title_cased(words)


def is_sub_heading(line: str) -> bool:
    """A point's title on a line of its own, which a part of an item starts with: "v) Cemetery Water",
    "iii) Directional Signs to Glazewing", "a) Allotments"."""
    marked = _SUB_HEADING.match(line)
    return bool(marked) and _title_cased(_WORDS.findall(marked.group("title")))


def _title_cased(words: list[str]) -> bool:
    long_words = [w for w in words if len(w) > 3]
    if not long_words:
        return len(words) <= 3
    capitalised = sum(1 for w in long_words if w[0].isupper())
    return capitalised / len(long_words) >= 0.5


def starts_structure(line: str) -> bool:
    """A line that begins a new block whatever the previous line looked like."""
    return bool(is_bullet(line) or DECISION_START.match(line) or POINT_START.match(line)
                or re.match(r"^(?:REASONS?|OPTIONS|PART\s+(?:I|II|2)\b)", line)
                or SPEAKER_TURN.match(line) or (_NUMBERED_TITLE.match(line) and is_heading_like(line)))


def to_blocks(pages: list[str], paged: bool) -> list[Block]:
    """The pages' text as blocks: wrapped lines rejoined, page furniture dropped, headings standing alone, and
    paragraphs split at the minute numbers run into them (mark_items). `paged`: each block records its page."""
    blocks: list[Block] = []
    for number, page_text in enumerate(pages, start=1):
        page = number if paged else None
        current: list[str] = []
        kind = "para"

        def flush() -> None:
            """End the block being gathered: keep it (a bullet without its mark) unless empty; start a paragraph."""
            nonlocal current, kind
            text = " ".join(current).strip()
            if kind == "bullet":
                text = text.lstrip(BULLET_CHARS).strip()
            if text:
                blocks.append(Block(text, page, kind))
            current, kind = [], "para"

        for raw in page_text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n").split("\n"):
            line = clean_line(raw)
            if is_bullet(line) and _FILE_SIZE_END.search(raw.translate(_SPACE_LIKE)):
                continue  # "• Appendix 1 – Ofsted inspection report, item 41 PDF 486 KB": a link to a document
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
                    and not DECISION_START.match(line):
                flush()  # a heading stands alone
        flush()
    return mark_items(blocks)


# ---- minute numbers ---------------------------------------------------------------------------
# A minute number inside a block ("… 3 members of the public 1. Apologies for Absence …", "94/19 Emergency
# Evacuation … 95/19 Openness …"): real minutes often run their items into one paragraph. A number counts
# only when it follows the numbering so far (the next item, a sub-item, the next year's sequence), which
# keeps "£118.44", "4 May" and "paragraphs 6 to 15" out without a rule for each.
_INLINE_NUMBER = re.compile(rf"(?:^|(?<=\s))(?:(?:Item|Minute)\s+)?(?P<number>{NUMBER})(?P<mark>[.)])?\s+"
                            r"(?=[A-Z(“\"‘•]|\d{1,3}\.\d)")
_NOT_AN_ITEM_AFTER = re.compile(r"(?:^|\s)(?:appendix|items?|minutes?|min\.|paragraphs?|paras?|sections?|pages?|no\.?|numbers?|clauses?|"
                                r"schedules?|parts?|phases?|years?|options?|recommendations?|tiers?|levels?|stages?|"
                                r"grades?|rooms?|units?|plots?|route|bus|policy|area|zone|ward|and|or|to|of|by|at|on|"
                                r"in|from|between|than|about|over|under|with|for|per|the|a|£|\$|[:,])\s*$", re.I)
_NOT_A_TITLE = re.compile(rf"(?:{'|'.join(m[:3] for m in MONTH_NAMES)})\w*\b|(?:am|pm|mph|per|st|nd|rd|th)\b", re.I)
_SENTENCES_IN = re.compile(r"\w{3}[.!?]\s+[A-Z]|[,\-–]$")  # "5. Bowers, Methwold Rd. Bungalow. Amended." is no title
_TITLED = re.compile(r"[A-Z][\w'’]*(?: [\w'’&]+){0,5}:\s")  # "Matters Arising: …"


def _parts(number: str) -> tuple[str, tuple[int, ...]]:
    digits = tuple(int(re.sub(r"\D", "", x) or 0) for x in re.split(r"[/.]", number))
    return ("slash" if "/" in number else "dot") + str(len(digits) if "/" in number else ""), digits


def follows(previous: tuple[int, ...] | None, number: tuple[int, ...], kind: str, opens: bool = False) -> bool:
    """Does `number` continue a numbering whose last item was `previous`? None: it would start one, which
    inside a sentence only a first number may do; `opens`: it starts a paragraph or says "Item"/"Minute"."""
    if previous is None and opens:
        return True
    if previous is None:
        if kind.startswith("slash"):
            return kind == "slash2" or number[-1] <= NUMBER_JUMP
        return number[0] <= NUMBER_JUMP and all(n <= 1 for n in number[1:])
    if kind == "slash2":  # "94/19" → "95/19"; a new year's numbering may restart
        same_year = number[1] == previous[1] and previous[0] < number[0] <= previous[0] + NUMBER_JUMP
        return same_year or (number[1] == previous[1] + 1 and number[0] <= max(NUMBER_JUMP, previous[0] + NUMBER_JUMP))
    if kind.startswith("slash"):  # "15/11/1" → "15/11/2"
        return number[:-1] == previous[:-1] and previous[-1] < number[-1] <= previous[-1] + NUMBER_JUMP
    for level in range(len(number)):  # "5" → "5.1" → "5.1.1" → "5.2" → "6"
        if level >= len(previous):
            return number[:level] == previous and all(n <= 1 for n in number[level:])
        if number[:level] == previous[:level] and previous[level] < number[level] <= previous[level] + NUMBER_JUMP:
            return all(n <= 1 for n in number[level + 1:])
    return False


def mark_items(blocks: list[Block]) -> list[Block]:
    """Split paragraphs at the minute numbers run into them and mark each block that starts an item."""
    last: dict[str, tuple[int, ...]] = {}
    marks: set[str] = set()  # how the record's items are numbered: "12." or "12)"
    out: list[Block] = []
    points = False  # under an upper-case section heading, "1. Gravel at … not removed." is a point of it
    for block in blocks:
        if block.kind != "para" or DECISION_START.match(block.text) or SPEAKER_TURN.match(block.text):
            out.append(block)  # a decision's points and a speaker's turn are not items
            continue
        if block.text.isupper() and is_heading_like(block.text) and not _NUMBERED_TITLE.match(block.text) \
                and re.search(r"[A-Z]{3}", block.text):  # "NC", "NC/JB" beside an item: who acts, not a section
            last.pop("dot", None)
            points = True
        cuts: list[tuple[int, str]] = []
        for m in _INLINE_NUMBER.finditer(block.text):
            kind, digits = _parts(m.group("number"))
            if kind == "slash2" and 1990 <= digits[0] <= 2049:
                continue  # "2022/23 Report of …": a financial year, not a minute number
            rest = block.text[m.end():]
            at_start = m.start() == 0
            if _NOT_A_TITLE.match(rest) or (not at_start and _NOT_AN_ITEM_AFTER.search(block.text[:m.start()])):
                continue
            heading = at_start and is_heading_like(block.text) and not _SENTENCES_IN.search(block.text)
            opens = at_start or bool(re.match(r"(?:Item|Minute)\s", m.group(0)))
            # a paragraph that opens with the last item's number and a titled heading is the next item misnumbered
            # ("3. Minutes: …", then "3. Matters Arising: …")
            repeated = at_start and last.get(kind) == digits and bool(_TITLED.match(rest))
            if not (follows(last.get(kind), digits, kind, opens) or heading or repeated) or (at_start and points and not heading):
                continue
            if kind == "dot" and not m.group("mark") and len(digits) == 1 and not at_start and last.get(kind) is None:
                continue  # a bare "1 Cllr" inside a sentence starts nothing; a numbering already begun may go on
            if kind == "dot" and m.group("mark") == ")" and "." in marks and not heading:
                continue  # items numbered "7." have points "3) The overgrown state of the path…", not items
            marks.add(m.group("mark") or "")
            points = points and not heading
            last[kind] = digits
            cuts.append((m.start(), m.group("number")))
        if not cuts:
            out.append(block)
            continue
        starts = [at for at, _ in cuts]
        if starts[0] > 0:
            out.append(Block(block.text[:starts[0]].strip(), block.page, block.kind))
        for (at, number), end in zip(cuts, starts[1:] + [len(block.text)]):
            piece = block.text[at:end].strip()
            if piece:
                out.append(Block(piece, block.page, block.kind, number=number))
    return out


def _continues(previous: str, line: str, kind: str) -> bool:
    """Does `line` continue the wrapped line before it?"""
    if kind == "bullet" and previous.strip() in BULLET_CHARS:
        return True  # "·" alone, its text on the next lines (seed 004)
    if _TERMINAL.search(previous):
        return False
    if previous.isupper() and len(previous) < 40:
        return False  # ORDERED, REASON, OPTIONS
    return True
