"""The two real seed records parse to the metadata and passages the issue says they must show."""

from __future__ import annotations

import json

import pytest
from conftest import run_cli, seed

from assistant.parse import parse_file

BCP_COMMITTEE = "Children's Services Overview and Scrutiny Committee"
BCP_TITLE = "Improvement Journey – progress update"
BCP_RESOLVED = ("RESOLVED that the Committee note and scrutinised the performance documents and any points or "
                "suggestions provided be built into the next stage of the improvement journey.")
MIDDLESBROUGH_POINTS = (
    "1. That the progress made to improve outcomes for Middlesbrough’s vulnerable children",
    "2. That the effect of the work on showing ‘Middlesbrough Children that they Matter’ be noted.",
    "REASON",
    "To ensure that Members were fully briefed.",
)
MAX_PASSAGE_WORDS = 400


@pytest.fixture(scope="module")
def bcp():
    return parse_file(seed("000"))


@pytest.fixture(scope="module")
def middlesbrough():
    return parse_file(seed("004"))


def flat(text: str) -> str:
    return " ".join(text.split())


# ---- seed 000: BCP ModernGov export -------------------------------------------------------

@pytest.mark.parametrize("field, expected", [
    ("committee", BCP_COMMITTEE),
    ("date", "2021-06-08"),
    ("item", "11"),
    ("doc_type", "minutes"),
])
def test_moderngov_export_states_its_meeting(bcp, field, expected):
    record, _ = bcp
    assert getattr(record, field) == expected


def test_resolved_block_is_never_split(bcp):
    _, passages = bcp
    holding = [p for p in passages if "RESOLVED" in p.text]
    assert len(holding) == 1, [p.text[:80] for p in holding]
    assert BCP_RESOLVED in flat(holding[0].text)
    assert holding[0].is_decision is True


def test_only_the_decision_is_flagged_as_a_decision(bcp):
    _, passages = bcp
    assert [p.is_decision for p in passages].count(True) == 1
    assert all("RESOLVED" in p.text for p in passages if p.is_decision)


def test_pdf_icon_label_appears_in_no_passage(bcp):
    _, passages = bcp
    for p in passages:
        assert "pdf icon" not in p.text.lower() and "224 KB" not in p.text, p.text[:200]


def test_moderngov_page_labels_are_not_quoted(bcp):
    _, passages = bcp
    for p in passages:
        assert "Additional documents:" not in p.text and "Minutes:" not in p.text and "Issue - meetings" not in p.text


def test_item_passages_carry_the_item_title(bcp):
    _, passages = bcp
    titled = [p for p in passages if p.title == BCP_TITLE]
    assert titled, [p.title for p in passages]
    resolved = next(p for p in passages if p.is_decision)
    assert resolved.title == BCP_TITLE and resolved.heading == BCP_TITLE and resolved.item == "11"


def test_every_passage_of_the_moderngov_export_is_titled_with_its_item(bcp):
    _, passages = bcp
    assert [p.title for p in passages] == [BCP_TITLE] * len(passages), [(p.title, p.text[:60]) for p in passages]


def test_moderngov_bullets_are_kept_one_per_line(bcp):
    _, passages = bcp
    lines = [line for p in passages for line in p.text.split("\n")]
    assert "• BCP wide definition of exclusion" in lines
    assert "• Mosaic case management system; and" in lines


# ---- seed 004: Middlesbrough Executive minute, hard-wrapped ------------------------------

def test_ordered_block_keeps_both_points_and_reason_in_one_passage(middlesbrough):
    _, passages = middlesbrough
    holding = [p for p in passages if "ORDERED" in p.text]
    assert len(holding) == 1
    ordered = holding[0]
    assert ordered.is_decision is True
    text = flat(ordered.text)
    for part in MIDDLESBROUGH_POINTS:
        assert part in text, (part, ordered.text)
    assert text.index("ORDERED") < text.index("1. That") < text.index("2. That") < text.index("REASON")


def test_numbered_points_of_the_order_start_their_own_lines(middlesbrough):
    _, passages = middlesbrough
    lines = next(p for p in passages if p.is_decision).text.split("\n")
    assert any(line.startswith("1. That the progress made") for line in lines), lines
    assert any(line.startswith("2. That the effect of the work") for line in lines), lines


def test_every_middlesbrough_passage_is_under_item_109(middlesbrough):
    _, passages = middlesbrough
    assert {p.item for p in passages} == {"109"}
    assert {p.heading for p in passages} == {"Children's Services Improvement Programme: Update Report"}


def test_bullet_split_over_lines_is_one_bullet(middlesbrough):
    _, passages = middlesbrough
    lines = [line for p in passages for line in p.text.split("\n")]
    assert "• Children in Need of Protection" in lines
    assert "• Children in Need" in lines
    assert not any(line.strip() in ("·", "•", "Children", "in Need of Protection") for line in lines)


def test_hard_wrapped_lines_are_rejoined(middlesbrough):
    _, passages = middlesbrough
    lines = [line for p in passages for line in p.text.split("\n")]
    assert any("The Deputy Mayor and Executive Member for Children’s Services" in line for line in lines)
    assert any("Ofsted had carried out a Monitoring Visit to Children’s Services on 14 and 15 December 2021." in line
               for line in lines)


def test_meeting_date_is_not_guessed_from_a_date_in_the_text(middlesbrough):
    record, passages = middlesbrough
    assert record.date is None  # "14 and 15 December 2021" is the Ofsted visit, not the meeting
    assert {p.date for p in passages} == {None}


def test_unknown_middlesbrough_metadata_stays_unknown(middlesbrough):
    record, _ = middlesbrough
    assert record.council is None  # the file never names the council
    assert record.doc_type == "minutes"


# ---- both seeds --------------------------------------------------------------------------

@pytest.mark.parametrize("prefix", ["000", "004"])
def test_passage_ids_are_stable_across_parses(prefix):
    first = [p.passage_id for p in parse_file(seed(prefix))[1]]
    second = [p.passage_id for p in parse_file(seed(prefix))[1]]
    assert first == second
    assert len(set(first)) == len(first)


@pytest.mark.parametrize("prefix", ["000", "004"])
def test_passages_are_at_most_a_few_hundred_words(prefix):
    _, passages = parse_file(seed(prefix))
    sizes = [len(p.text.split()) for p in passages]
    assert max(sizes) <= MAX_PASSAGE_WORDS, sizes


@pytest.mark.parametrize("prefix", ["000", "004"])
def test_every_passage_carries_its_item_heading(prefix):
    _, passages = parse_file(seed(prefix))
    assert passages
    for p in passages:
        assert p.item and p.heading, (p.item, p.heading, p.text[:80])


@pytest.mark.parametrize("prefix, phrase", [
    ("000", "Mosaic case management system"),
    ("000", "improvement in staff moral to lead to greater stability, communication, and feedback."),
    ("000", "Two performance-related documents were attached to the Report"),
    ("004", "The March visit would focus on court work, permanence"),
    ("004", "by waiting an additional few months the Council could gain a higher Ofsted grading"),
    ("004", "The Executive could have chosen not to formally note the report"),
])
def test_no_words_of_the_minute_are_lost(prefix, phrase):
    _, passages = parse_file(seed(prefix))
    assert phrase in flat(" ".join(p.text for p in passages))


# ---- the CLI -----------------------------------------------------------------------------

def test_parse_cli_prints_the_bcp_record_and_passages_as_json():
    result = run_cli("parse", str(seed("000")), "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(out) == {"record", "passages"}
    record = out["record"]
    assert (record["committee"], record["date"], record["item"], record["doc_type"]) == (
        BCP_COMMITTEE, "2021-06-08", "11", "minutes")
    assert record["council"] is None
    decisions = [p for p in out["passages"] if p["is_decision"]]
    assert len(decisions) == 1 and BCP_RESOLVED in flat(decisions[0]["text"])
    assert decisions[0]["title"] == BCP_TITLE and decisions[0]["item"] == "11"
    assert decisions[0]["page"] is None
    assert not any("pdf icon" in p["text"].lower() for p in out["passages"])
    for p in out["passages"]:
        assert {"passage_id", "text", "source", "title", "council", "committee", "date", "item", "page",
                "doc_type", "is_decision"} <= set(p)


def test_parse_cli_leaves_the_middlesbrough_date_null():
    result = run_cli("parse", str(seed("004")), "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["record"]["date"] is None and out["record"]["council"] is None
    assert {p["item"] for p in out["passages"]} == {"109"}
    ordered = [p for p in out["passages"] if "ORDERED" in p["text"]]
    assert len(ordered) == 1 and ordered[0]["is_decision"] is True
    assert "2. That the effect of the work" in flat(ordered[0]["text"])


def test_bullets_run_into_one_line_are_separate_sentences():
    """Stoke Ferry's minutes run their points into one line ("… report it to Norfolk County Council. • It was agreed
    to hold the clean-up day…"): an answer quoted both points, bullet and all, as one sentence."""
    from assistant.text import spoken_sentences

    line = ("The brambles were encroaching onto the footpath, the Clerk agreed to report it to Norfolk County Council. "
            "• It was agreed to hold the clean-up day in the village on the 7th July.")
    assert [s for _, s in spoken_sentences(line)] == [
        "The brambles were encroaching onto the footpath, the Clerk agreed to report it to Norfolk County Council.",
        "It was agreed to hold the clean-up day in the village on the 7th July."]
