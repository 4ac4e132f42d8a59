"""What a question says besides its topic: intent (decision, timeline, when, who, comparison),
years, and councils or committees it names. Used to narrow, boost and shape answers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.text import MONTHS, STOPWORDS, YEAR as _YEAR, keyword_terms, months_named

_DECISION = re.compile(r"\b(resolv\w*|decid\w*|decision\w*|agree\w*|order(?:ed)?|approv\w*|vot\w*|recommend\w*|outcome|"
                       r"adopt\w*|sign\w* up|set (?:a|the)|what (?:\w+ ){0,3}did .{0,40}\bset\b|response to)\b", re.I)
# "Did the Executive change…", "Has the Schools Forum backed…": yes or no, the decision says which
_DID_BODY = re.compile(r"^\s*(?:did|has|have)\s+(?:the\s+)?(?:[\w'’]+\s+){0,2}?(?:council|cabinet|executive|committee|"
                       r"panel|forum|board)\s+(?!\w+ed\b)", re.I)
_SPAN_OF = r"(?:across|over) (?:the )?(?:last |past )?(?:few |several |\w+ )?"  # "over the last few" years
# a stretch of time asked about ("has Wretton ever given money to…" asks across meetings)
_SPANS = rf"over time|since \d{{4}}|timeline|history of|ever|{_SPAN_OF}years|trend\w*|track\w*"
_TIMELINE = re.compile(r"\b(how (?:has|have|did) .+ (?:changed?|evolv\w*|develop\w*|progress\w*|grow\w*|grown|ris\w*|risen|fall\w*|"
                       rf"fallen|increas\w*|decreas\w*|improv\w*|worsen\w*)|(?:how much|what) progress|{_SPANS})\b", re.I)
_SPAN = re.compile(rf"\b(?:{_SPANS})\b", re.I)
_WHEN = re.compile(r"^\s*(?:(?:from|on|by|since|until|till) )?(when|what date|which (?:date|day|month|year))\b", re.I)
_WHO = re.compile(r"^\s*(who|which (?:officer|member|councillor|director))\b", re.I)
_COMPARE = re.compile(r"\b(compare|comparison|differ\w*|versus|vs\.?|both)\b|\b(?:between|across|which|each) (?:the )?councils\b", re.I)
_COUNCILS = re.compile(r"\b(?:councils|authorities)\b", re.I)
_SINCE = re.compile(r"\b(?:since|after|from)\s+(19[89]\d|20[0-4]\d)\b", re.I)
# a figure moving ("risen", "fell", "grew"), not a word that starts alike ("risk", "fallback")
# how a question asks for a reason ("what caused…", "the reasons for…", "who blamed…")
_REASON_ASKED = r"caus\w*|reasons?|what led|blam\w*|attribut\w*"
_MOVED = r"(?:ris(?:e|es|ing|en)|f[ae]ll(?:s|ing|en)?|grow(?:s|ing|n)?|grew|increas\w*|decreas\w*)"
_FRAMING = re.compile(r"\b(compar\w*|latest|most recent|(?:how much|what) progress (?:\w+ ){0,2}made(?: on| in| with| towards)?"
                      r"(?: getting)?|happen\w*|discuss\w*|said|say|says|talk\w*|debat\w*|mention\w*|raised?|told|summari[sz]e\w*|since|"
                      rf"{_SPAN_OF}(?:time|years)|changed?|evolv\w*|"
                      r"develop(?:s|ed|ing)?|track\w*|"  # "how has it developed", not "the housing development"
                      # how a figure moved, and which councils saw it move: the topic is the figure
                      rf"{_MOVED}|levels?|councils|councillors|authorities|seen|saw|reported|"
                      # how the question asks for its answer ("how often", "what rating", "which firm did they
                      # pick"): the minutes answer with "monthly", "rated good", "was awarded the contract"
                      r"how (?:often|much|many|long|far)|for how long|rating|rated|aim\w*|come to|came to|"
                      # what a "why" question asks for is a reason, however the minutes give it ("a significant
                      # factor in", "because", "due to"): "what caused…", "the reasons for…"
                      rf"{_REASON_ASKED}|"
                      # what a decision question asks for is the decision, however the minutes word it
                      r"decid\w*|decisions?|resolv\w*|agree\w*|approv\w*|"
                      r"pick\w*|picked|cho(?:ose|se|sen)|select\w*|opt(?:ed)?|go(?:ne)? with|went with|(?:get|got) the job|"
                      # what is to come, however the minutes put it ("will", "would", "proposed", "planned")
                      r"going to|"
                      rf"{MONTHS}|spring|summer|autumn|winter)\b", re.I)
# "who took over / replaced / succeeded X": the answer is an appointment, whatever words the minutes use
_SUCCESSION = re.compile(r"\b(?:t(?:ook|akes?|aking) over|replac\w*|succe(?:ed\w*|ssor)|new)\b", re.I)
APPOINTMENT_WORDS = "appointed appointment succeeded"
# "when are the next visits planned", "who will lead on…": what is to come, not what has been
_AHEAD = re.compile(r"\b(?:next|upcoming|forthcoming|future|planned|scheduled|will|going to)\b", re.I)
# "how much would the IDB charge", "what did the new fence cost": an amount, which the minutes give as a figure
_AMOUNT = re.compile(r"\bhow (?:much|many)\b|\bwhat (?:\w+ ){0,3}(?:cost|costs|price|rent|fee|fees|charge|charges|"
                     r"sum|amount|total|figure)\b", re.I)
# "recruitment or inclusion": up to two words either side of an "or"
_EITHER = re.compile(r"\b((?:[\w'’-]+\s+){0,1}[\w'’-]+)\s+or\s+((?:an?\s+|the\s+)?[\w'’-]+(?:\s+[\w'’-]+)?)", re.I)
# a question about how the meeting ran: apologies, attendance, declarations, the minutes, the next meeting
_PROCEDURE = re.compile(r"\b(?:apolog\w*|attend\w*|present|absent\w*|absence|declar\w*|interests?|minutes|"
                        r"(?:true|correct) record|next meeting|quor\w*|chair(?:ed|ing|s)?|who (?:was|were) there)\b", re.I)
_WHY = re.compile(rf"^\s*why\b|\b(?:explain\w*|{_REASON_ASKED})\b", re.I)
# a timeline of a quantity ("how has the vacancy rate changed", "numbers over time"), not of a discussion
_MEASURED = re.compile(rf"\b(?:chang\w*|{_MOVED}|growth|numbers?|rates?|"
                       r"levels?|how (?:many|much)|figures?|going (?:up|down)|progress)\b", re.I)
_EARLIEST = re.compile(r"\b(?:first|initially|originally|earliest)\b(?! (?:time|meeting|year|quarter|phase|stage|part|half)\b)", re.I)
_GENERIC_BODY_WORDS = {"council", "committee", "board", "panel", "forum", "the", "and", "of", "services", "borough",
                       "county", "city", "parish", "town", "district", "overview", "scrutiny", "sub-committee", "group"}


@dataclass
class Question:
    """A question read for what it asks besides its topic: intent, years, the councils and committees it names,
    and flags that shape the answer (recent, earliest, succession, why, ahead, procedural)."""

    text: str
    intent: str = "discussion"  # decision | timeline | when | who | comparison | discussion
    years: list[int] = field(default_factory=list)
    months: list[str] = field(default_factory=list)  # "in November 2020": ["2020-11"], the meeting's month
    since_year: int | None = None
    councils: list[str] = field(default_factory=list)
    committees: list[str] = field(default_factory=list)
    recent: bool = False  # "latest", "current", "now": the newest meetings matter most
    earliest: bool = False  # "first considered", "originally": the oldest meetings matter most
    decision_word: str | None = None  # RESOLVED / ORDERED / AGREED when the question names the verb
    succession: bool = False  # "who took over as clerk": an appointment answers it
    why: bool = False  # "why did…", "how did they explain…": a sentence giving a reason answers it
    ahead: bool = False  # "when are the next visits planned": a sentence about what is to come answers it
    amount: bool = False  # "how much…", "what did the quote cost": a sentence stating a figure answers it
    procedural: bool = False  # "who sent apologies", "who chaired": a procedural item may answer it

    def keywords(self, text: str) -> str:
        """The words to search the keyword index for: `text`, plus the minutes' words for what it asks about."""
        return f"{text} {APPOINTMENT_WORDS}" if self.succession else text

    def measured(self) -> bool:
        """Asks how a quantity moved: each line of its timeline should state a figure."""
        return self.intent == "timeline" and bool(_MEASURED.search(_SINCE.sub(" ", self.text)))

    def across_councils(self) -> bool | None:
        """True: it compares councils ("between Harbourside and Kingsmere", "which councils");
        False: it compares years ("the 2022 judgements with the 2019 ones"); None: it does not say."""
        if len(self.councils) > 1 or _COUNCILS.search(self.text):
            return True
        return False if len(self.years) > 1 else None

    def topic_terms(self) -> list[str]:
        """The question's words less those that frame it ("how has … been discussed since 2020") and the
        councils it names, which the search honours through the records' metadata."""
        return [t for t in keyword_terms(_FRAMING.sub(" ", self.searched_text())) if not _YEAR.fullmatch(t)]

    def alternatives(self) -> list[tuple[set[str], set[str]]]:
        """The two sides of each "or" in the question ("recruitment or inclusion", "a youth shelter or
        multi-use games area"), as the searchable words of each side."""
        return [(set(keyword_terms(left)), set(keyword_terms(right))) for left, right in _EITHER.findall(self.text)
                if keyword_terms(left) and keyword_terms(right)]

    def searched_text(self) -> str:
        """The words to search for: the question less the councils it names (their records are scoped by
        metadata; the names themselves would lift every roll call and heading that repeats them)."""
        return without_names(self.text, self.councils) if self.councils else self.text


def understand(text: str, councils: list[str] = (), committees: list[str] = ()) -> Question:
    """The Question `text` asks: its intent (comparison, timeline, when, who, decision, else discussion), years or
    the year since, a decision verb, and which of `councils` and `committees` it names."""
    q = Question(text=text)
    if _COMPARE.search(text):
        q.intent = "comparison"
    elif _TIMELINE.search(text) and not (_WHY.search(text) and not _SPAN.search(text)):
        q.intent = "timeline"  # "how did they explain the fall in absence" asks why, not how it moved
    elif _WHEN.search(text):
        q.intent = "when"
    elif _WHO.search(text):
        q.intent = "who"
    elif _DECISION.search(text) or _DID_BODY.search(text):
        q.intent = "decision"
    q.why = bool(_WHY.search(text))
    q.ahead = bool(_AHEAD.search(text))
    q.amount = q.intent != "timeline" and bool(_AMOUNT.search(text))
    q.procedural = bool(_PROCEDURE.search(text))
    q.succession = q.intent == "who" and bool(_SUCCESSION.search(text))
    if m := re.search(r"\b(resolv|order|agree)\w*", text, re.I):
        q.decision_word = {"resolv": "RESOLVED", "order": "ORDERED", "agree": "AGREED"}[m.group(1).lower()]
    q.recent = bool(re.search(r"\b(latest|most recent|current(?:ly)?|now|newest|last)\b", text, re.I))
    q.earliest = bool(_EARLIEST.search(text)) and not q.recent
    if m := _SINCE.search(text):
        q.since_year = int(m.group(1))
    else:
        q.years = sorted({int(y) for y in _YEAR.findall(text)})
        q.months = months_named(text)
    lowered = _lowered(text) + " "
    q.councils = [c for c in councils if _named(c, lowered) or _named(short_name(c), lowered)]
    q.committees = [c for c in committees if _named(c, lowered, whole=True)]
    return q


def short_name(council: str) -> str:
    """The name a council goes by: "Northwold with Whittington Parish Council" → "Northwold Parish Council"."""
    return re.sub(r"\s+(?:with|and|cum)\s+.*?(?=\s+(?:Parish|Town|Borough|County|City|District|Community)\s+Council$)",
                  "", council)


def _lowered(text: str) -> str:
    """Lower case words between spaces, a possessive dropped: "Wexcombe's" names Wexcombe."""
    return " " + " ".join(re.sub(r"[^a-z0-9 ]", " ", re.sub(r"['’]s\b", "", text.lower())).split())


def without_names(text: str, names: list[str]) -> str:
    """`text` less the distinctive words of `names`, and the whole name where it is written in full:
    "compare Harbourside and Kingsmere" → "compare  and "; "on Stoke Ferry Parish Council in 2000" → "on in 2000"."""
    for name in names:
        for written in {name, short_name(name)}:
            text = re.sub(rf"\b{re.escape(written)}(?:['’]s)?", " ", text, flags=re.I)
    for word in {w for name in names for w in _distinctive(name)}:
        text = re.sub(rf"\b{re.escape(word)}(?:['’]s|s)?\b", " ", text, flags=re.I)
    return " ".join(text.split())


def _distinctive(name: str) -> list[str]:
    return [w for w in re.sub(r"[^a-z0-9' ]", " ", name.lower().replace("’", "'")).split()
            if w not in _GENERIC_BODY_WORDS and w not in STOPWORDS]


def _named(name: str, lowered_question: str, whole: bool = False) -> bool:
    """A body is named when its distinctive words appear ('the Executive', 'Harbourside', 'schools forum').
    `whole`: a name of one ordinary word and generic ones is named only in full, since "Harbourside
    schools" is not the Schools Forum nor "planning applications" the Planning Committee."""
    words = _distinctive(name)
    if whole and len(words) == 1 and len(name.split()) > 1:
        return f"{_lowered(name)} " in lowered_question
    if not words:  # a name made only of generic words: "Scrutiny Committee", "Parish Council"
        if name.lower().endswith("council"):
            return False  # "the parish council" names the council, of which every committee is part
        words = [w for w in name.lower().split() if w not in ("the", "and", "of")]
    return all(f" {w} " in lowered_question or f" {w}s " in lowered_question for w in words)
