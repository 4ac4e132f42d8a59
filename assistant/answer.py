"""Grounded answers: short, composed only of sentences from retrieved passages, each cited [n].

The shape follows the question: decisions quote the decision with its committee and date,
timelines give one dated line per meeting, other questions the best supporting sentences.
When the evidence is weak the answer says the records do not answer it and lists the nearest
passages. Every sentence is checked against the passage it cites before it is shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import PurePath

from assistant import embedder
from assistant.filters import Filters
from assistant.query import Question, without_names
from assistant.records import Passage
from assistant.retrieve import Hit
from assistant.settings import (AHEAD_BONUS, AMOUNT_BONUS, APPOINTMENT_BONUS, CONTEXT_WEIGHT, DATE_BONUS,
                                ELSEWHEN_PENALTY, FIGURE_BONUS, HEADING_PENALTY, LIST_CHARACTERS, NAME_BONUS,
                                OTHER_SPEAKER_PENALTY, OUTCOME_BONUS, OUTCOME_MARGIN, RANK_PRIOR, REASON_BONUS,
                                REASON_MARGIN, SECOND_SENTENCE_MARGIN, SHORTLIST, SIMILARITY_WEIGHT, SPEAKER_BONUS,
                                SUPPORT_THRESHOLD, TIMELINE_COVERAGE, TRANSCRIPT_RANK_PRIOR, YEAR_BONUS)
from assistant.text import (FULL_DATE, INLINE_BULLET, MONTH_DATE, NOT_A_NAME, WHEN_DATE, YEAR, keyword_terms,
                            speaker_names, stem)

# "Present: …", "Officers: …" names who was in the room: it answers "who attended / who chaired", no other "who"
_ROLL_CALL = re.compile(r"^(?:also )?(?:in attendance|present|officers?(?: present| in attendance)?|"
                        r"apologies(?: for absence)?|members(?: present)?|councillors present)\b[^:]{0,20}:", re.I)
_ATTENDANCE = re.compile(r"\b(?:attend\w*|present|apolog\w*|absent|absence|chair\w*)\b", re.I)
_SCENE = re.compile(r"\b(?:when|after|before|following|once|while)\b.*$", re.I)
_APPOINTMENT = re.compile(r"\b(?:appoint\w*|succe(?:ed\w*|ssor)|welcomed)\b", re.I)
_TITLED_NAME = re.compile(r"\b(?:Councillors?|Cllr|Mrs|Mr|Ms|Miss|Dr|Professor|Prof|Sir|Dame|Lord|Lady|Hon)\.?\s+"
                          r"(?:[A-Z]\.?\s+)*(?:[A-Z][a-z'’-]+\s+)?([A-Z][a-z'’-]+)")  # the surname
_CAPITALISED_PAIR = re.compile(r"\b([A-Z][a-z'’-]+)\s+([A-Z][a-z'’-]+)\b")
_INITIALLED_NAME = re.compile(r"(?<![\w.])(?:[A-Z]\.\s?){1,3}([A-Z][a-z'’-]+)")  # "G. Baddock", "R.J. Lankfer": the surname
# "… was proposed by Mrs. Fisher and seconded by M. Grief": who moved a motion, not whom it is about
_MOVER = re.compile(r"\b(?:proposed|seconded|moved)\s+by\s+(?:(?:Councillors?|Cllr|Mrs|Mr|Ms|Miss|Dr)\.?\s+)?"
                    r"(?:[A-Z]\.\s?)*(?:[A-Z][a-z'’-]+\s+)?[A-Z][a-z'’-]+")
# words minutes capitalise in the names of bodies, posts and places, never in a person's name
_INSTITUTIONAL = set("""councillor councillors cllr mr mrs ms miss dr professor sir dame lord lady hon academy
assistant authority board borough care centre chair chief children city clerk committee clinical council
county deputy director district education executive financial forum fund group hall head health housing
integrated joint lane leader local manager member officer panel parish park partnership plan police policy
public report road room school service services social strategy street town trust vale vice""".split())
# "A Member asked whether…" reports a question, which answers only a question about what was asked
_ASKED = re.compile(r"(?<!\bI )\b(?:asked|queried|enquired) (?:\w+ )?(?:whether|if|what|why|how|when|who|where|about)\b")
# an item's purpose ("To consider a report…", "1.1 The purpose of this report is to…") says what was on
# the agenda, not what was found
_PURPOSE = re.compile(r"^(?:[\d.]+\s+)?(?:to|the purpose of (?:the|this) (?:report|paper) (?:is|was) to)\s+"
                      r"(?:consider|receive|present|note|seek|update|inform|provide|report|set out)\b", re.I)
# capitalised words in speaker labels and questions that are not anyone's name
_NOT_A_NAME = _INSTITUTIONAL | NOT_A_NAME
_REASON = re.compile(r"\b(?:because|due to|owing to|reasons?|attribut\w*|as a result|result(?:ed)? (?:of|from)|caused|"
                     r"led to|driven by|explained|since the|following the)\b", re.I)
_AHEAD = re.compile(r"\b(?:would(?! have)|will(?! have)|shall|planned|plans? to|next|due (?:to be|in|on)|scheduled|expected|forthcoming|"
                    r"upcoming|intend\w*|going to|future)\b", re.I)
_FIGURE = re.compile(r"(?<![\w/])\d[\d,.]*(?![\w/])")  # a number, not a code such as the B4172 or 20/01187/OUT
_YEARISH = re.compile(r"\b(?:19|20)\d\d(?:/\d\d)?\b|\b\d+(?:\.\d+)?\s*(?:am|pm)\b|^\s*[\d.]+\s", re.I)
_ELSEWHEN = re.compile(r"^(?:at|by|since|before|after|until) (?:that|the|this) (?:time|point|date|stage)\b|^then\b", re.I)


@dataclass
class Answer:
    """An answer to a question: its text with [n] markers, whether it says the records do not answer it
    (`abstained`), and the passages it cites, [1] first."""

    question: str
    text: str
    abstained: bool
    citations: list[Hit] = field(default_factory=list)

    def to_json(self) -> dict:
        """The answer object of the command-line contract: each citation numbered `n` as its [n] marker, no rank."""
        return {"question": self.question, "answer": self.text, "abstained": self.abstained,
                "citations": [dict(n=n, **{k: v for k, v in hit.to_json(n).items() if k != "rank"})
                              for n, hit in enumerate(self.citations, start=1)]}


def human_date(iso: str | None) -> str | None:
    """An ISO date as an answer writes it ("2021-06-08" → "8 June 2021"); None when there is no date."""
    if not iso:
        return None
    d = Date.fromisoformat(iso)
    return f"{d.day} {d:%B %Y}"


def coverage(terms: list[str], text: str, weights: dict[str, float] | None = None) -> float:
    """The share of `terms` found in `text`, each term counted by its weight (1 without weights)."""
    if not terms:
        return 0.0
    words = {stem(w) for w in keyword_terms(text)}
    weight = (weights or {}).get
    total = sum(weight(t, 1.0) for t in terms)
    return sum(weight(t, 1.0) for t in terms if stem(t) in words) / total if total else 0.0


@dataclass
class Candidate:
    """A sentence of a retrieved passage that may answer: its score, its hit's rank, and the sentence before it."""

    score: float
    rank: int
    hit: Hit
    sentence: str
    before: str = ""  # the sentence before it in its passage


def score_sentences(q: Question, hits: list[Hit], weights: dict[str, float] | None = None) -> list[Candidate]:
    """Every sentence of `hits`, scored for how well it answers `q`, best first. The councils a question
    names are its scope, not its topic: a sentence earns nothing for repeating one."""
    terms = [t for t in keyword_terms(q.searched_text()) if not YEAR.fullmatch(t)]
    asked_for = q.text
    # "in November 2020" names the meeting: when it was found, the answer is in it; a procedural passage (the
    # record's heading, apologies, the roll call) answers only a question about them, as the search ranks them
    in_month = {id(h) for h in hits if (h.passage.date or "")[:7] in q.months}
    substantive = {id(h) for h in hits if q.procedural or not h.passage.is_procedural}
    pairs = [(rank, hit, sentence, speaker, spoken[i - 1][1] if i else "") for rank, hit in enumerate(hits)
             if (not in_month or id(hit) in in_month) and (not substantive or id(hit) in substantive)
             for spoken in [hit.passage.quotable()] for i, (speaker, sentence) in enumerate(spoken)]
    if not pairs:
        return []
    candidates = []
    topic = q.topic_terms()  # without the framing: "agree" is in every decision, not what it is about
    asks_about_asking = bool(re.search(r"\b(?:ask\w*|quer\w*|question\w*|challeng\w*)\b", q.text, re.I))
    asks_about_attending = bool(_ATTENDANCE.search(q.text))
    if q.intent == "who":
        # "… when Geoffrey Tanner retired" sets the scene; the answer is to "who took over as clerk"
        asked_for = _SCENE.sub("", q.text).strip() or q.text
        terms = keyword_terms(without_names(asked_for, q.councils)) or terms
        common = {w for hit in hits for w in re.findall(r"\b[a-z][a-z'’-]+", hit.passage.text)}
        asked = {w.lower() for w in re.findall(r"\w+", q.text)}
        # the people a "who" question names set the scene; the answer is someone else
        given = {w.lower() for name in people(q.text, common).values() for w in re.findall(r"\w+", name)}
        terms = [t for t in terms if t not in given]
    # "what did Bains say…": Bains's own words, when Bains speaks in these passages
    named = speaker_names(q.text, _NOT_A_NAME)
    speaking = {speaker for _, _, _, speaker, _ in pairs if speaker and named & speaker_names(speaker, _NOT_A_NAME)}
    # a post answers "who writes the audit opinion?", not a question that names a post itself: "the Director of
    # Public Health presented…" does not answer "who chairs the Board?"
    post_answers = q.intent == "who" and not _POST.search(q.text) and not _POST_ASKED.search(q.text)
    for rank, hit, sentence, speaker, before in pairs:
        own = coverage(terms, sentence, weights)
        # "He attributed the change to…" is about what the sentence before it names
        prior = TRANSCRIPT_RANK_PRIOR if hit.passage.doc_type == "transcript" else RANK_PRIOR
        score = own + CONTEXT_WEIGHT * (coverage(terms, f"{before} {sentence}", weights) - own) + prior / (rank + 1)
        if speaking:
            score += SPEAKER_BONUS if speaker in speaking else -OTHER_SPEAKER_PENALTY
        if q.intent == "when" and WHEN_DATE.search(sentence) and (not q.ahead or _AHEAD.search(sentence)):
            score += DATE_BONUS  # a past date does not say when the next visit is
        if (not sentence.rstrip().endswith((".", ";", ":", "!", "”", '"', *("?" * asks_about_asking)))
                or _PURPOSE.match(sentence) or (_ASKED.search(sentence) and not asks_about_asking)):
            score -= HEADING_PENALTY  # a heading, or a question: neither answers anything, but "what did she ask?"
        roll_call = not asks_about_attending and _ROLL_CALL.match(sentence)
        if q.intent == "who" and not roll_call and _names_someone_new(sentence, common, asked):
            score += NAME_BONUS
        elif post_answers and not roll_call and _POST.search(sentence):
            score += NAME_BONUS / 2  # "the Head of Audit and Risk Assurance presented…" says who, by post
        if q.intent == "who" and _DEPUTY.search(sentence) and not _DEPUTY.search(q.text):
            score -= NAME_BONUS  # "who was elected chairman?" is not answered by the vice-chairman's election
        if q.amount and _states_figure(sentence):
            score += AMOUNT_BONUS
        if q.intent == "decision" and _OUTCOME.search(sentence) and (
                coverage(topic, f"{hit.passage.heading or ''} {before} {sentence}") > 0):
            score += OUTCOME_BONUS  # what was decided about the topic: another item's "it was agreed" is not
        if q.why and _REASON.search(sentence):
            score += REASON_BONUS
        if q.ahead and _AHEAD.search(sentence):
            score += AHEAD_BONUS
        if q.years and hit.passage.date and int(hit.passage.date[:4]) in q.years:
            score += YEAR_BONUS  # a year the question names is when the meeting was, as the search took it
        if q.succession and _APPOINTMENT.search(sentence):
            score += APPOINTMENT_BONUS
        candidates.append(Candidate(score, rank, hit, sentence, before))
    # only the lexically best sentences are worth encoding (encoding is most of an answer's time)
    shortlist = sorted(candidates, key=lambda c: -c.score)[:SHORTLIST]
    similarity = embedder.embed([c.sentence for c in shortlist]) @ embedder.embed_query(asked_for)
    for c, sim in zip(shortlist, similarity):
        c.score += SIMILARITY_WEIGHT * float(sim)
    return sorted(candidates, key=lambda c: -c.score)


def people(sentence: str, common: set[str]) -> dict[str, str]:
    """The people a sentence names, surname (lowercased) → the name as written: after a title
    ("Councillor D Pattani", "Mrs Drury") or initials ("G. Baddock"), or a capitalised pair of words never written in lower
    case in the passages around it ("Rachel Okonjo", but not "Children's Services")."""
    found = {m.group(1).lower(): m.group(0) for m in _TITLED_NAME.finditer(sentence)}
    for m in _INITIALLED_NAME.finditer(sentence):
        surname = m.group(1).lower()
        if surname not in common and surname not in _INSTITUTIONAL:
            found.setdefault(surname, m.group(0))
    for m in _CAPITALISED_PAIR.finditer(sentence):
        first, last = m.group(1).lower(), m.group(2).lower()
        if not ({first, last} & common or {first, last} & _INSTITUTIONAL):
            found.setdefault(last, m.group(0))
    return found


def _names_someone_new(sentence: str, common: set[str], asked: set[str]) -> bool:
    """A "who" question is answered by one or two people it does not name itself, besides those who proposed or
    seconded; a sentence naming many ("Present: Councillors A, B and C") is a roll call, not an answer."""
    return "Councillors " not in sentence and 1 <= len(people(_MOVER.sub(" ", sentence), common).keys() - asked) <= 2


# what the meeting decided, as minutes that have no RESOLVED block write it ("it was agreed to give…", "the Parish
# Council resolved to accept…", "the proposal was carried"); not what one person agreed to do ("the Clerk agreed to
# write…"), which is an action, not the decision asked about
_OUTCOME = re.compile(r"\b(?:it was|was|were|council|councillors|committee|members|meeting|board|cabinet|executive|"
                      r"all|panel|forum)\s+(?:\w+\s+)?(?:agreed|resolved|decided|approved|accepted|refused|rejected|"
                      r"declined|carried|voted)\b|\bunanimous\w*", re.I)
# a post minutes name someone by ("the Head of Audit and Risk Assurance", "the Clerk", "the new Director of Education")
_POST = re.compile(r"\b(?:Head|Director|Chief Executive|Clerk|Chair(?:man|woman|person)?|Vice[- ]Chair\w*|Leader|"
                   r"Mayor|Treasurer|Secretary|(?:Monitoring|Finance|Section 151|Responsible Financial) Officer|"
                   r"Cabinet Member|Executive Member|Portfolio Holder|Advis[eo]r)\b")
# the deputy of a post is another post: the annual meeting elects a chairman and then a vice-chairman
_DEPUTY = re.compile(r"\b(?:vice|deputy|assistant)[- ]?(?:chair\w*|clerk|mayor|leader|president)", re.I)
# a question that names a post ("who chairs…", "who is the clerk") wants the person who holds it, not another post
_POST_ASKED = re.compile(r"\b(?:chair\w*|clerk|director|head|leader|mayor|treasurer|secretary|officer)\b", re.I)


def compose(q: Question, hits: list[Hit], filters: Filters = Filters(), weak_reason: str | None = None,
            weights: dict[str, float] | None = None) -> Answer:
    """`weak_reason` (from evidence.judge) set means: say the records do not answer it.
    `weights`: how much each question word counts when matching sentences (Store.term_weights)."""
    if weak_reason is not None:
        return abstain(q, hits, filters, weak_reason)
    cited: list[Hit] = []
    lines: list[str] = []

    def cite(hit: Hit) -> int:
        """The [n] number of `hit` in this answer, which cites it from the first time it is used."""
        if hit not in cited:
            cited.append(hit)
        return cited.index(hit) + 1

    if q.intent == "timeline" or (q.intent == "comparison" and q.across_councils() is False):  # years: a short timeline
        for hit, sentence in _timeline(q, hits, score_sentences(q, hits, weights), weights):
            # every line names whose meeting it was: one council's story reads as another's otherwise
            where = ", ".join(filter(None, (human_date(hit.passage.date), hit.passage.council, hit.passage.committee)))
            lines.append(f"- {where or 'Undated'}: {sentence} [{cite(hit)}]")
    else:
        chosen = _quoted_decision(q, hits) or _choose(q, hits, score_sentences(q, hits, weights), weights)
        for hit, sentence in chosen:
            lines.append(_lead_in(q, hit, sentence) + f" [{cite(hit)}]")
    text = "\n".join(verify(lines, cited))
    if not text:
        return abstain(q, hits, filters, "no retrieved sentence supports an answer")
    return Answer(q.text, text, False, cited)


def _timeline(q: Question, hits: list[Hit], candidates: list[Candidate],
              weights: dict[str, float] | None) -> list[tuple[Hit, str]]:
    """One line per meeting, oldest first: the best sentence of the meeting's best-matching item, a figure
    preferred (another item of the same meeting that shares a word or two, the Annual Governance Statement
    beside the audit opinion, is not the story). Each line must hold enough of the topic; and when a
    quantity is asked about and one line states a figure, a line without one says nothing about how it moved."""
    topic = q.topic_terms()
    council = hits[0].passage.council  # one council's story; several at once read as one

    def holds_topic(c: Candidate) -> bool:
        return coverage(topic, _under_heading(c), weights) >= TIMELINE_COVERAGE

    def as_line(c: Candidate) -> float:  # a figure counts for a line about the topic, not for another of the item's
        return c.score + FIGURE_BONUS * (_states_figure(c.sentence) and holds_topic(c)) \
            - ELSEWHEN_PENALTY * bool(_ELSEWHEN.match(c.sentence))

    quoted = {id(c.hit) for c in candidates}  # a meeting found only by its apologies has no line to give
    best = [max((c for c in candidates if c.hit in _lead_item(meeting)), key=as_line)
            for meeting in _meetings([h for h in hits if h.passage.council == council and id(h) in quoted])]
    on_topic = [c for c in best if holds_topic(c)]
    if q.measured() and any(_states_figure(c.sentence) for c in on_topic):
        on_topic = [c for c in on_topic if _states_figure(c.sentence)]
    if not on_topic:  # no meeting's line holds enough of the topic: the one that holds most, as a focused answer would
        on_topic = sorted(best, key=as_line)[-1:]
    return [(c.hit, _under_heading(c, with_list(c.sentence, c.hit.passage.text))) for c in on_topic]


def _under_heading(c: Candidate, sentence: str | None = None) -> str:
    """The candidate's sentence (or `sentence`, as quoted), after its item's title when it is all the passage
    says: "Donation to Norfolk Accident Rescue Service: It was proposed, seconded and agreed to donate £50.00".
    The sentence of a longer passage is one of several things said under the title, and stands alone."""
    sentence = sentence or c.sentence
    title = (c.hit.passage.heading or "").split(" — ")[-1].rstrip(": ")
    return f"{title}: {sentence}" if title and len(c.hit.passage.quotable()) == 1 else sentence


def _states_figure(sentence: str) -> bool:
    return bool(_FIGURE.search(_undated(sentence)))


def _quoted_decision(q: Question, hits: list[Hit]) -> list[tuple[Hit, str]]:
    """A decision question is answered by the decision itself, whole and verbatim: one of the best
    passages that decides about the question's topic (not the meeting's other decisions)."""
    topic = q.topic_terms()

    def item_text(hit: Hit) -> str:  # the decision read with the discussion of its item that was found
        """The text of `hit`'s item among the five best hits: the decision with the discussion found beside it."""
        key = (hit.passage.source, hit.passage.item)
        return " ".join(h.passage.context_text() for h in hits[:5] if (h.passage.source, h.passage.item) == key)

    decision = next((h for h in hits[:3] if h.passage.is_decision and (
        not topic or coverage(topic, item_text(h)) >= TIMELINE_COVERAGE)), None) if q.intent == "decision" else None
    return [(decision, " ".join(decision.passage.text.split()))] if decision else []


def _choose(q: Question, hits: list[Hit], candidates: list[Candidate],
            weights: dict[str, float] | None = None) -> list[tuple[Hit, str]]:
    if q.intent == "comparison" and (q.across_councils() or len({h.passage.council for h in hits}) > 1):
        return _one_per_body(q, hits, candidates, weights, newest=q.recent or q.since_year is not None)
    # a focused answer cites one passage: its best sentence and, when close, its next best
    best = next((c for c in candidates if c.rank < 5), None)
    if q.why and best is not None:  # "how did they explain the fall?": a reason given for the topic, not a description
        topic = q.topic_terms()
        best = next((c for c in candidates if c.rank < 5 and c.score >= best.score - REASON_MARGIN
                     and _REASON.search(c.sentence)
                     and coverage(topic, f"{c.before} {c.sentence}", weights) >= TIMELINE_COVERAGE), best)
    if best is None:
        return []
    chosen = [(best.hit, best.sentence)]
    if q.intent not in ("when", "who"):
        others = [c for c in candidates if c.hit is best.hit and c is not best and not _same(c.sentence, best.sentence)]
        second = next(iter(others), None)
        # "why did absence fall?": the fact found, then the passage's reason for it ("She attributed…")
        reason = next((c for c in others if _REASON.search(c.sentence)), None) if q.why else None
        outcome = _outcome_of(q, best, candidates, weights)
        if reason is not None and not _REASON.search(best.sentence):
            chosen.append((best.hit, reason.sentence))
        elif outcome is not None:
            chosen.append((outcome.hit, outcome.sentence))
        elif second is not None and second.score >= best.score - SECOND_SENTENCE_MARGIN:
            chosen.append((best.hit, second.sentence))
    text = best.hit.passage.text
    # in the order the minutes give them (a passage after the best one: after it)
    chosen = sorted(chosen, key=lambda c: text.find(c[1]) if c[0] is best.hit else len(text))
    return [(hit, with_list(sentence, hit.passage.text)) for hit, sentence in chosen]


def _outcome_of(q: Question, best: Candidate, candidates: list[Candidate],
                weights: dict[str, float] | None) -> Candidate | None:
    """What the meeting decided about the matter the best sentence sets out ("Three quotes received from…" is
    followed by "All resolved that the CGM quotation should be accepted"): a sentence of the same meeting's
    best passages that says it was agreed, about the question's topic, nearly as good as the best."""
    if q.amount or best.hit.passage.is_decision or _OUTCOME.search(best.sentence):
        return None  # "how much…" wants its figure; a resolution is what was decided
    topic = q.topic_terms()
    meeting = (best.hit.passage.source, best.hit.passage.date)
    return next((c for c in candidates if c.rank < 5 and c is not best and _OUTCOME.search(c.sentence)
                 and (c.hit.passage.source, c.hit.passage.date) == meeting
                 and c.score >= best.score - OUTCOME_MARGIN and not _same(c.sentence, best.sentence)
                 and coverage(topic, f"{c.hit.passage.heading or ''} {c.before} {c.sentence}", weights) > 0), None)


_ITEM_BREAK = re.compile(rf"\n|{INLINE_BULLET.pattern}")  # a list's items: its lines, or bullets run into one line


def with_list(sentence: str, text: str) -> str:
    """A sentence that ends in a colon ("The Chair summarised the discussion as follows:") says nothing without
    the list after it in the passage: the sentence with its items, one after another, LIST_CHARACTERS at most
    (an item that does not fit is left out, and "…" says so)."""
    at = text.find(sentence)
    if not sentence.rstrip().endswith(":") or at < 0:
        return sentence
    items = [line.strip().lstrip("•·-* ").strip() for line in _ITEM_BREAK.split(text[at + len(sentence):])]
    items = [item for item in items if item]
    kept: list[str] = []
    for item in items:
        if len(" ".join(kept)) + len(item) > LIST_CHARACTERS:
            break
        kept.append(item)
    if not kept:
        return sentence
    # a bullet written without a stop is ended by a semicolon, as the minutes' own "…system; and" is
    kept = [item if re.search(r"[.;:,]$|\b(?:and|or)$", item) or i == len(kept) - 1 else f"{item};"
            for i, item in enumerate(kept)]
    return " ".join([sentence, *kept]) + (" …" if len(kept) < len(items) else "")


def _lead_in(q: Question, hit: Hit, sentence: str) -> str:
    p = hit.passage
    when = human_date(p.date)
    body = p.committee or p.council
    if q.intent == "comparison" and p.council and p.committee:
        body = f"{p.council} ({p.committee})"  # a comparison names whose meeting each line is
    if p.is_decision and re.match(r"^(RESOLVED|ORDERED|AGREED|DECISION|DECIDED)\b", sentence):
        verb = {"ORDERED": "ordered", "AGREED": "agreed", "DECISION": "decided", "DECIDED": "decided"}.get(
            sentence.split()[0].rstrip(":").upper(), "resolved")
        intro = " ".join(filter(None, (f"On {when}" if when else None, f"the {body}" if body else "the meeting")))
        return f"{intro[0].upper()}{intro[1:]} {verb}: “{sentence}”"
    if when and body:
        return f"{body}, {when}: {sentence}"
    return sentence


def _one_per_body(q: Question, hits: list[Hit], candidates: list[Candidate], weights: dict[str, float] | None,
                  newest: bool = False) -> list[tuple[Hit, str]]:
    """A comparison across councils, three at most, in rank order: each council's best-ranked passage or,
    for "the latest" and "fallen since 2019, to what?", its newest passage whose best sentence holds the
    topic; of that passage, the best-matching sentence."""
    topic = Question(without_names(q.text, q.councils)).topic_terms()
    chosen: list[tuple[Hit, str]] = []
    for council in list(dict.fromkeys(h.passage.council for h in hits))[:3]:
        lines = [(hit, _best_sentence(hit, candidates)) for hit in hits if hit.passage.council == council]
        if newest:
            lines = [line for line in lines if coverage(topic, line[1], weights) >= TIMELINE_COVERAGE] or lines
            lines.sort(key=lambda line: line[0].passage.date or "", reverse=True)
        chosen.append(lines[0])
    return chosen


def _meetings(hits: list[Hit], most: int = 4) -> list[list[Hit]]:
    """The hits grouped by meeting: the `most` best-ranked meetings, oldest first."""
    meetings: dict[tuple, list[Hit]] = {}
    for hit in hits:
        p = hit.passage
        meetings.setdefault((p.council, p.committee, p.date, p.source if not p.date else ""), []).append(hit)
    return sorted(list(meetings.values())[:most], key=lambda m: m[0].passage.date or "9999")


def _lead_item(meeting: list[Hit]) -> list[Hit]:
    """The hits of a meeting (best first) that belong to the item of its best hit."""
    lead = meeting[0].passage
    return [h for h in meeting if (h.passage.source, h.passage.item) == (lead.source, lead.item)]


def _undated(sentence: str) -> str:
    return _YEARISH.sub(" ", MONTH_DATE.sub(" ", FULL_DATE.sub(" ", sentence)))  # "11 and 18 November 2019" whole


def _best_sentence(hit: Hit, candidates: list[Candidate]) -> str:
    return next(c.sentence for c in candidates if c.hit is hit)


def _same(a: str, b: str) -> bool:
    wa, wb = set(a.lower().split()), set(b.lower().split())
    return len(wa & wb) / max(1, min(len(wa), len(wb))) > 0.6


def verify(lines: list[str], cited: list[Hit]) -> list[str]:
    """Keep only lines whose words are found in the passages they cite; drop invalid markers."""
    kept: list[str] = []
    for line in lines:
        numbers = [int(n) for n in re.findall(r"\[(\d+)\]", line)]
        valid = [n for n in numbers if 1 <= n <= len(cited)]
        if not valid:
            continue
        claim = re.sub(r"\[\d+\]", "", line)
        support = " ".join(cited[n - 1].passage.context_text() + " " + _meta_words(cited[n - 1]) for n in valid)
        if supported(claim, support):
            kept.append(line)
    return kept


def _meta_words(hit: Hit) -> str:
    p = hit.passage
    return " ".join(filter(None, (p.council, p.committee, human_date(p.date), p.date, "resolved ordered agreed decided on the")))


def supported(claim: str, evidence: str) -> bool:
    """True when `evidence` holds SUPPORT_THRESHOLD of the claim's keywords or more; a claim with none is supported."""
    terms = keyword_terms(claim)
    return not terms or coverage(terms, evidence) >= SUPPORT_THRESHOLD


def _meeting_or_record(p: Passage) -> str:
    """Whose meeting a passage is from ("Kingsmere City Council, Executive, 8 June 2021"); when the record does
    not say, its file and item ("004_8a48….txt, item 109 Children's Services Improvement Programme")."""
    meeting = ", ".join(filter(None, (p.council, p.committee, human_date(p.date))))
    if meeting:
        return meeting
    item = " ".join(filter(None, (f"item {p.item}" if p.item else None, p.title)))
    return ", ".join(filter(None, (PurePath(p.source).name, item)))


def abstain(q: Question, hits: list[Hit], filters: Filters, reason: str = "") -> Answer:
    """The answer saying the indexed records do not answer the question (the scope searched and `reason` given),
    citing the three nearest passages."""
    scope = filters.describe()
    searched = f" (searched: {scope})" if scope else " (searched: all councils, committees and dates)"
    nearest = hits[:3]
    lines = [f"The indexed records do not answer this question{searched}." + (f" Reason: {reason}." if reason else "")]
    if nearest:
        lines.append("The nearest passages are:")
        for n, hit in enumerate(nearest, start=1):
            lines.append(f"- {_meeting_or_record(hit.passage)} [{n}]")
    return Answer(q.text, "\n".join(lines), True, nearest)
