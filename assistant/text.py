"""Text helpers every stage shares: words and their forms, strict dates and years, sentences, speakers.

One notion of each, so that parsing, search, evidence and answers agree on what "the same word",
"a year" or "a sentence" is.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from datetime import date as Date
from functools import lru_cache

import snowballstemmer

from assistant.settings import SHORT_FORM, SHORT_FORM_TAIL

# ---- words -------------------------------------------------------------------------------------
STOPWORDS = frozenset("""a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from further had has have
having he her here hers him his how i if in into is it its itself just me more most my no nor not now of off on
once only or other our out over own same she should so some such than that the their them then there these they
this those through to too under until up very was we were what when where which while who whom why will with would
you your yes tell give show find said say please any anything ever onto upon within across among amongst toward
towards via""".split())
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’]*")
_INFLECTION = re.compile(r"(?:ies|ied|ying|es|ed|ing|e|s|y)$")


def keyword_terms(text: str) -> list[str]:
    """The searchable words of `text`, lower case, in order, each once: no stopwords, no possessive 's."""
    seen: dict[str, None] = {}
    for w in _WORD.findall(text.lower()):
        w = w.replace("’", "'").split("'")[0]
        if len(w) > 1 and w not in STOPWORDS:
            seen.setdefault(w, None)
    return list(seen)


def stem(word: str) -> str:
    """A crude shared stem for matching words across inflections ("monitoring" ~ "monitored")."""
    return word[:5]


def word_form(word: str) -> str:
    """A word less its inflection: 'exclusions', 'exclusion' → 'exclusion'; 'informal' stays apart from
    'information', which a stemmer joins."""
    return _INFLECTION.sub("", word) if len(word) > 4 else word


def close_form(word: str) -> str:
    """The start every close form of `word` shares: "complaint" → "complai" (complained, complaints),
    "rents" → "rent" (rent, rental), "supplier" → "suppli" (supplied, suppliers). A word counts as
    said when a word starting so is."""
    form = word_form(word)
    if len(form) < 4:
        return word  # "trying" → "tr" would be every word with those letters
    return form if len(form) <= 5 else form[:max(5, len(form) - 2)]


_STEMMERS = threading.local()  # a Snowball stemmer keeps state between calls: one per thread


@lru_cache(maxsize=65536)
def porter_stem(word: str) -> str:
    """`word` as the keyword index stems it (the Porter algorithm of FTS5's tokenizer): "electronically" and
    "electronic" are both "electron"; "permission" is "permiss", apart from "permits"."""
    if not hasattr(_STEMMERS, "porter"):
        _STEMMERS.porter = snowballstemmer.stemmer("porter")
    return _STEMMERS.porter.stemWord(word)


def says(words: set[str], word: str) -> bool:
    """Does a text whose words are `words` say `word`: the word itself, one the keyword index takes for it
    (the same Porter stem), or a close form: one that starts as its close forms do and, when that start
    is short, ends soon after ("hump" is said by "humps", not by "Humphries")."""
    if word in words:
        return True
    start, stem = close_form(word), porter_stem(word)
    return any((w.startswith(start) and (len(start) > SHORT_FORM or len(w) - len(start) <= SHORT_FORM_TAIL))
               or porter_stem(w) == stem for w in words)


# ---- dates and years ---------------------------------------------------------------------------
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")
MONTHS = "|".join(MONTH_NAMES)
# "Feb.", "Sept", "JUNE": what minutes write for a month
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?\.?"
_DAY_MONTH_YEAR = re.compile(rf"\b({_DAY})(?:\s+of)?\s+({_MONTH}),?\s+((?:19|20)\d\d)\b", re.I)
_MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH})\s+({_DAY}),?\s+((?:19|20)\d\d)\b", re.I)
_NUMERIC = re.compile(r"(?<![\d/.])([0-3]?\d)([/.])([01]?\d)\2((?:19|20)?\d\d)(?![\d/]|\.\d)")
YEAR = re.compile(r"\b(19[89]\d|20[0-4]\d)\b")
FINANCIAL_YEAR = re.compile(r"\b(20\d\d)(?:/(\d\d))?\b")  # "2022/23" or a plain year
FULL_DATE = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?(?:\s+(?:and|to|-|–)\s+\d{{1,2}}(?:st|nd|rd|th)?)?\s+(?:{MONTHS})\s+\d{{4}}")
MONTH_DATE = re.compile(rf"\b(?:{MONTHS})\s+\d{{4}}\b")  # also matches the tail of a full date
# a date as minutes write one to come, often without its year: "on Wednesday 14th October at 7 pm", "June 3rd"
WHEN_DATE = re.compile(rf"\b(?:(?:{MONTHS})\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})|(?:{MONTHS})\s+\d{{1,2}}"
                       rf"(?:st|nd|rd|th)?)\b")


_FINANCIAL_YEAR_WRITTEN = re.compile(r"\b(20\d\d) ?[/-] ?(?:20)?(\d\d)\b")  # 2022/23, 2022-23, 2022/2023


def financial_years(text: str) -> set[int]:
    """The financial years `text` names, by the calendar year they start in: "2022/23", "2022-2023" → {2022}."""
    return {int(m[1]) for m in _FINANCIAL_YEAR_WRITTEN.finditer(text) if int(m[2]) == (int(m[1]) + 1) % 100}


def months_named(text: str) -> list[str]:
    """The months `text` names with their year, as ISO "YYYY-MM": "in November 2020" → ["2020-11"]."""
    named = (m.group(0).split() for m in MONTH_DATE.finditer(text))
    return sorted({f"{year}-{_month_number(month):02d}" for month, *_, year in named})


def _month_number(word: str) -> int | None:
    word = word.rstrip(".").lower()[:3]
    return next((n for n, name in enumerate(MONTH_NAMES, 1) if name.lower().startswith(word)), None)


def _valid(year: int, month: int | None, day: int) -> str | None:
    try:
        return Date(year, month, day).isoformat() if month else None
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[int, str]]:
    """The calendar dates written in `text` as (offset, ISO date), in order: "Wednesday 8th April 2015",
    "15th Feb. 2013", "July 6TH 2015", "13/05/15", "07.11.16" (day first, as UK minutes write them).
    Strict: a day, a month and a year must all be there and make a real date."""
    found: list[tuple[int, str]] = []
    for m in _DAY_MONTH_YEAR.finditer(text):
        if iso := _valid(int(m[3]), _month_number(m[2]), int(re.sub(r"\D", "", m[1]))):
            found.append((m.start(), iso))
    for m in _MONTH_DAY_YEAR.finditer(text):
        if iso := _valid(int(m[3]), _month_number(m[1]), int(re.sub(r"\D", "", m[2]))):
            found.append((m.start(), iso))
    for m in _NUMERIC.finditer(text):
        year = int(m[4]) if len(m[4]) == 4 else 2000 + int(m[4])
        if iso := _valid(year, int(m[3]), int(m[1])):
            found.append((m.start(), iso))
    return sorted(set(found))


# a month's name or abbreviation as a whole word ("2 Marshall Road" names no month)
_MONTH_WORD = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
               r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b\.?")
_DAY_MONTH = re.compile(rf"\b({_DAY})(?:\s+of)?\s+({_MONTH_WORD})(?!,?\s+(?:19|20)\d\d\b)", re.I)


def yearless_dates(text: str, latest: str) -> list[tuple[int, str]]:
    """The dates `text` writes as a day and a month only ("Meeting 1st November 19:00"), each in the year that
    puts it on or before `latest` (ISO: the day the record was published), as (offset, ISO date)."""
    found = []
    for m in _DAY_MONTH.finditer(text):
        month, day, year = _month_number(m[2]), int(re.sub(r"\D", "", m[1])), int(latest[:4])
        iso = _valid(year, month, day)
        if iso and iso > latest:
            iso = _valid(year - 1, month, day)
        if iso:
            found.append((m.start(), iso))
    return found


def strict_date(text: str) -> str | None:
    """`text` as an ISO date when the whole of it is one date (YYYY-MM-DD, or as minutes write one); else None."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return _valid(int(text[:4]), int(text[5:7]), int(text[8:]))
    dates = find_dates(text)
    return dates[0][1] if len(dates) == 1 else None


# ---- sentences and speakers --------------------------------------------------------------------
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"‘(])")
SPEAKER_TURN = re.compile(r"^(?:[A-Z][\w.'’\-]*\.?)(?: [\w.'’\-()]+){0,8}: \S")  # "Hon. Bill Morneau: ..."


# a full stop that ends a title or an initial ("Mrs. O'Grady", "C.G.M. Ltd", "G. Clere") does not end a sentence
_ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Cllr|Cllrs|Messrs|Hon|Rt|Rev|Revd|Prof|St|No|Nos|Eng|Co)|\b[A-Z])\.$")


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, in order: cut after a full stop, question or exclamation mark followed by a
    capital, but not after a title or an initial."""
    out: list[str] = []
    for piece in _SENTENCE_END.split(text):
        if not piece.strip():
            continue
        if out and _ABBREVIATION.search(out[-1]):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def speaker(line: str) -> str | None:
    """The speaker label of a transcript line ("Hon. Bill Morneau: …" → "Hon. Bill Morneau"), else None."""
    name, sep, _ = line.partition(":")
    return name.strip() if sep and len(name) <= 80 else None


_CAPITALISED_WORD = re.compile(r"\b[A-Z][\w'’-]{2,}")
# capitalised words in speaker labels and questions that are not anyone's name
NOT_A_NAME = set("""the what who when where why how did does was were has have summarize summarise hon minister mrs
prime secretary government opposition first deputy cabinet committee chair chairman chairwoman acting speaker members
member right honourable resolved ordered agreed decision decided present apologies attendance officers councillors
schools""".split())


def speaker_names(label: str, not_names: set[str] = NOT_A_NAME) -> set[str]:
    """The words of a speaker label that name the person: 'Hon. Navdeep Bains (Mississauga, Lib.)' →
    {'Navdeep', 'Bains'}; 'The Chair (Ms Karen Vecchio)' → {'Karen', 'Vecchio'}; 'The Chair' → nothing."""
    def names(text: str) -> set[str]:
        """The capitalised words of `text` (three letters or more) that are not in `not_names`."""
        return {w for w in _CAPITALISED_WORD.findall(text) if w.lower() not in not_names}
    return names(re.sub(r"\(.*?\)", " ", label)) or names(label)


def folded(text: str) -> str:
    """`text` in lower case without accents, so 'Siân' and 'Sian' read alike."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


INLINE_BULLET = re.compile(r"\s+[•▪]\s+")  # a bullet run into a line: "… report it. • It was agreed to hold…"


def spoken_sentences(text: str) -> list[tuple[str | None, str]]:
    """The sentences of a passage an answer may quote (four words or more), each with the speaker whose turn
    it is in ("Hon. Navdeep Bains: …"), None in minutes; a passage with none is one sentence. Read once at
    ingest and kept with the passage."""
    out: list[tuple[str | None, str]] = []
    for line in text.split("\n"):
        said_by = line.partition(":")[0] if SPEAKER_TURN.match(line) else None
        for point in INLINE_BULLET.split(line):
            out.extend((said_by, s.strip()) for s in split_sentences(point.lstrip("• ").strip()) if len(s.split()) >= 4)
    return out or [(None, " ".join(text.split()))]
