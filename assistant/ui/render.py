"""What the chat shows, as text: answers with linked [n], evidence cards, the scope line, passage lists, exports.

Everything that came from a person or a record is escaped here: a question typed as
`<img src=x onerror=…>` is shown as those characters, and a record's text never becomes markup.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections import defaultdict

from assistant.answer import Answer, human_date
from assistant.filters import Filters
from assistant.records import Passage
from assistant.retrieve import Hit

_MARKDOWN = re.compile(r"([\\`*_\[\]#|~])")
_MARKER = re.compile(r"\\\[(\d+)\\\]")  # a citation marker once the text is escaped for markdown
_CITED = re.compile(r"\[(\d+)\]")
_SENTENCE_END = re.compile(r"(?<=[.!?;:”\"])\s+|\n+")
_LEAD_IN = re.compile(r"^[^:“\n]{0,160}?:\s*[“\"]?")  # "13 July 2021, Executive: …", "On … resolved: “…"
SNIPPET = 300


def esc(text: object) -> str:
    """Text for HTML (attributes too)."""
    return html.escape("" if text is None else str(text), quote=True)


def chat_text(text: str) -> str:
    """Text for a chat message, shown exactly as typed: no markup, no markdown, no entity for a quote."""
    return html.escape(_MARKDOWN.sub(r"\\\1", text), quote=False).replace("\n", "  \n")


def where(p: Passage) -> str:
    """Where a passage comes from; RESTRICTED first for a Part II passage (only an officer is shown one)."""
    parts = ["RESTRICTED" if p.access != "public" else None, p.council, p.committee, human_date(p.date),
             f"item {p.item}" if p.item else None, f"page {p.page}" if p.page else None]
    return " · ".join(x for x in parts if x) or "unknown meeting"


def scope_line(filters: Filters, carried: bool = False) -> str:
    """'Searched: all councils · all committees · any date', as plain words."""
    period = ("any date" if not (filters.since or filters.until) else
              f"{filters.since or 'the start'} to {filters.until or 'now'}")
    parts = [filters.council or "all councils", f"committee {filters.committee}" if filters.committee else "all committees",
             period]
    if filters.doc_type:
        parts.append(f"{filters.doc_type} only")
    if filters.decisions_only:
        parts.append("decisions only")
    return "Searched: " + " · ".join(parts) + (" (scope kept from the last question)" if carried else "")


def card_id(turn: int, n: int) -> str:
    """The HTML id of the evidence card of answer `turn`'s citation [n], the target of its [n] link."""
    return f"card-{turn}-{n}"


def record_url(p: Passage) -> str:
    """Open record: a PDF opened at the passage's page, other records shown scrolled to the passage."""
    if (p.source or "").lower().endswith(".pdf"):
        return f"/record/{p.passage_id}/file" + (f"#page={p.page}" if p.page else "")
    return f"/record/{p.passage_id}#passage"


# ---- answers -------------------------------------------------------------------------------
def answer_message(result: Answer, turn: int, filters: Filters, carried: bool) -> str:
    """The chat message of an answer: scope, the answer with each [n] a link to its card, the sources."""
    def linked(text: str) -> str:
        """Escaped [n] markers as links to this turn's cards."""
        return _MARKER.sub(lambda m: f'<a class="cite" href="#{card_id(turn, int(m[1]))}" '
                                     f'aria-label="source {m[1]}">[{m[1]}]</a>', text)

    lines = [f'<span class="scope">{esc(scope_line(filters, carried))}</span>', ""]
    lines += [linked(chat_text(line)) for line in result.text.split("\n")]
    lines += ["", "**Nearest passages**" if result.abstained else "**Sources**"]
    for n, hit in enumerate(result.citations, start=1):
        sentence = (cited_sentences(result.text, n, hit.passage.text) or [_first_words(hit.passage.text)])[0]
        lines.append(f"- {linked(chat_text(f'[{n}]'))} {chat_text(where(hit.passage))} — “{chat_text(sentence)}”")
    return "\n".join(lines)


def listing_message(query: str, hits: list[Hit], filters: Filters, carried: bool) -> str:
    """The chat message of a Passages turn: the scope, then how many passages were found for the panel (per
    council) or that none was; the query and council names escaped."""
    councils: dict[str, int] = defaultdict(int)
    for h in hits:
        councils[h.passage.council or "unknown council"] += 1
    counts = "; ".join(f"{chat_text(c)}: {n}" for c, n in councils.items())
    found = (f"{len(hits)} passage{'s' if len(hits) != 1 else ''} about “{chat_text(query)}”"
             f"{' (the most shown at once)' if len(hits) >= 50 else ''}, listed in the Passages panel. {counts}")
    return "\n".join([f'<span class="scope">{esc(scope_line(filters, carried))}</span>', "",
                      found if hits else f"No passage found about “{chat_text(query)}”."])


def _first_words(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SNIPPET else flat[:SNIPPET - 1] + "…"


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9£%]+", text.lower()) if len(w) > 2}


def cited_sentences(answer_text: str, n: int, passage_text: str) -> list[str]:
    """The sentences of the passage that the answer's sentences marked [n] come from, as they are in the
    passage (for highlighting); found verbatim when they can be, else the passage sentence sharing most words."""
    out: list[str] = []
    for line in answer_text.split("\n"):
        pieces = _CITED.split(line)  # text, n, text, n, …
        for i in range(1, len(pieces), 2):
            if int(pieces[i]) != n:
                continue
            claim = re.sub(r"^[-\s]+", "", pieces[i - 1]).strip()
            if not claim:
                continue
            found = _find(claim, passage_text) or _find(_LEAD_IN.sub("", claim).rstrip("”\" "), passage_text)
            found = found or _closest(claim, passage_text)
            if found and found not in out:
                out.append(found)
    return out


def _find(claim: str, text: str) -> str | None:
    words = claim.strip(" “”\"").split()
    if len(words) < 3:
        return None
    m = re.search(r"\s+".join(map(re.escape, words)), text)
    return m[0] if m else None


def _closest(claim: str, text: str) -> str | None:
    wanted = _words(claim)
    best, share = None, 0.0
    for sentence in _SENTENCE_END.split(text):
        have = _words(sentence)
        if have and (s := len(wanted & have) / len(have)) > share:
            best, share = sentence.strip(), s
    return best if share >= 0.5 else None


def highlighted(text: str, sentences: list[str]) -> str:
    """The passage escaped, each cited sentence inside <mark>."""
    spans = sorted({(m.start(), m.end()) for s in sentences if s for m in [re.search(re.escape(s), text)] if m})
    out, at = [], 0
    for start, end in spans:
        if start < at:
            continue
        out.append(esc(text[at:start]) + f"<mark>{esc(text[start:end])}</mark>")
        at = end
    out.append(esc(text[at:]))
    return "".join(out)


# ---- evidence cards ------------------------------------------------------------------------
def card(turn: int, n: int, hit: Hit, sentences: list[str]) -> str:
    """The evidence card of citation [n]: where the passage comes from, its facts, its text escaped with the
    cited sentences marked, and Open record."""
    p = hit.passage
    facts = [("Council", p.council), ("Committee", p.committee), ("Meeting", human_date(p.date)), ("Item", p.item),
             ("Page", p.page), ("Document", p.doc_type), ("Decision", "yes" if p.is_decision else "no")]
    procedural = getattr(p, "is_procedural", None)  # a flag the passage may carry
    if procedural is not None:
        facts.append(("Procedural", "yes" if procedural else "no"))
    rows = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v) if v not in (None, '') else 'not stated'}</dd>" for k, v in facts)
    title = f"<p class='card-title'>{esc(p.title)}</p>" if p.title else ""
    return (f"<article class='card' id='{card_id(turn, n)}' tabindex='-1' aria-label='Source {n}'>"
            f"<h4>[{n}] {esc(where(p))}</h4>{title}<dl>{rows}</dl>"
            f"<blockquote class='passage'>{highlighted(p.text, sentences)}</blockquote>"
            f"<p><a class='open-record' href='{esc(record_url(p))}' target='_blank' rel='noopener'>Open record</a>"
            f" <small>{esc(p.source)}</small></p></article>")


def evidence_panel(turns: list[dict]) -> str:
    """The cards of every answer so far, the latest first (so an older answer's [n] still finds its card)."""
    if not turns:
        return "<p class='empty'>The passages an answer cites appear here.</p>"
    blocks = []
    for turn in reversed(turns):
        result: Answer = turn["result"]
        cards = "".join(card(turn["turn"], n, hit, cited_sentences(result.text, n, hit.passage.text))
                        for n, hit in enumerate(result.citations, start=1)) or "<p>No passages.</p>"
        blocks.append(f"<section class='turn'><h3>{esc(turn['question'])}</h3>{cards}</section>")
    return "".join(blocks)


# ---- passage lists -------------------------------------------------------------------------
def grouped(hits: list[Hit]) -> dict[tuple[str, str, str], list[Hit]]:
    """Council, committee and year → their passages, newest meeting first within a group."""
    groups: dict[tuple[str, str, str], list[Hit]] = defaultdict(list)
    for h in hits:
        p = h.passage
        groups[(p.council or "Unknown council", p.committee or "Unknown committee", (p.date or "")[:4] or "undated")].append(h)
    ordered = sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2]), reverse=False)
    return {k: sorted(v, key=lambda h: h.passage.date or "", reverse=True) for k, v in ordered}


def in_groups(hits: list[Hit]) -> list[Hit]:
    """The hits in the order they are listed: by council, committee and year (so pages follow the groups)."""
    return [h for group in grouped(hits).values() for h in group]


def passages_panel(hits: list[Hit], page: int, per_page: int, query: str, heading: str | None = None) -> str:
    """A page of passages under council, committee and year headings; `heading` replaces 'N passages about …'."""
    if not hits:
        return "<p class='empty'>Ask in Passages mode to list every passage about a topic.</p>"
    pages = max(1, -(-len(hits) // per_page))
    page = min(max(page, 1), pages)
    shown = in_groups(hits)[(page - 1) * per_page:page * per_page]
    count = f"{len(hits)} passage{'s' if len(hits) != 1 else ''}"
    title = esc(heading) if heading else f"{count} about “{esc(query)}”"
    out = [f"<p class='pager-status' role='status'>{title} · page {page} of {pages}</p>"]
    council = committee = year = None
    for h in shown:
        p = h.passage
        c, m, y = p.council or "Unknown council", p.committee or "Unknown committee", (p.date or "")[:4] or "undated"
        if c != council:
            out.append(f"{'</ul>' if council else ''}<h3>{esc(c)}</h3>")
            council, committee, year = c, None, None
        if m != committee:
            out.append(f"{'</ul>' if committee else ''}<h4>{esc(m)}</h4>")
            committee, year = m, None
        if y != year:
            out.append(f"{'</ul>' if year else ''}<h5>{esc(y)}</h5><ul class='listing'>")
            year = y
        head = " · ".join(x for x in ("RESTRICTED" if p.access != "public" else None, human_date(p.date), p.title, f"item {p.item}" if p.item else None,
                                      f"page {p.page}" if p.page else None, "decision" if p.is_decision else None) if x)
        out.append(f"<li><b>{esc(head)}</b><br>{esc(_first_words(p.text))}"
                   f" <a href='{esc(record_url(p))}' target='_blank' rel='noopener'>Open record</a></li>")
    out.append("</ul>")
    return "".join(out)


def passages_csv(hits: list[Hit]) -> str:
    """The passages as CSV, in rank order: one row each with its metadata, its whole text and its access."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["rank", "council", "committee", "date", "item", "title", "page", "doc_type", "is_decision",
                     "source", "passage_id", "text", "access"])
    for rank, h in enumerate(hits, start=1):
        p = h.passage
        writer.writerow([rank, p.council, p.committee, p.date, p.item, p.title, p.page, p.doc_type, p.is_decision,
                         p.source, p.passage_id, p.text, p.access])
    return buffer.getvalue()


def passages_markdown(hits: list[Hit], query: str, filters: Filters) -> str:
    """The passages as a Markdown file: query and scope, then each passage quoted under council, committee and
    year headings (not escaped: it is a download, not the page)."""
    lines = [f"# Passages about “{query}”", "", scope_line(filters), ""]
    for (c, m, year), group in grouped(hits).items():
        lines += [f"## {c} — {m} — {year}", ""]
        for h in group:
            lines += [f"- **{where(h.passage)}**{f' — {h.passage.title}' if h.passage.title else ''} ({h.passage.source})",
                      "", "  > " + " ".join(h.passage.text.split()), ""]
    return "\n".join(lines)


def answer_markdown(result: Answer, filters: Filters) -> str:
    """An answer as a Markdown file: question, scope, the text with its [n], then each cited passage quoted
    with where it comes from (headed 'Nearest passages' when it abstained)."""
    lines = [f"# {result.question}", "", scope_line(filters), "", result.text, "",
             "## Nearest passages" if result.abstained else "## Sources", ""]
    for n, hit in enumerate(result.citations, start=1):
        p = hit.passage
        lines += [f"[{n}] {where(p)}{f' — {p.title}' if p.title else ''} — {p.source}", "",
                  "> " + " ".join(p.text.split()), ""]
    return "\n".join(lines)
