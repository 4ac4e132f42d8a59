"""Real council minutes, as councils write them: headings run into the text, minute numbers in many
forms, one long block, the council named only in a heading. Each test is a complaint from trying the
assistant on real parish minutes (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import engine_over


def parse(tmp_path: Path, text: str, name: str = "minutes.txt"):
    from assistant.parse import parse_file

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_file(path)


STOKE = """STOKE FERRY PARISH COUNCIL
Minutes of the meeting held on 14th December, 2016 at 7.30pm in the Village Hall

Present: Cllr S Lintern (Chair), Cllr J McNeill, Cllr D Clements and 4 members of the public.

1. Apologies for absence
Apologies were received from Cllr Mann.

2. Declarations of interest
There were none.

3. Minutes of the last meeting
The minutes of the meeting held on 9 November 2016 were agreed as a true record and signed.

4. Village hall car park
The Clerk reported that two quotes had been received for resurfacing the car park. It was agreed to accept
the quote from Fenland Surfacing Ltd for £4,200 and to ask the contractor to start in the spring.

5. Date of next meeting
The next meeting will be held on 11 January 2017.
"""


def test_council_and_meeting_date_come_from_the_heading(tmp_path):
    record, _ = parse(tmp_path, STOKE)
    assert (record.council, record.date) == ("Stoke Ferry Parish Council", "2016-12-14")


def test_the_heading_date_wins_over_the_last_meetings_minutes_held_on(tmp_path):
    """Northwold, July 2017: the heading says "Ordinary Meeting Tuesday 4th July 2017" and item 3 approves "the
    minutes of the meeting held 6th June 2017"; the record was dated 6 June, so a question about the July
    meeting could not find it."""
    record, _ = parse(tmp_path, "Northwold Parish Council - July\nPublished: 2017-09-05\n\n"
                                "Northwold and Whittington Parish Council – Ordinary Meeting Tuesday 4th July 2017, 7.30pm "
                                "Northwold Village Hall\n\nPRESENT: Cllr R. Crisp (Chairman), Cllr C. Anderson.\n\n"
                                "1. Apologies\nCllr Muir.\n\n"
                                "3. TO APPROVE AND SIGN THE MINUTES OF THE MEETING held 6th June 2017\n"
                                "The minutes were signed.\n\n4. Playing field\nThe new goal posts have been installed.\n")
    assert record.date == "2017-07-04"


def test_a_day_and_month_in_the_heading_take_the_year_the_record_was_published(tmp_path):
    """Boughton, published 19 December 2013, opens "Meeting 1st November 19:00" and approves "AGM Minutes May 3rd
    2013" in an item; it was dated 3 May 2013, the AGM whose minutes it approves."""
    record, _ = parse(tmp_path, "Boughton Parish Council Meeting - December\nPublished: 2013-12-19\n\n"
                                "Boughton Parish Council. Meeting 1st November 19:00 Councillors are summoned to a meeting "
                                "for the purposes of transacting the following business.\n\n1. Apologies\n\n"
                                "2. Minutes meeting 2nd August\n\ni. AGM Minutes May 3rd 2013\n\n"
                                "3. Precept\nAll agreed to set the precept at £1,350.\n")
    assert record.date == "2013-11-01"


def test_the_council_meeting_itself_is_not_taken_for_a_committee(tmp_path):
    record, _ = parse(tmp_path, "Minutes of the Wereham Parish Council Meeting held on 14 January 2003\n\n"
                                "Present: Mr Markwell, Mrs Willis.\n\nThe Clerk reported on the bus shelter.\n")
    assert record.committee is None and record.council == "Wereham Parish Council"


def test_a_misspelt_web_title_gives_way_to_the_council_the_minutes_name(tmp_path):
    record, _ = parse(tmp_path, "Stoke Fery parish Council June\nPublished: 2011-08-01\n\n"
                                "Minutes of Stoke Ferry Parish Council Meeting held in The Community Centre\n\n"
                                "At 7.30pm on Wednesday 22 June 2011\n\nThose Attending: Cllr Leamon, Cllr Ryves\n\n"
                                "1. Election of Chairman\nThe Clerk asked for nominations for the post of Chairman.\n")
    assert (record.council, record.date) == ("Stoke Ferry Parish Council", "2011-06-22")


def test_a_parish_council_written_pc_is_named_in_full(tmp_path):
    record, _ = parse(tmp_path, "Minutes of the September meeting of W Derham PC\n\nHeld on 18 September 2008.\n\n"
                                "Present: five councillors.\n\nThe footpath by the church was discussed at length.\n")
    assert record.council == "W Derham Parish Council"


def test_the_published_date_is_only_a_fallback(tmp_path):
    dated, _ = parse(tmp_path, "Wretton Parish Council\nPublished: 2021-01-20\n\nMINUTES OF WRETTON PARISH COUNCIL "
                               "MEETING HELD ON AUGUST 24TH 2020 Present: Cllr Llewellyn.\n", "a.txt")
    undated, _ = parse(tmp_path, "Wretton Parish Council\nPublished: 2021-01-20\n\nPresent: Cllr Llewellyn. "
                                 "The play area fence was discussed.\n", "b.txt")
    assert (dated.date, undated.date) == ("2020-08-24", "2021-01-20")


def test_the_last_meetings_date_is_not_this_meetings(tmp_path):
    record, _ = parse(tmp_path, "Northwold Parish Council\n\n1. Apologies were received from Cllr Crisp.\n\n"
                                "2. The minutes of the meeting held on 13/05/15 were agreed as a true record.\n\n"
                                "3. The verges on the High Street need cutting back.\n")
    assert record.date is None


LONG_BLOCK = ("WRETTON PARISH COUNCIL Minutes of the meeting held on 6 July 2015 Present: Cllr Llewellyn (Chairman), "
              "Cllr Peake, 3 members of the public 1. Apologies for Absence Cllr Mack 2. No Declarations of Interest made "
              "3. The Minutes of the meeting held on 13/05/15 were agreed as a true record. 4. Matters Arising The "
              "Highway Engineer has responded about the signs on Wretton Row, which cost £118.44 to replace on 4 May "
              "this year. 5. Play Area The Chairman reported that the play area fencing is deteriorating and needs "
              "replacing; quotes will be sought. 5.1 Fencing quotes Two firms will be asked to quote. 6. Correspondence "
              "A letter about the phone box was noted.")


def test_minute_numbers_run_into_one_block_start_items(tmp_path):
    _, passages = parse(tmp_path, LONG_BLOCK)
    assert [p.item for p in passages if p.item] == ["1", "2", "3", "4", "5", "5.1", "6"]


def test_prices_and_dates_inside_an_item_are_not_minute_numbers(tmp_path):
    _, passages = parse(tmp_path, LONG_BLOCK)
    matters = next(p for p in passages if p.item == "4")
    assert "£118.44 to replace on 4 May this year." in matters.text


def test_a_sub_item_carries_its_parents_title(tmp_path):
    _, passages = parse(tmp_path, LONG_BLOCK)
    assert next(p for p in passages if p.item == "5.1").heading.startswith("Play Area")


@pytest.mark.parametrize("first, second", [("94/19", "95/19"), ("128/20", "129/20"), ("7.3.2", "7.3.3"),
                                           ("Item 5", "Item 6"), ("Minute 45", "Minute 46"), ("15/11/1", "15/11/2"),
                                           ("PC20/13", "PC20/14"), ("FC/21/07", "FC/21/08")])
def test_minute_numbers_in_the_forms_councils_use(tmp_path, first, second):
    text = (f"Boughton Parish Council\n\nMinutes of the meeting held on 3 March 2014\n\n{first} Village Pond The "
            f"water quality was discussed and a survey agreed. {second} Verge Cutting The verges on the A134 are to "
            "be cut in May.")
    _, passages = parse(tmp_path, text)
    assert [p.item for p in passages if p.item] == [first.split()[-1], second.split()[-1]]


def test_no_passage_is_longer_than_a_person_checks(tmp_path):
    sentences = " ".join(f"Councillor {n} said the drainage on Lime Kiln Road had been reported again." for n in range(400))
    _, passages = parse(tmp_path, f"West Dereham Parish Council\n\n7. Drainage {sentences}\n")
    assert len(passages) > 10 and max(len(p.text) for p in passages) <= 1200
    assert all(p.item == "7" and p.heading == "Drainage" for p in passages)


def test_procedural_items_are_flagged_and_substance_is_not(tmp_path):
    _, passages = parse(tmp_path, STOKE)
    flagged = {p.item: p.is_procedural for p in passages if p.item}
    assert flagged == {"1": True, "2": True, "3": True, "4": False, "5": True}


def test_an_election_told_in_short_sentences_is_not_made_procedural_by_the_minutes_after_it(tmp_path):
    """Stoke Ferry, April 2005: who became chairman was ranked after every substantive passage, because the
    approval of the last minutes joined the election's short lines as if they were the record's heading."""
    _, passages = parse(tmp_path, "Minutes of Stoke Ferry Parish Council Meeting held on Wednesday 20th April 2005\n\n"
                                  "Those attending Mr M Mycock (Chairman), Mr B Harrison, Mrs T Mann\n\n"
                                  "No Apologies for absence\n\nElection of Officers\n\n"
                                  "Mr Mycock stated that he did not wish to stand for election for the office of chairman.\n\n"
                                  "Mrs Mann proposed Mr White but Mr White declined due to pressure of other commitments\n\n"
                                  "Mr Stocking proposed Mr Randall for the office of chairman, seconded by Mrs Mann.\n\n"
                                  "Minutes of the last meeting. Mr Evans proposed that the minutes be adopted.\n\n"
                                  "Playing field\n\nThe new swings were installed in March and are well used by the children.\n")
    election = next(p for p in passages if "Mr Stocking proposed Mr Randall" in p.text)
    assert not election.is_procedural
    assert "minutes be adopted" not in election.text


def test_an_item_numbered_like_the_one_before_it_is_still_an_item(tmp_path):
    """Wereham, September 2006: "3. Minutes: …" then "3. Matters Arising: …" (a slip in the numbering); the gas
    tank fencing quotes under Matters Arising were filed under "Minutes" and ranked as procedural."""
    _, passages = parse(tmp_path, "Minutes of the Wereham Parish Council meeting held on Tuesday 12th September 2006\n\n"
                                  "1. Present: R. Lankfer - Chairman, P. Markwell, C. Humphries.\n\n2. Apologies: G. Gott\n\n"
                                  "3. Minutes: D. Pickston proposed that the minutes of the meeting held on 11th July 2006 be "
                                  "signed as a correct record.\n\n"
                                  "3. Matters Arising: G. Clere presented the quotations for the fencing around the Village Hall "
                                  "gas tank - T.B. Bonnett - £5500.00 and Denver Fencing £2712.00.\n")
    fencing = next(p for p in passages if "gas tank" in p.text)
    assert fencing.heading == "Matters Arising" and not fencing.is_procedural


DEREHAM = """MINUTES OF MEETING 8pm THURSDAY 18 SEPTEMBER 2008

1. Apologies

Mr Malcolm Grief

4. Matters Arising

i) Footpaths

AR held a meeting with the Borough Council Footpaths Officer on the 22nd July 2008.

3) The overgrown state of the path by the allotments is not actually the definitive route.

5) Slippery bridges on footpath near Abbey are in hand.

7) AR is trying to obtain a copy of the actual definitive map of footpaths.

ii) Allotments

The actions from the Allotment meeting of 28th June were considered and agreed. It was agreed that Denver School
would be offered a plot and that we would advertise the plots in surrounding villages.

v) Cemetery Water

The cemetery water is now connected and the tap in place. A security box has been put round tap (paid for by the
Millennium Trustees). It was suggested that a combination lock should be put on to prevent water waste and vandalism.

There was some concern that water would be wasted and water bills would be large.

It was agreed that we should leave the box unlocked as a trial until the first water bill.

vi) Website

We have details of Project Involve and a private company which works with the Society of Local Council Clerks.

5. Glazewing

CC reported that Glazewing had been sold.
"""


def test_numbered_points_inside_an_item_are_not_items(tmp_path):
    """West Dereham, September 2008: items are numbered "4.", and under Matters Arising the footpath officer's
    points run "3)", "5)", "7)"; they were read as items 5, 6 and 7, so everything after them (allotments,
    the cemetery tap) was filed under item 7."""
    _, passages = parse(tmp_path, DEREHAM)
    assert {p.item for p in passages if "Slippery bridges" in p.text or "Cemetery Water" in p.text} == {"4"}
    assert any(p.item == "5" and "Glazewing had been sold" in p.text for p in passages)


ACTION_COLUMN = """Wereham Parish Council

Minutes of the Ordinary Parish Council Meeting

14th January 2014 at 7.30pm

6.0
Correspondence Received

6.15 G4 Diary Dates available from the Clerk.

NC

NC

7.0
Grounds Maintenance Contract for 2014

7.1

Three quotes received from Holly Landscapes, Country Grounds Maintenance and the Landscape Group.

All resolved that the CGM quotation should be accepted for the 2014 season.

NC/

JB

8.0
Tree Management Plan

8.1
Three quotes were sought for this work but only one was submitted.
"""


def test_initials_in_an_action_column_are_not_a_section_heading(tmp_path):
    """Wereham, January 2014 (a table: item, minute, who acts): the clerk's initials "NC" beside an item were read
    as an upper-case section heading, whose numbered lines are points, so items 7 to 21 were no items at all and
    'Which company did Wereham choose for its grounds maintenance?' found the decision under no heading. A point
    numbered under "8.0" belongs to item 8's title, and its first word ("8.1 Three quotes…") is no title."""
    _, passages = parse(tmp_path, ACTION_COLUMN)
    chosen = next(p for p in passages if "CGM quotation should be accepted" in p.text)
    assert chosen.item == "7.0" and "Grounds Maintenance Contract" in chosen.heading
    assert any(p.item == "8.1" and "Tree Management Plan" in p.heading for p in passages)

def test_a_titled_point_starts_a_passage_of_its_own(tmp_path):
    """'Did West Dereham decide to lock the box round the new cemetery tap?' found no passage with the decision:
    'It was agreed that we should leave the box unlocked' was packed with the website item after it."""
    _, passages = parse(tmp_path, DEREHAM)
    tap = next(p for p in passages if "leave the box unlocked" in p.text)
    assert tap.text.startswith("v) Cemetery Water") and "Project Involve" not in tap.text
    assert "Denver School" not in tap.text


def test_a_signed_minutes_decision_is_procedural(tmp_path):
    from assistant.chunking import is_procedural

    assert is_procedural(None, "RESOLVED that the minutes of the meeting held on 3 March 2021 be signed as a correct record.")
    assert not is_procedural(None, "RESOLVED that the quote from Fenland Surfacing Ltd for £4,200 be accepted.")


# ---- search and answers over real-style minutes --------------------------------------------------
ROLL_CALL_HEAVY = {
    "2016-12-stoke-ferry.txt": STOKE,
    "2017-01-stoke-ferry.txt": STOKE.replace("14th December, 2016", "11th January, 2017")
    .replace("4. Village hall car park", "4. Defibrillator").replace(
        "The Clerk reported that two quotes had been received for resurfacing the car park. It was agreed to accept\n"
        "the quote from Fenland Surfacing Ltd for £4,200 and to ask the contractor to start in the spring.",
        "The Council agreed to buy a defibrillator for the old telephone box and to hold training sessions monthly."),
    "2017-02-unknown.txt": "Minutes of the meeting held on 8 February 2017\n\nPresent: Cllr Lintern.\n\n"
                           "4. Bus shelter\nThe bus shelter on the High Street has been repainted by volunteers.\n",
}


@pytest.fixture(scope="module")
def parish_engine(tmp_path_factory):
    return engine_over(tmp_path_factory, "parish", ROLL_CALL_HEAVY)


def test_a_question_naming_the_council_is_not_answered_by_its_roll_call(parish_engine):
    hits = parish_engine.search("What did Stoke Ferry Parish Council decide about the car park?", k=3)
    assert "Fenland Surfacing" in hits[0].passage.text


def test_a_named_council_keeps_records_whose_council_is_unknown(parish_engine):
    hits = parish_engine.search("Who repainted the bus shelter in Stoke Ferry?", k=3)
    assert "repainted by volunteers" in hits[0].passage.text


def test_how_often_is_not_held_against_an_answer_that_says_monthly(parish_engine):
    result = parish_engine.ask("How often will Stoke Ferry hold defibrillator training?")
    assert not result.abstained and "monthly" in result.text


def test_a_roll_call_still_answers_who_attended(parish_engine):
    hits = parish_engine.search("Who was present at the Stoke Ferry meeting in December 2016?", k=3)
    assert any(h.passage.is_procedural for h in hits)


def test_either_side_of_an_or_answers_the_question(parish_engine):
    from assistant import evidence

    question = "What did Stoke Ferry decide about a defibrillator or fireworks?"
    q = parish_engine.retriever.understand(question)
    assert evidence._either(q, ["fireworks"]) == []  # "defibrillator" is said, so "fireworks" need not be
    result = parish_engine.ask(question)
    assert not result.abstained and "defibrillator" in result.text


def test_a_numbered_sentence_that_runs_on_is_text_not_an_item_heading(tmp_path):
    """A report's "5.3 The Improvement Board will be chaired by Dr Elaine Moss, a former Director of Children's
    Services," wrapped at its comma was taken for a heading: the chair's name went into the heading and the
    passage began "and will include…", so 'who will chair the Improvement Board?' could not be answered."""
    _, passages = parse(tmp_path, "Report to Cabinet\n\n5. Governance\n\n"
                                  "5.3 The Improvement Board will be chaired by Dr Elaine Moss, a former Director of Children's Services,\n"
                                  "and will include the Chief Executive and the Leader of the Council.\n")
    chaired = next(p for p in passages if "Elaine Moss" in p.text)
    assert "will be chaired by Dr Elaine Moss" in chaired.text and "and will include" in chaired.text
    assert "Elaine Moss" not in (chaired.heading or "")


LABELLED = """Minutes of Annual Wereham Parish Council Meeting
Published: 2004-06-01

Minutes of the Annual Wereham Parish Council Meeting held on Tuesday 11th May 2004 in the Village Hall.

Present: R. Lankfer - Chairman, G. Gott, Mrs. Willis, C. Humphries together with five members of the public.

Apologies: D. Pickston and G. Clere.

Election of Chairman: The clerk asked for nominations for Chairman. G. Gott proposed and Mrs. Willis seconded that R. Lankfer be Chairman.

Matters Arising: The Speed Reactive Warning sign is now working.

Audit Report: The Annual Audit will take place on 27th September 2004.

Any Other Business: The village sign needs repainting.
"""


def test_minutes_whose_items_run_on_after_a_label_are_not_a_transcript(tmp_path):
    """Wereham's annual meeting of May 2004 writes each item as 'Label: text', as a transcript writes a turn; it
    was read as a transcript, so its roll call was an exchange like any other and led the answer to 'when did
    Wereham start monthly meetings'. In a transcript someone speaks twice; minutes name each label once."""
    record, passages = parse(tmp_path, LABELLED)
    assert record.doc_type != "transcript"
    assert passages[0].text.startswith("Minutes of Annual") and passages[0].is_procedural


def test_a_transcript_is_still_a_transcript(tmp_path):
    record, _ = parse(tmp_path, "Chair: Welcome to the committee. We start with the library budget.\n\n"
                                "Councillor Okafor: The book fund has been cut twice.\n\n"
                                "Chair: Thank you. Councillor Whitcombe?\n\n"
                                "Councillor Whitcombe: I will not reconsider it.\n")
    assert record.doc_type == "transcript"


def test_the_records_own_heading_is_procedural(tmp_path):
    """'Wereham Parish Council Minutes / Minutes of the … meeting held in the Village Hall / at 7.30 p.m. on Tuesday
    12th September 2006' says only what the record's metadata says, yet it led the search for every question naming
    Wereham and its meetings ('when did Wereham start monthly meetings')."""
    _, passages = parse(tmp_path, "Wereham Parish Council Minutes\nPublished: 2006-10-01\n\n"
                                  "Minutes of the Wereham Parish Council meeting held in the Village Hall\n\n"
                                  "at 7.30 p.m. on Tuesday 12th September 2006\n\n"
                                  "1. Present: R. Lankfer - Chairman, P. Markwell, C. Humphries\n\n"
                                  "2. Bus shelter\nThe Clerk reported that the bus shelter roof had been repaired by "
                                  "the contractor and the invoice of £240 was approved for payment.\n")
    heading, *rest = passages
    assert "held in the Village Hall" in heading.text and heading.is_procedural
    assert any("bus shelter" in p.text and not p.is_procedural for p in rest)


def test_a_heading_run_into_its_roll_call_is_procedural(tmp_path):
    """'WEREHAM PARISH COUNCIL Minutes of the Ordinary Parish Council Meeting 14th July 2015 at 7.30pm … Attendance:
    Cllr Jo Bruce …' is one line: it was a substantive passage, and, stating a date, it answered 'when did Wereham
    start trying out monthly meetings' in place of item 12.3."""
    _, passages = parse(tmp_path, "Wereham Parish Council - July Meeting\nPublished: 2015-10-22\n\n"
                                  "WEREHAM PARISH COUNCIL Minutes of the Ordinary Parish Council Meeting 14th July 2015 "
                                  "at 7.30pm Wereham Village Hall Attendance: Cllr Jo Bruce JB Chair Cllr Gail Koopowitz "
                                  "GK Vice Chair Cllr Brian Bruce BB Members of the Public: 10\n\n"
                                  "12.3 It was agreed that monthly meetings would be trialled from September to January "
                                  "and the meeting start time would be altered to 7pm from September. Clerk to action.\n")
    assert passages[0].text.startswith("Wereham Parish Council") and passages[0].is_procedural
    assert any("monthly meetings" in p.text and not p.is_procedural for p in passages)


MODERNGOV_ITEM = """<html><body><div class="mgContent">
<h2>Issue - meetings</h2>
<p>Meeting: 14/01/2020 - Children's Services Overview and Scrutiny Committee (Item 41)</p>
<h3><a href="/documents/s18842/ILACS.pdf">41 Ofsted Inspection of Children's Services – outcome <span>pdf icon PDF 312 KB</span></a></h3>
<p>The Committee considered the report on the outcome of the inspection.</p>
<p>RESOLVED that:</p>
<ul><li>the findings of the inspection be noted; and</li>
<li>the improvement plan be a standing item on the Committee's agenda.</li></ul>
<p class="mgSubItemTitleTxt">Supporting documents:</p>
<ul class="mgBulletList">
<li><a href="/documents/s18842/ILACS.pdf">ILACS outcome report, item 41 <span>PDF 312 KB</span></a></li>
<li><a href="/documents/s18843/Appendix1.pdf">Appendix 1 – Ofsted inspection report, item 41 <span>PDF 486 KB</span></a></li>
</ul></div></body></html>
"""


def test_a_moderngov_items_supporting_documents_are_not_part_of_its_decision(tmp_path):
    """'What did the scrutiny committee resolve about the Ofsted improvement plan?' quoted the resolution followed
    by '• ILACS outcome report, item 41 • Appendix 1 – Ofsted inspection report': the links under 'Supporting
    documents:' had joined the decision's points. A link to a document (its size label, 'PDF 486 KB') is not
    minutes text; the item's own title, also a link, stays."""
    _, passages = parse(tmp_path, MODERNGOV_ITEM, "item-41.html")
    decision = next(p for p in passages if p.is_decision)
    assert "standing item" in decision.text and "Appendix 1" not in decision.text, decision.text
    assert not any("ILACS outcome report" in p.text for p in passages)
    assert any("Ofsted Inspection of Children's Services" in (p.heading or "") + p.text for p in passages)


EVER = {
    "2007-03-wretton.txt": "Minutes of Wretton Parish Council Meeting held on 14 March 2007\n\n"
                           "5. Accounts\nAccounts were presented and accepted for payment.\n\n"
                           "5.1 Donation to Norfolk Accident Rescue Service:\n\n"
                           "It was proposed, seconded and agreed to donate £50.00\n\n"
                           "6. Correspondence\nA letter from the Borough Council about dog fouling bins was noted.\n",
    "2009-05-wretton.txt": "Minutes of Wretton Parish Council Meeting held on 12 May 2009\n\n"
                           "9. Donations\nSome discussion took place regarding the Parish Council giving donations from "
                           "money raised through the precept. It was felt very good justification is needed to spend public "
                           "money in this way and therefore it was agreed no donation would be made to Norfolk Accident "
                           "Rescue.\n\n10. Play area\nThe new fencing around the play area has been installed.\n",
}


@pytest.fixture(scope="module")
def wretton_engine(tmp_path_factory):
    return engine_over(tmp_path_factory, "wretton", EVER)


def test_an_ever_question_is_answered_from_every_meeting_with_each_item_named(wretton_engine):
    """'Has Wretton ever given money to the Norfolk Accident Rescue Service?' quoted only the 2009 refusal: the 2007
    donation is one sentence ("It was proposed, seconded and agreed to donate £50.00") under the item's title, which
    names the service, so the sentence alone was taken as off the topic."""
    result = wretton_engine.ask("Has Wretton Parish Council ever given money to the Norfolk Accident Rescue Service?")
    assert not result.abstained, result.text
    lines = result.text.splitlines()
    assert len(lines) == 2 and "2007" in lines[0] and "2009" in lines[1], result.text
    assert "Donation to Norfolk Accident Rescue Service: It was proposed, seconded and agreed to donate £50.00" in lines[0]


TWO_NAMES = {
    "2011-03-northwold.txt": "Minutes of Northwold Parish Council Meeting held on 1 March 2011\n\n"
                             "9. Elections\nThe nomination period for the parish elections is from Monday 21 March to noon "
                             "on Monday 4 April.\n",
    "2012-07-northwold.txt": "Minutes of Northwold with Whittington Parish Council Meeting held on 3 July 2012\n\n"
                             "5. Playing field\nThe new goal posts have been installed on the playing field.\n\n"
                             "6. The Crown\nThe owner of The Crown has submitted a new planning application to convert the "
                             "pub into three houses. The owner had told the campaign group that the pub would be sold by "
                             "auction. The Chair advised that the application had been circulated, and an Extraordinary "
                             "meeting would be held to discuss it on Wednesday 14th July at 7 pm in the Village Hall.\n",
    "2011-04-west-dereham.txt": "Minutes of West Dereham Parish Council Meeting held on 7 April 2011\n\n"
                                "7. 2011 Parish Council elections\nSeven candidates are standing for the seven seats, so "
                                "there will be no parish council election in 2011 and the candidates are elected unopposed.\n",
}


@pytest.fixture(scope="module")
def two_names_engine(tmp_path_factory):
    return engine_over(tmp_path_factory, "two-names", TWO_NAMES)


def test_a_council_named_by_its_short_name_is_searched_under_both_its_names(two_names_engine):
    """'…the 2011 Northwold parish council elections' was answered from West Dereham's minutes: "Northwold" names
    both "Northwold Parish Council" and "Northwold with Whittington Parish Council", and two councils named were
    taken as no scope at all."""
    hits = two_names_engine.search("Who were the candidates in the 2011 Northwold parish council elections?", k=5)
    assert hits and {h.passage.council for h in hits} <= {"Northwold Parish Council",
                                                          "Northwold with Whittington Parish Council"}
    playing = two_names_engine.search("What was installed on the Northwold playing field?", k=5)
    assert "goal posts" in playing[0].passage.text  # the other name's records are in scope too


def test_a_when_question_is_answered_by_a_date_written_without_its_year(two_names_engine):
    """'When was Stoke Ferry holding a special meeting about the pub owner's new planning application?' was answered
    with a sentence about the owner: minutes give a coming meeting's date without its year ("on Wednesday 14th
    October at 7 pm"), and only a month with its year counted as a date."""
    result = two_names_engine.ask("When was Northwold holding a special meeting about the pub owner's new planning "
                                  "application?")
    assert not result.abstained and "14th July" in result.text, result.text


def test_a_records_heading_and_its_roll_call_are_procedural(tmp_path):
    """Stoke Ferry, October 2020: the heading ("… Minutes of the Ordinary Meeting held on Wednesday 7 October 2020 at
    7.05 pm, Virtually online via Zoom") is one long line, and the roll call opens "Also, in Attendance"; neither was
    taken as procedural, and the heading answered a question about a meeting's date."""
    _, passages = parse(tmp_path, "Draft Minutes of Stoke Ferry PC Minutes October 2020\nPublished: 2020-11-05\n\n"
                                  "STOKE FERRY PARISH COUNCIL Draft (until approved at the next meeting) Minutes of the "
                                  "Ordinary Meeting held on Wednesday 7 October 2020 at 7.05 pm, Virtually online via Zoom\n\n"
                                  "Present: Cllr Sue Lintern (Chair), Cllr Andrew Hayward\n\n"
                                  "Also, in Attendance Public – 2 Cllr Colin Sampson, Borough Council of Kings Lynn\n\n"
                                  "179/20 To Receive an update on the Bluebell Campaign\nThe Chair of the campaign gave an "
                                  "update on the survey of the pub.\n")
    heading = next(p for p in passages if "held on Wednesday 7 October" in p.text)
    attendance = next(p for p in passages if "Colin Sampson" in p.text)
    bluebell = next(p for p in passages if "survey of the pub" in p.text)
    assert heading.is_procedural and attendance.is_procedural and not bluebell.is_procedural


PCSO = {
    "2015-02-northwold.txt": "Minutes of Northwold Parish Council Meeting held on 2 February 2015\n\n"
                             "7. Parish Matters\nMatchfunding PCSO\nThe Clerk advised that a ring fenced PCSO for 37 hours "
                             "per week would cost £33,564.00 per annum, the Parish Council portion of 50% match funding "
                             "being £16,782.00 per annum. The Council agreed that financially this was not viable and they "
                             "would not proceed with the scheme.\n\n"
                             "12. Finance\nCheques for signing and approval and to authorise payment of outstanding invoices. "
                             "It was agreed to approve the payments of the following outstanding invoices and the cheques "
                             "were approved and signed by Cllr. R. Crisp and Cllr. A. Collins.\n",
    "2015-03-northwold.txt": "Minutes of Northwold Parish Council Meeting held on 3 March 2015\n\n"
                             "5. Finance\nIt was agreed to approve the payments of the grass cutting invoice of £240 and the "
                             "hall hire of £20.\n\n6. Dog bins\nA dedicated dog waste bin has been installed by the "
                             "playing field, and residents were thanked for their help. The Clerk will pay the supplier.\n",
}


def test_a_decision_question_quotes_the_decision_about_its_topic(tmp_path_factory):
    """'Did Northwold agree to help pay for a dedicated PCSO?' was answered with 'It was agreed to approve the
    payments of the following outstanding invoices': any item's "it was agreed" counted as the decision, and the
    model finds "approve the payments" close to "agree to help pay"."""
    engine = engine_over(tmp_path_factory, "pcso", PCSO)
    result = engine.ask("Did Northwold Parish Council agree to help pay for a dedicated PCSO in 2015?")
    assert not result.abstained and "not viable" in result.text, result.text
    assert "invoice" not in result.text, result.text
