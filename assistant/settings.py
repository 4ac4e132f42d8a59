"""Every tuned number that carries answer quality or speed, in one table: its value, the stage that uses it,
what it does, and the development sets it was chosen on.

The stages import their numbers from here. `python -m assistant settings` prints the table (Markdown with
`--markdown`), and the README's table of tuned numbers is that output: tests/test_settings.py keeps the two
the same and fails when a stage defines a tuned number of its own. To re-tune one, change it here and run
`bench/dev_sets.py` (every development set), and say in the commit what moved.
"""

from __future__ import annotations

from dataclasses import dataclass

ALL = "parish-dev, QMSum train and val, demo, seeds"


@dataclass(frozen=True)
class Setting:
    """One tuned number: name, value, the stage (module) that uses it, what it does, and the sets it was chosen on."""

    name: str
    value: float | int
    stage: str  # the module that uses it
    does: str
    chosen_on: str


TABLE: list[Setting] = []


def _tuned(name: str, value, stage: str, does: str, chosen_on: str):
    TABLE.append(Setting(name, value, stage, does, chosen_on))
    return value


# ---- reading records (cleanup, metadata, chunking, transcripts) ------------------------------------------------
NUMBER_JUMP = _tuned("NUMBER_JUMP", 2, "cleanup", "how far a minute number may skip (an item withdrawn) and still continue "
                     "the numbering", "parish-dev")
HEAD_BLOCKS = _tuned("HEAD_BLOCKS", 15, "metadata", "the first blocks of a record, where its heading, title and "
                     "attendance are", "parish-dev, demo, seeds")
HEAD_CHARS = _tuned("HEAD_CHARS", 2500, "metadata", "the first characters of a record, when it is one long block",
                    "parish-dev, demo, seeds")
MEETING_CUE_REACH = _tuned("MEETING_CUE_REACH", 120, "metadata", "a date this close after 'held', 'meeting of', "
                           "'minutes', 'date' is the meeting's", "parish-dev, demo, seeds")
HEADING_LINE = _tuned("HEADING_LINE", 100, "metadata", "a date on a line this short ('Cabinet – 9 November 2022') is "
                      "a heading's", "parish-dev, demo")
OPENING_CHARS = _tuned("OPENING_CHARS", 300, "metadata", "a date this early in a record (its title and heading lines) "
                       "is the meeting's", "parish-dev, demo")
SAME_NAME_RATIO = _tuned("SAME_NAME_RATIO", 0.8, "metadata", "a council misspelt in a web title ('Stoke Fery') is the "
                         "one its text names when this alike", "parish-dev")
TARGET_WORDS = _tuned("TARGET_WORDS", 170, "chunking", "how much a passage of minutes packs: a few paragraphs, inside "
                      "MiniLM's 256-token window with its heading", "demo, QMSum val")
MAX_WORDS = _tuned("MAX_WORDS", 200, "chunking", "how far a bullet list may run on past TARGET_WORDS", "demo")
MAX_CHARS = _tuned("MAX_CHARS", 1200, "chunking", "longest passage: a person checks it at a glance; a longer item "
                   "is cut at sentence ends", "issue 16")
HARD_MAX_CHARS = _tuned("HARD_MAX_CHARS", 2000, "chunking", "longest decision block or transcript exchange", "issue 16")
HEADING_LINE_CHARS = _tuned("HEADING_LINE_CHARS", 150, "chunking", "a line of a record's heading, which its roll call "
                            "may join", "parish-dev, demo")
RECORD_HEADING_CHARS = _tuned("RECORD_HEADING_CHARS", 400, "chunking", "a record's first passage this short that says "
                              "'Minutes of the … meeting held …' is its heading, procedural like a roll call",
                              "parish-fresh")
HEADING_WORDS = _tuned("HEADING_WORDS", 40, "chunking", "a record's heading is this short: a run of short sentences "
                       "under a title is an item", "parish-dev, demo, seeds")
BALANCE_SLACK = _tuned("BALANCE_SLACK", 200, "chunking", "room given when a long decision is cut into even pieces",
                       "demo")
TITLE_WORDS = _tuned("TITLE_WORDS", 8, "chunking", "longest item title run into its text ('5. Co-option to fill "
                     "remaining vacancies …')", "parish-dev")
TRANSCRIPT_WORDS = _tuned("TRANSCRIPT_WORDS", 160, "transcripts", "how much a transcript exchange packs", "QMSum val "
                          "and train")
LONG_TURN_WORDS = _tuned("LONG_TURN_WORDS", 200, "transcripts", "a turn longer than this is cut at sentence ends",
                         "QMSum val")
TURN_PIECE_WORDS = _tuned("TURN_PIECE_WORDS", 340, "transcripts", "the pieces of a long turn", "QMSum val")
HANDOVER_WORDS = _tuned("HANDOVER_WORDS", 20, "transcripts", "a turn gives the floor when it names the next speaker "
                        "in its last words", "QMSum train and val")

# ---- search (retrieve, store) ------------------------------------------------------------------------------------
CANDIDATES = _tuned("CANDIDATES", 40, "retrieve", "passages each half of the search returns for fusion", "demo, "
                    "QMSum val")
DENSE_WEIGHT = _tuned("DENSE_WEIGHT", 0.3, "retrieve", "weight of the vector half's standard scores (MiniLM is the "
                      "weaker half on every set, most of all on transcripts)", "demo, QMSum val and train")
KEYWORD_WEIGHT = _tuned("KEYWORD_WEIGHT", 0.7, "retrieve", "weight of the keyword half's standard scores",
                        "demo, QMSum val and train")
SCORE_UNIT = _tuned("SCORE_UNIT", 0.002, "retrieve", "a fused standard score, in the units the boosts are written in",
                    "demo")
BODY_BOOST = _tuned("BODY_BOOST", 0.012, "retrieve", "a passage of a committee named, or of one of several councils "
                    "named (one council named is the scope instead)", "demo")
YEAR_BOOST = _tuned("YEAR_BOOST", 0.010, "retrieve", "a meeting held in the year asked about", "demo")
DECISION_BOOST = _tuned("DECISION_BOOST", 0.004, "retrieve", "a decision, for a question about one", "demo")
WHEN_BOOST = _tuned("WHEN_BOOST", 0.004, "retrieve", "a passage stating a month and year, for a 'when' question",
                    "demo")
WORD_FORM_BOOST = _tuned("WORD_FORM_BOOST", 0.001, "retrieve", "a passage holding the question's longer words in the "
                         "same form (FTS5's stemmer files 'informal' with 'information')", "demo, QMSum val")
WORD_FORM_LENGTH = _tuned("WORD_FORM_LENGTH", 6, "retrieve", "shorter words are rarely conflated by the stemmer",
                          "demo")
RECENCY_START = _tuned("RECENCY_START", 2015, "retrieve", "'latest' questions: a meeting's boost grows by a tenth of "
                       "YEAR_BOOST a year from here ('first considered': shrinks as much)", "demo")
LEAD_IN_WEIGHT = _tuned("LEAD_IN_WEIGHT", 0.5, "retrieve", "the exchange before a transcript candidate gets this share "
                        "of how far the candidate scores above the weakest: the turn that raises a topic leads",
                        "QMSum train and val (0.45-0.5 with LEAD_IN_DECAY 0.5-0.65: train Recall@5 0.743-0.750)")
LEAD_IN_DECAY = _tuned("LEAD_IN_DECAY", 0.6, "retrieve", "…times this for each further step back, summed over the "
                       "candidates after it: a discussion runs over several exchanges", "QMSum train and val")
LEAD_IN_REACH = _tuned("LEAD_IN_REACH", 8, "retrieve", "how many exchanges before a candidate are lifted so",
                       "QMSum train and val")
OVERFETCH_LIMIT = _tuned("OVERFETCH_LIMIT", 1000, "retrieve", "a filtered vector search fetches unfiltered "
                         "neighbours up to this many, else searches the filter's ids (at 100k passages both cost "
                         "about 15 ms)", "bench/query_speed.py, bench/query_latency.py")
FETCH_MARGIN = _tuned("FETCH_MARGIN", 3.0, "retrieve", "a filtered vector search fetches this many times the "
                      "neighbours the filter's share of the archive needs: too few pass, and a second search of the "
                      "filter's ids costs as much again", "bench/query_latency.py")
COMMON_SHARE = _tuned("COMMON_SHARE", 0.2, "store", "a word in more passages than this share is left out of the "
                      "keyword match while rarer ones remain", "bench/query_speed.py, demo")
CLOSED_COMPOUND_SHARE = _tuned("CLOSED_COMPOUND_SHARE", 0.25, "store", "two question words written as one "
                               "('street lights': 'streetlights') are searched for too when the archive writes them "
                               "closed at least this often for each time open", "parish-dev, QMSum val")
MAX_SCORED = _tuned("MAX_SCORED", 8000, "store", "the rarest words whose passages add up to this many pick the "
                    "keyword candidates (bounds a search at 100k passages)", "bench/query_latency.py; no dev-set "
                    "question reaches it")
IDS_HELD = _tuned("IDS_HELD", 200_000, "store", "passage ids the recent filters' id lists may hold together "
                  "(about 20 MB), kept until the index changes: a list costs 5-30 ms to read at 100k passages",
                  "bench/query_latency.py")
SHARES_KEPT = _tuned("SHARES_KEPT", 1024, "store", "filters whose share of the archive is remembered until the index "
                     "changes (a count costs 2-10 ms at 100k passages)", "bench/query_latency.py")

# ---- when to say the records are silent (evidence) -------------------------------------------------------------
# At 0.30 MIN_SIMILARITY refused Little Marston's precept (0.296); no unanswerable question of parish-dev, demo or
# seeds is refused by it alone. At 0.34 ANSWER_MISSING_WEIGHT refuses every unanswerable question that reaches it
# but one (kingsmere-17, 0.24), and no answer citing a right passage (the highest is 0.338). At SAME_MEANING 0.65
# (thefts ~ stolen 0.69) "parking" and "youth shelter" were taken as said by passages about other things.
MIN_SIMILARITY = _tuned("MIN_SIMILARITY", 0.25, "evidence", "nothing retrieved this close to the question (cosine): "
                        "say so", "parish-dev, demo, seeds")
MISSING_WEIGHT = _tuned("MISSING_WEIGHT", 0.06, "evidence", "a topic word no passage in scope says moves the question "
                        "this far: say so", "demo")
ANSWER_MISSING_WEIGHT = _tuned("ANSWER_MISSING_WEIGHT", 0.34, "evidence", "the topic words the cited passages do not "
                               "say, taken out at once, move the topic this far: say so", "parish-dev, demo, seeds")
SHORT_FORM = _tuned("SHORT_FORM", 5, "text", "a close form this short ('hump', 'rent') starts many unrelated words, so "
                    "a word it starts says it only when it runs on SHORT_FORM_TAIL letters at most", "parish-extra")
SHORT_FORM_TAIL = _tuned("SHORT_FORM_TAIL", 4, "text", "'rental' says 'rent'; 'Humphries' does not say 'humps', nor "
                         "'inscription' 'ins'", "parish-dev, parish-extra")
SAME_MEANING = _tuned("SAME_MEANING", 0.75, "evidence", "a cited word this close in meaning says the question's word "
                      "(MiniLM, one word each: cars ~ vehicles 0.88)", "parish-dev, demo, seeds")

# ---- composing answers (answer, engine) --------------------------------------------------------------------------
SIMILARITY_WEIGHT = _tuned("SIMILARITY_WEIGHT", 2.0, "answer", "a sentence's MiniLM similarity to the question, "
                           "beside the share of the question's words it holds", "demo, QMSum val and train")
RANK_PRIOR = _tuned("RANK_PRIOR", 0.1, "answer", "a sentence of a better-ranked passage (divided by its rank)",
                    f"demo, QMSum val; 0.3 and 0.6 lowered precision on {ALL}")
TRANSCRIPT_RANK_PRIOR = _tuned("TRANSCRIPT_RANK_PRIOR", 0.3, "answer", "RANK_PRIOR for a sentence of a transcript "
                               "exchange: a conversation's best-ranked exchange holds the answer more often than "
                               "one sentence of another matches better", "QMSum train and val (0.2: val precision 0.617; 0.5: "
                               "0.552; minutes, demo and seeds have no transcripts)")
CONTEXT_WEIGHT = _tuned("CONTEXT_WEIGHT", 0.3, "answer", "a sentence is read with the one before it ('He attributed "
                        "the change to…')", "QMSum val and train, demo")
SHORTLIST = _tuned("SHORTLIST", 12, "answer", "the lexically best sentences that are encoded for similarity",
                   "demo (speed)")
SECOND_SENTENCE_MARGIN = _tuned("SECOND_SENTENCE_MARGIN", 0.25, "answer", "a passage's second sentence joins the "
                                "answer when this close to its best", "demo")
LIST_CHARACTERS = _tuned("LIST_CHARACTERS", 600, "answer", "a sentence ending in a colon ('The Chair summarised the "
                         "discussion as follows:') is quoted with the list after it, this long at most", "readability "
                         "(the seeds' lists)")
HEADING_PENALTY = _tuned("HEADING_PENALTY", 0.5, "answer", "a heading line, an item's purpose or a question asked in "
                         "the meeting rarely answers anything", "demo")
DATE_BONUS = _tuned("DATE_BONUS", 0.6, "answer", "'when' wants a date, a month at least", "demo")
AMOUNT_BONUS = _tuned("AMOUNT_BONUS", 0.6, "answer", "'how much' wants a figure (a date or year is not one)",
                      "parish-extra (no answer of parish-dev, QMSum, demo or seeds moved)")
OUTCOME_BONUS = _tuned("OUTCOME_BONUS", 0.6, "answer", "a decision question wants the sentence saying what the "
                       "meeting decided ('it was agreed to…', '…was carried') when no decision block leads",
                       "parish-dev (0.3 left pdev-07 unchanged), parish-extra; QMSum, demo, seeds level")
NAME_BONUS = _tuned("NAME_BONUS", 0.6, "answer", "'who' wants one or two people the question does not name",
                    "demo")
APPOINTMENT_BONUS = _tuned("APPOINTMENT_BONUS", 0.5, "answer", "'who took over as clerk': the sentence that appoints "
                           "someone", "demo")
SPEAKER_BONUS = _tuned("SPEAKER_BONUS", 0.5, "answer", "a transcript question naming a speaker: that speaker's turns",
                       "QMSum val")
OTHER_SPEAKER_PENALTY = _tuned("OTHER_SPEAKER_PENALTY", 0.5, "answer", "…and not another speaker's", "QMSum val")
REASON_BONUS = _tuned("REASON_BONUS", 0.3, "answer", "'why…?': a sentence that gives a reason", "demo")
OUTCOME_MARGIN = _tuned("OUTCOME_MARGIN", 0.4, "answer", "what the meeting decided about the matter joins the answer's "
                        "best sentence when this close to it", "parish-dev, parish-fresh (0.3: precision 0.911 and 0.811; 0.6: "
                        "parish-dev precision 0.900); parish-extra, QMSum, demo, seeds level")
REASON_MARGIN = _tuned("REASON_MARGIN", 1.0, "answer", "a reason given for the topic leads when this close to the best "
                       "sentence", "demo, QMSum train")
AHEAD_BONUS = _tuned("AHEAD_BONUS", 0.5, "answer", "'when are the next visits planned': a sentence about what is to "
                     "come", "demo, seeds")
YEAR_BONUS = _tuned("YEAR_BONUS", 0.3, "answer", "a sentence from a meeting of the year asked about", "parish-dev")
FIGURE_BONUS = _tuned("FIGURE_BONUS", 0.3, "answer", "a timeline line that states a figure", "demo")
ELSEWHEN_PENALTY = _tuned("ELSEWHEN_PENALTY", 0.5, "answer", "a timeline line speaking of another time than its "
                          "meeting's ('At that time the rate was 34%')", "demo")
TIMELINE_COVERAGE = _tuned("TIMELINE_COVERAGE", 0.5, "answer", "a meeting joins a timeline (and a decision is quoted) "
                           "when its line holds this share of the topic words", "demo, parish-dev")
SUPPORT_THRESHOLD = _tuned("SUPPORT_THRESHOLD", 0.6, "answer", "an answer line is shown only when its cited passages "
                           "hold this share of its words", "demo")
COMPARED_COUNCILS = _tuned("COMPARED_COUNCILS", 5, "engine", "'which councils…' looks at the councils with the best "
                           "passages, at most this many", "demo")
COMPARED_SIMILARITY = _tuned("COMPARED_SIMILARITY", 0.5, "engine", "a council joins a comparison when one of its "
                             "passages is this close (its relevant ones score 0.59-0.73, unrelated 0.30-0.45)", "demo")
MATCH_COVERAGE = _tuned("MATCH_COVERAGE", 0.5, "engine", "Passages mode lists a passage holding this share of its side "
                        "of the query…", "demo")
PASSAGE_LIMIT = _tuned("PASSAGE_LIMIT", 50, "engine", "Passages mode lists at most this many", "the chat's design "
                       "(ten to a page, five pages)")
MATCH_SIMILARITY = _tuned("MATCH_SIMILARITY", 0.55, "engine", "…or this close to it (cosine)", "demo")


def markdown() -> str:
    """The table as the README shows it."""
    rows = ["| name | value | stage | what it does | chosen on |", "|---|---:|---|---|---|"]
    rows += [f"| `{s.name}` | {s.value} | `{s.stage}.py` | {s.does} | {s.chosen_on} |" for s in TABLE]
    return "\n".join(rows)
