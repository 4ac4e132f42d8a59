"""Cut a committee transcript ("Speaker: what they said", one turn a line) into citable exchanges.

An exchange starts where the floor changes hands: when the chair speaks, or when a turn ends by
naming the next speaker ("…with some questions from Siân Gwenllian. Siân.", "We'll now go to
Mr. Singh."), so the turn that opens a topic starts the passage about it and a question stays
with its answer. Each passage is headed by the roles of its speakers, which a transcript gives
only once ("Hon. Navdeep Bains (Minister of Innovation, Science and Industry)").
"""

from __future__ import annotations

from assistant.cleanup import Block
from assistant.records import Passage, Record
from assistant.settings import HANDOVER_WORDS, LONG_TURN_WORDS, TRANSCRIPT_WORDS, TURN_PIECE_WORDS
from assistant.text import folded, speaker, speaker_names, split_sentences



def transcript_passages(record: Record, blocks: list[Block]) -> list[Passage]:
    """The record's exchanges, in order, each a Passage headed by its speakers' roles."""
    turns = [piece for b in blocks for piece in _split_long(b)]
    speakers = [speaker(t.text) for t in turns]
    chair_names = {n for n in speakers if n and "chair" in n.lower()}
    # the turns that give the floor: the chair's, and those that end by naming the next speaker
    opening = {id(turn) for i, (turn, name) in enumerate(zip(turns, speakers))
               if name in chair_names or (i + 1 < len(turns) and speakers[i + 1] not in (None, name)
                                          and hands_over(turn.text, speakers[i + 1]))}
    groups: list[list[Block]] = []
    for turn in turns:
        words = len(turn.text.split())
        current = groups[-1] if groups else None
        size = sum(len(t.text.split()) for t in current) if current else 0
        if current is None or (id(turn) in opening and size >= TRANSCRIPT_WORDS // 3):
            groups.append([turn])
        elif size + words > TRANSCRIPT_WORDS and not _only_opening(current, opening):
            groups.append(_awaiting_answer(current, opening) + [turn])
        else:
            current.append(turn)
    roles = _speaker_roles(speakers)
    out = []
    for group in groups:
        text = "\n".join(t.text for t in group)
        said = [roles[name] for name in dict.fromkeys(map(speaker, (t.text for t in group)))
                if name in roles and roles[name] not in text]
        heading = " — ".join(filter(None, (record.title, "; ".join(said)))) or None
        out.append(Passage(text=text, source=record.source, council=record.council, committee=record.committee,
                           date=record.date, item=record.item, title=record.title, heading=heading, page=group[0].page,
                           doc_type=record.doc_type, access=record.access))
    return out


def hands_over(turn: str, following: str) -> bool:
    """Does `turn` end by giving the floor to the speaker labelled `following` (naming them in its last words)?"""
    names = {folded(n) for n in speaker_names(following)}
    tail = folded(" ".join(turn.partition(":")[2].split()[-HANDOVER_WORDS:]))
    return any(word.strip(".,;:!?'’()") in names for word in tail.split())


def _speaker_roles(speakers: list[str | None]) -> dict[str, str]:
    """Short speaker labels mapped to the full label a transcript gives once, 'Hon. Navdeep Bains' →
    'Hon. Navdeep Bains (Minister of Innovation, Science and Industry)', so a question about
    "the Minister" finds the turns labelled with the name alone."""
    roles: dict[str, str] = {}
    for name in speakers:
        if name and "(" in name and name.rstrip().endswith(")"):
            roles.setdefault(name.split("(")[0].strip(), name)
    return roles


def _awaiting_answer(group: list[Block], opening: set[int]) -> list[Block]:
    """Take from the end of `group` what the next turn follows on from: a question it answers and the
    turn giving the floor before it, or a turn giving the floor, so a cut for length never parts them."""
    cut = len(group)
    if cut > 1 and group[-1].text.rstrip().endswith("?"):
        cut -= 1
    if cut > 1 and id(group[cut - 1]) in opening:
        cut -= 1
    moved = group[cut:]
    del group[cut:]
    return moved


def _only_opening(group: list[Block], opening: set[int]) -> bool:
    """A group that is only the floor being given waits for the turn that follows."""
    return all(id(t) in opening for t in group)


def _split_long(block: Block) -> list[Block]:
    """A turn longer than LONG_TURN_WORDS cut at sentence ends."""
    if len(block.text.split()) <= LONG_TURN_WORDS:
        return [block]
    pieces, current = [], []
    for sentence in split_sentences(block.text):
        if current and len(" ".join(current + [sentence]).split()) > TURN_PIECE_WORDS:
            pieces.append(Block(" ".join(current), block.page, block.kind))
            current = []
        current.append(sentence)
    if current:
        pieces.append(Block(" ".join(current), block.page, block.kind))
    return pieces
