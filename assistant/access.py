"""Access levels: whether a record, or a section of one, is exempt from publication, and why.

Councils mark an exempt report at its top ("NOT FOR PUBLICATION", "EXEMPT INFORMATION", "by virtue
of paragraph 3 of Part 1 of Schedule 12A to the Local Government Act 1972", "CONFIDENTIAL",
"Agenda item 14 (Part II)"); such a record is restricted as a whole. Minutes mark the exempt part of
a meeting with a resolution excluding the press and public or a "PART II" heading: what follows is
restricted, the public items before it are not. A passage that only mentions an exempt item (a
public minute saying "the press and public be excluded … Schedule 12A", a "Confidential Reporting
Policy") does not make its record restricted.
"""

from __future__ import annotations

import re

HEAD_BLOCKS = 6  # a report's marking is on its first lines, above or beside its title
HEAD_CHARS = 1500
SHORT_LINE = 160  # a heading or a notice line; a marking anywhere in it counts
OPENING_CHARS = 80  # in a longer block a marking counts only where the block starts with it

_SCHEDULE_12A = r"paragraphs?\s+\d+[a-z]?(?:\s*(?:,|and|&|or)\s*\d+[a-z]?)*\s+of\s+part\s+(?:1|I)\s+of\s+schedule\s+12\s*a"
# a marking that makes what it heads exempt, with the reason shown for it
_MARKINGS = [
    (re.compile(r"\bnot\s+for\s+publication\b", re.I), "marked NOT FOR PUBLICATION"),
    (re.compile(r"\bexempt\s+(?:information|report|appendix|appendices|items?|minutes?)\b", re.I),
     "marked exempt information"),
    (re.compile(rf"\b{_SCHEDULE_12A}\b", re.I), "exempt under Schedule 12A"),
    (re.compile(r"(?:^|[(\[–—-]\s*)part\s+(?:II|2)\b(?!\s+of\b)", re.I), "a Part II item"),
    # CONFIDENTIAL as a marking: in capitals, or set off ("Confidential –", "(Confidential)"); not the
    # "Confidential Reporting (Whistleblowing) Policy" or "confidential waste" a public minute discusses
    (re.compile(r"\b(?:STRICTLY\s+)?CONFIDENTIAL\b(?!\s+(?:REPORTING|WASTE|DISPOSAL|SHREDDING|HELPLINE)\b)"
                r"|(?:^|[(\[:–—-])\s*(?i:confidential)\s*(?:$|[)\]:–—-])", re.M), "marked CONFIDENTIAL"),
]
_EXCLUSION = re.compile(
    r"\bexclu(?:sion|de|ded|ding)\b\W+(?:\w+\W+){0,3}?(?:the\s+)?(?:press\s+and\s+(?:the\s+)?public|public\s+and\s+(?:the\s+)?press)"
    r"|\b(?:press\s+and\s+(?:the\s+)?public|public\s+and\s+(?:the\s+)?press|the\s+public)\s+(?:be|were|was|are|being)\s+excluded"
    r"|\b(?:press\s+and\s+)?public\s+(?:and\s+press\s+)?excluded\b", re.I)


def marking(text: str) -> str | None:
    """The reason `text` (a heading or notice) marks what it heads as exempt, or None."""
    for pattern, reason in _MARKINGS:
        if pattern.search(text):
            return reason
    return None


def record_exemption(blocks: list[str]) -> str | None:
    """Why the record whose blocks of text these are is exempt as a whole, or None.

    Only its first lines count: a notice or heading at the top marks the record; a mention further
    down, or a resolution excluding the press and public, marks only what follows it (see
    `excludes_public`)."""
    seen = 0
    for text in blocks[:HEAD_BLOCKS]:
        if seen >= HEAD_CHARS:
            break
        seen += len(text)
        flat = " ".join(text.lstrip("#*> \t").split())
        if excludes_public(flat):
            continue  # the minute of a meeting going into private session: its later items are restricted
        reason = marking(flat if len(flat) <= SHORT_LINE else flat[:OPENING_CHARS])
        if reason:
            return reason
    return None


def section_exemption(heading: str | None) -> str | None:
    """Why the item or section under `heading` is exempt, or None ("PART II – EXEMPT ITEMS",
    "15. CONFIDENTIAL – Staffing matter", "Exclusion of the press and public")."""
    if not heading:
        return None
    if re.match(r"\W*exempt\b", heading, re.I):
        return "marked exempt"
    return marking(heading) or ("the press and public excluded" if excludes_public(heading) else None)


def excludes_public(text: str) -> bool:
    """A resolution or heading excluding the press and public: the items after it are exempt."""
    return bool(_EXCLUSION.search(text))
