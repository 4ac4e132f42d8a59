"""Every supported format, made here from scratch, parses to clean text with the right metadata."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from conftest import run_cli, write_records
from fpdf import FPDF

from assistant.archive import Archive
from assistant.metadata import Manifest
from assistant.parse import parse_file


def flat(text: str) -> str:
    return " ".join(text.split())


def lines_of(passages) -> list[str]:
    return [line for p in passages for line in p.text.split("\n")]


def all_text(passages) -> str:
    return flat(" ".join(p.text for p in passages))


# ---- plain text and markdown -------------------------------------------------------------

SCHOOLS_FORUM_TXT = """Minutes of the meeting of the Schools Forum held on 3 October 2019

Present: Mr A Jones (Chair), Mrs B Patel, Mr C Wood

5. High Needs Block

The Head of Finance reported that the high needs block was forecast to overspend by £1.2m.

Members noted:

• the growth in education, health and care plans
• the cost of independent special school places

AGREED that a recovery plan be brought to the next meeting.
"""

AUDIT_MD = """# Minutes of the Audit Committee

Date of meeting: 27 July 2021

## 8. Internal Audit Annual Report

The Chief Internal Auditor gave a reasonable assurance opinion for the year.

- Three limited assurance reports were issued
- All high priority actions were completed

RESOLVED that the annual report be noted.
"""


def test_plain_text_minute_gives_meeting_item_bullets_and_decision(tmp_path):
    path = tmp_path / "forum.txt"
    path.write_text(SCHOOLS_FORUM_TXT, encoding="utf-8")
    record, passages = parse_file(path)
    assert (record.committee, record.date, record.doc_type) == ("Schools Forum", "2019-10-03", "minutes")
    assert record.council is None and record.page_count is None
    lines = lines_of(passages)
    assert "• the growth in education, health and care plans" in lines
    assert "• the cost of independent special school places" in lines
    decision = [p for p in passages if p.is_decision]
    assert len(decision) == 1 and decision[0].text == "AGREED that a recovery plan be brought to the next meeting."
    assert (decision[0].item, decision[0].heading) == ("5", "High Needs Block")


PARISH_TXT = """Minutes of the meeting of the Parish Council held on 13 July 2021

21/42 Appointment of Clerk
The Chair reported that the Clerk would retire on 31 July 2021 after seventeen years' service.
RESOLVED that Mrs Helen Drury be appointed Clerk from 1 August 2021.

21/45 Planning
The Council noted that outline planning permission had been granted for 24 dwellings off Church Lane.
"""


def test_parish_minute_numbers_start_items(tmp_path):
    """'21/42 Appointment of Clerk' once ran into the sentence after it, and a parish meeting's
    decisions all fell in one item, so a question about planning quoted the clerk's appointment."""
    path = tmp_path / "parish.txt"
    path.write_text(PARISH_TXT, encoding="utf-8")
    _, passages = parse_file(path)
    items = {(p.item, p.heading) for p in passages if p.item}
    assert items == {("21/42", "Appointment of Clerk"), ("21/45", "Planning")}
    decision = next(p for p in passages if p.is_decision)
    assert decision.item == "21/42"
    assert all(not p.text.startswith("21/42 Appointment of Clerk The Chair") for p in passages)


def test_markdown_minute_keeps_text_bullets_and_decision(tmp_path):
    path = tmp_path / "audit.md"
    path.write_text(AUDIT_MD, encoding="utf-8")
    record, passages = parse_file(path)
    assert (record.committee, record.date, record.doc_type) == ("Audit Committee", "2021-07-27", "minutes")
    assert "The Chief Internal Auditor gave a reasonable assurance opinion for the year." in all_text(passages)
    assert "• Three limited assurance reports were issued" in lines_of(passages)
    assert [p.text for p in passages if p.is_decision] == ["RESOLVED that the annual report be noted."]


def test_markdown_headings_are_item_headings_not_quoted_hashes(tmp_path):
    path = tmp_path / "audit.md"
    path.write_text(AUDIT_MD, encoding="utf-8")
    _, passages = parse_file(path)
    assert not any(line.startswith("#") for line in lines_of(passages)), lines_of(passages)
    decision = next(p for p in passages if p.is_decision)
    assert (decision.item, decision.heading) == ("8", "Internal Audit Annual Report")


# ---- a ModernGov web page ----------------------------------------------------------------

MODERNGOV_PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>Issue - meetings - School Transport Policy | Wexcombe Council</title>
<style>.x {{ color: red }}</style><script>var tracking = "analytics";</script></head>
<body class="mgBody">
<div id="cookieBanner" class="cookie-banner"><p>We use cookies to make this website work.</p>
<button>Accept all cookies</button></div>
<nav class="topnav"><ul><li><a href="/">Home</a></li><li><a href="/bins">Bins and recycling</a></li>
<li><a href="/council-tax">Council tax</a></li></ul></nav>
<div class="breadcrumb"><a href="/">Home</a> &gt; <a href="/democracy">Councillors and democracy</a> &gt; Cabinet</div>
<div id="mgContent">
<h1>Issue - meetings</h1>
{subtitle}
<p>Meeting: 14/03/2022 - Cabinet (Item 7)</p>
<h2>7 School Transport Policy <a href="/documents/s1/transport.pdf" class="mgPdfLink">pdf icon PDF 120 KB</a></h2>
<p class="mgSubItemTitleTxt">Minutes:</p>
<p>The Cabinet&nbsp;Member for Education presented the report on home to school transport for 2022/23.</p>
<p>Members raised the following points:</p>
<ul class="mgBulletList"><li>Eligibility&nbsp;for pupils with special educational needs</li>
<li>The cost of taxi contracts</li></ul>
<p>RESOLVED that the revised School Transport Policy be approved for consultation.</p>
</div>
<footer class="site-footer"><a href="/accessibility">Accessibility statement</a> <a href="/privacy">Privacy notice</a>
<p>&copy; Wexcombe Council</p></footer>
</body></html>
"""
SUBTITLE = '<h2 class="mgSubTitleTxt">Home to School Transport Policy 2022/23</h2>'


@pytest.fixture
def moderngov_page(tmp_path) -> Path:
    path = tmp_path / "cabinet-item-7.html"
    path.write_text(MODERNGOV_PAGE.format(subtitle=SUBTITLE), encoding="utf-8")
    return path


@pytest.mark.parametrize("noise", [
    "cookies", "Accept all cookies", "Bins and recycling", "Council tax", "Councillors and democracy",
    "Accessibility statement", "Privacy notice", "tracking", "color: red", "pdf icon", "120 KB", "&nbsp;", "\u00a0",
])
def test_web_page_furniture_never_reaches_a_passage(moderngov_page, noise):
    _, passages = parse_file(moderngov_page)
    assert noise not in " ".join(p.text for p in passages)


def test_web_page_metadata_comes_from_the_moderngov_meeting_line(moderngov_page):
    record, passages = parse_file(moderngov_page)
    assert (record.committee, record.date, record.item, record.doc_type) == ("Cabinet", "2022-03-14", "7", "minutes")
    assert record.council is None  # the page chrome names it, the content does not
    assert {(p.item, p.committee, p.date) for p in passages} == {("7", "Cabinet", "2022-03-14")}


def test_web_page_keeps_bullets_and_decision(moderngov_page):
    _, passages = parse_file(moderngov_page)
    lines = lines_of(passages)
    assert "• Eligibility for pupils with special educational needs" in lines
    assert "• The cost of taxi contracts" in lines
    assert "The Cabinet Member for Education presented the report on home to school transport for 2022/23." in lines
    decision = [p for p in passages if p.is_decision]
    assert [p.text for p in decision] == ["RESOLVED that the revised School Transport Policy be approved for consultation."]
    assert decision[0].title == "School Transport Policy"


def test_moderngov_meeting_line_is_never_taken_as_the_title(tmp_path):
    path = tmp_path / "cabinet-item-7.html"
    path.write_text(MODERNGOV_PAGE.format(subtitle=""), encoding="utf-8")
    record, _ = parse_file(path)
    assert record.title is None or not record.title.startswith("Meeting:"), record.title


# ---- a three-page PDF --------------------------------------------------------------------

PDF_PAGES = [
    ["Minutes of the meeting of the Planning Committee held on 5 April 2022.",
     "The Head of Planning presented the application for forty homes on land at Mill Lane. Objectors had raised "
     "concerns about traffic on the narrow lane and flooding from the brook. The highways officer advised that the "
     "junction improvements would meet the standard required."],
    ["Members asked about the wildlife survey. The ecologist confirmed that the heron colony beside the brook would "
     "be protected by a fenced buffer zone of thirty metres during construction."],
    ["RESOLVED that the application be approved subject to the conditions set out in the report."],
]
HERON = "the heron colony beside the brook would be protected by a fenced buffer zone"


def write_pdf(path: Path, pages: list[list[str]]) -> Path:
    pdf = FPDF()
    pdf.set_auto_page_break(False)
    for number, paragraphs in enumerate(pages, start=1):
        pdf.add_page()
        pdf.set_font("helvetica", size=11)
        pdf.set_xy(15, 20)
        for text in paragraphs:
            pdf.multi_cell(180, 6, text)
            pdf.ln(6)
        pdf.set_xy(15, 280)
        pdf.cell(0, 8, f"Page {number} of {len(pages)}")
    pdf.output(str(path))
    return path


@pytest.fixture
def planning_pdf(tmp_path) -> Path:
    return write_pdf(tmp_path / "planning.pdf", PDF_PAGES)


def test_pdf_record_counts_its_pages(planning_pdf):
    record, _ = parse_file(planning_pdf)
    assert record.page_count == 3
    assert (record.committee, record.date) == ("Planning Committee", "2022-04-05")


def test_pdf_page_footers_are_dropped(planning_pdf):
    _, passages = parse_file(planning_pdf)
    for p in passages:
        assert "Page " not in p.text and " of 3" not in p.text, p.text


def test_pdf_text_is_kept_whole(planning_pdf):
    _, passages = parse_file(planning_pdf)
    text = all_text(passages)
    assert HERON in text
    assert "Objectors had raised concerns about traffic on the narrow lane" in text  # wrapped line rejoined


def test_pdf_decision_on_page_three_is_cited_on_page_three(planning_pdf):
    _, passages = parse_file(planning_pdf)
    decision = [p for p in passages if p.is_decision]
    assert len(decision) == 1 and decision[0].page == 3


def test_pdf_passages_start_on_page_one(planning_pdf):
    _, passages = parse_file(planning_pdf)
    assert passages[0].page == 1 and all(p.page in (1, 2, 3) for p in passages)


def test_sentence_on_page_two_is_cited_on_page_two(planning_pdf):
    _, passages = parse_file(planning_pdf)
    holding = [p for p in passages if HERON in flat(p.text)]
    assert len(holding) == 1
    assert holding[0].page == 2, (holding[0].page, holding[0].text)


def test_pdf_item_heading_after_an_unpunctuated_title_starts_the_item(tmp_path):
    path = write_pdf(tmp_path / "planning-items.pdf", [[
        "Minutes of the meeting of the Planning Committee held on 5 April 2022",
        "12 Land at Mill Lane",
        "The Head of Planning presented the application for forty homes on land at Mill Lane.",
        "RESOLVED that the application be approved.",
    ]])
    _, passages = parse_file(path)
    decision = next(p for p in passages if p.is_decision)
    assert (decision.item, decision.heading) == ("12", "Land at Mill Lane")


# ---- a Word document ---------------------------------------------------------------------

@pytest.fixture
def licensing_docx(tmp_path) -> Path:
    document = docx.Document()
    document.add_heading("Minutes of the Licensing Committee held on 12 May 2022", level=1)
    document.add_paragraph("The committee considered the renewal of the premises licence for the Red Lion, High Street.")
    document.add_paragraph("Residents had objected because of:")
    document.add_paragraph("Late opening hours on Fridays and Saturdays", style="List Bullet")
    document.add_paragraph("Noise from the beer garden", style="List Bullet")
    document.add_paragraph("RESOLVED that the licence be renewed with a condition that the beer garden closes at 10pm.")
    table = document.add_table(rows=3, cols=2)
    for row, (name, vote) in enumerate([("Councillor", "Vote"), ("Cllr Okafor", "For"), ("Cllr Lindqvist", "Against")]):
        table.cell(row, 0).text, table.cell(row, 1).text = name, vote
    path = tmp_path / "licensing.docx"
    document.save(path)
    return path


def test_word_document_gives_text_bullets_and_decision(licensing_docx):
    record, passages = parse_file(licensing_docx)
    assert (record.committee, record.date, record.doc_type) == ("Licensing Committee", "2022-05-12", "minutes")
    assert record.page_count is None
    lines = lines_of(passages)
    assert "The committee considered the renewal of the premises licence for the Red Lion, High Street." in lines
    assert "• Late opening hours on Fridays and Saturdays" in lines
    assert "• Noise from the beer garden" in lines
    decision = [p for p in passages if p.is_decision]
    assert len(decision) == 1
    assert decision[0].text.startswith("RESOLVED that the licence be renewed with a condition")


def test_word_table_rows_are_kept(licensing_docx):
    _, passages = parse_file(licensing_docx)
    lines = lines_of(passages)
    assert "Cllr Okafor | For" in lines and "Cllr Lindqvist | Against" in lines


# ---- a committee transcript --------------------------------------------------------------

TRANSCRIPT_TURNS = [
    "The Chair (Ms Karen Vecchio): Good afternoon, I call the meeting to order.",
    "Mr. Paul Manly: Thank you, Chair. I want to ask about rural broadband funding for small towns.",
    "Hon. Maryam Monsef: The universal broadband fund has committed money to rural communities across the country.",
    "The Chair: Thank you. Mr. Poilievre, you have the floor.",
    "Hon. Pierre Poilievre: How much of the fund has actually been spent this year?",
    "Hon. Maryam Monsef: I will return to the committee with the exact figure.",
]


def test_transcript_is_recognised_and_keeps_its_speakers(tmp_path):
    path = tmp_path / "broadband.txt"
    path.write_text("\n".join(TRANSCRIPT_TURNS) + "\n", encoding="utf-8")
    record, passages = parse_file(path)
    assert record.doc_type == "transcript"
    assert {p.doc_type for p in passages} == {"transcript"}
    lines = lines_of(passages)
    for turn in TRANSCRIPT_TURNS:
        assert turn in lines, turn


def test_transcript_passage_keeps_question_with_its_answer(tmp_path):
    path = tmp_path / "broadband.txt"
    path.write_text("\n".join(TRANSCRIPT_TURNS) + "\n", encoding="utf-8")
    _, passages = parse_file(path)
    asked = next(p for p in passages if "How much of the fund" in p.text)
    assert "I will return to the committee with the exact figure." in asked.text



def test_long_exchange_is_never_cut_between_a_question_and_its_answer(tmp_path):
    """When the chair does not speak between turns, passages are cut for length; the cut must
    fall before a member's question, not between the question and the minister's answer."""
    answer = ("Kirsty Williams AM: The process is independent of Government and an appeal may be under way, "
              + "so I will not comment on the accreditation decision itself. " * 8).strip()
    turns = ["The Chair: Good morning and welcome to the committee.",
             "Kirsty Williams AM: " + "Recruitment to initial teacher education remains below target in several subjects. " * 9,
             "Hefin David AM: What are your views on the decision not to accredit the University of South Wales?",
             answer]
    path = tmp_path / "itt.txt"
    path.write_text("Committee transcript itt\n" + "\n".join(turns) + "\n", encoding="utf-8")
    _, passages = parse_file(path)
    asked = next(p for p in passages if "not to accredit the University" in p.text)
    assert "The process is independent of Government" in asked.text, [p.text[:80] for p in passages]

def test_a_topic_starts_where_the_floor_is_given_to_the_member_who_raises_it(tmp_path):
    """A Welsh committee's chair is labelled with her name, not "Chair", and speaks less than the minister:
    her turn that hands the floor to
    the next member ("…some questions from Siân Gwenllian. Siân.") opens the passage about that topic,
    instead of trailing the answer before it."""
    turns = ["Lynne Neagle AM: Good morning and welcome to the committee.",
             "Suzy Davies AM: " + "How will schools reopen safely and when will you tell parents about it? " * 4,
             "Kirsty Williams AM: " + "Returning to school will not be a return to normal, and headteachers will decide. " * 6,
             "Suzy Davies AM: And will parents be told before the end of term?",
             "Kirsty Williams AM: " + "Yes, every parent will hear from their school before the end of term. " * 5,
             "Lynne Neagle AM: Okay. Thank you. I'm keen to go on now to talk about the current situation in schools, "
             "with some questions from Siân Gwenllian. Siân.",
             "Sian Gwenllian AM: " + "Since yesterday the Government has published data on the number of schools open. " * 4,
             "Kirsty Williams AM: The data show that attendance is rising every week in every region."]
    path = tmp_path / "schools.txt"
    path.write_text("Committee transcript schools\n" + "\n".join(turns) + "\n", encoding="utf-8")
    _, passages = parse_file(path)
    raised = next(p for p in passages if "with some questions from Siân Gwenllian" in p.text)
    assert raised.text.startswith("Lynne Neagle AM: Okay. Thank you."), [p.text[:60] for p in passages]
    assert "Since yesterday the Government has published data" in raised.text
    assert "Returning to school will not be a return to normal" not in raised.text


def test_a_speakers_role_given_once_labels_their_later_turns(tmp_path):
    """Hansard names a minister's office once ("Hon. Navdeep Bains (Minister of Industry):"), then
    only the name; a question about "the Minister of Industry" must still find the later answers."""
    turns = ["The Chair: We now go to ministerial statements.",
             "Hon. Navdeep Bains (Minister of Industry): " + "We are supporting businesses through this crisis. " * 12,
             "The Chair: Mr. Hoback, you have the floor.",
             "Mr. Randy Hoback: " + "Farmers in my riding are waiting for help with their costs. " * 10,
             "The Chair: The honourable minister.",
             "Hon. Navdeep Bains: The wage subsidy threshold was lowered from thirty to fifteen per cent for March."]
    path = tmp_path / "industry.txt"
    path.write_text("Committee transcript industry\n" + "\n".join(turns) + "\n", encoding="utf-8")
    _, passages = parse_file(path)
    later = next(p for p in passages if "threshold was lowered" in p.text)
    assert "(Minister of Industry)" not in later.text
    assert "Hon. Navdeep Bains (Minister of Industry)" in later.heading
    assert "Hon. Navdeep Bains (Minister of Industry)" in later.context_text()
    first = next(p for p in passages if "supporting businesses" in p.text)
    assert "Minister of Industry" not in (first.heading or ""), "a role already in the text is not repeated"


def test_interrupted_turn_does_not_swallow_the_next_speaker(tmp_path):
    turns = ["Mr. Paul Manly: Thank you, Chair. I want to ask whether the fund will reach",
             "The Chair: Order. The member's time has expired.",
             *TRANSCRIPT_TURNS[2:]]
    path = tmp_path / "broadband.txt"
    path.write_text("Committee transcript broadband\n" + "\n".join(turns) + "\n", encoding="utf-8")
    record, passages = parse_file(path)
    assert record.doc_type == "transcript"
    lines = lines_of(passages)
    assert "The Chair: Order. The member's time has expired." in lines, lines
    assert "Mr. Paul Manly: Thank you, Chair. I want to ask whether the fund will reach" in lines, lines


# ---- legacy encodings --------------------------------------------------------------------

CP1252_MINUTE = ("Minutes of the meeting of the Cabinet held on 9 May 2021\n\n"
                 "The Leader said the Children’s Services grant of £5,000 would be spent on summer play schemes "
                 "in the parks.\n\nRESOLVED that the grant be accepted.\n")


@pytest.mark.parametrize("expected", [
    "Children’s Services",
    "£5,000",
])
def test_windows_1252_text_decodes_to_the_right_characters(tmp_path, expected):
    path = tmp_path / "cabinet.txt"
    path.write_bytes(CP1252_MINUTE.encode("cp1252"))
    assert b"\x92" in path.read_bytes() and b"\xa3" in path.read_bytes()
    _, passages = parse_file(path)
    assert expected in all_text(passages)


@pytest.mark.parametrize("opening, committee", [
    ("Minutes of the meeting of the Cabinet held on 9 May 2021", "Cabinet"),
    ("Minutes of the Executive held on 9 May 2021", "Executive"),
])
def test_single_word_committee_is_named_without_the_article(tmp_path, opening, committee):
    path = tmp_path / "minute.txt"
    path.write_text(f"{opening}\n\nRESOLVED that the grant be accepted.\n", encoding="utf-8")
    record, _ = parse_file(path)
    assert record.committee == committee


# ---- manifests ---------------------------------------------------------------------------

BARE_MINUTE = "The committee considered the annual report on school admissions.\n\nRESOLVED that the report be noted.\n"


@pytest.fixture
def records_folder(tmp_path) -> Path:
    return write_records(tmp_path / "records", {
        "forum.txt": SCHOOLS_FORUM_TXT, "admissions.txt": BARE_MINUTE,
        "unlisted.txt": BARE_MINUTE.replace("school admissions", "home to school transport")})


MANIFEST_CSV = (
    "file,council,committee,date,doc_type,item,title,access\n"
    "forum.txt,Harbourside Borough Council,Schools Forum (High Needs),04/10/2019,decision notice,,,public\n"
    "admissions.txt,,,,,,,\n"
)
FORUM_FROM_MANIFEST = {"council": "Harbourside Borough Council", "committee": "Schools Forum (High Needs)",
                       "date": "2019-10-04", "doc_type": "decision notice"}
UNKNOWN = {"council": None, "committee": None, "date": None}


def test_manifest_beside_records_overrides_what_the_text_says(records_folder):
    (records_folder / "manifest.csv").write_text(MANIFEST_CSV, encoding="utf-8")
    manifest = Manifest()
    manifest.discover(records_folder)
    assert not manifest.problems
    record, passages = parse_file(records_folder / "forum.txt", manifest)
    for field, value in FORUM_FROM_MANIFEST.items():
        assert getattr(record, field) == value, field
        assert {getattr(p, field) for p in passages} == {value}, field


@pytest.mark.parametrize("name", ["admissions.txt", "unlisted.txt"])
def test_metadata_nobody_states_stays_unknown(records_folder, name):
    (records_folder / "manifest.csv").write_text(MANIFEST_CSV, encoding="utf-8")
    manifest = Manifest()
    manifest.discover(records_folder)
    record, passages = parse_file(records_folder / name, manifest)
    assert {k: getattr(record, k) for k in UNKNOWN} == UNKNOWN
    assert all((p.council, p.committee, p.date) == (None, None, None) for p in passages)


def test_manifest_with_an_unknown_document_type_is_not_trusted_for_it(records_folder):
    (records_folder / "manifest.csv").write_text(
        "file,council,doc_type\nforum.txt,Harbourside Borough Council,agenda pack\n", encoding="utf-8")
    manifest = Manifest()
    manifest.discover(records_folder)
    assert any("agenda pack" in problem for _, problem in manifest.problems)
    record, _ = parse_file(records_folder / "forum.txt", manifest)
    assert record.council == "Harbourside Borough Council"
    assert record.doc_type == "minutes"  # what the text shows, not the unknown label


def test_ingest_folder_applies_its_manifest(records_folder, tmp_path):
    (records_folder / "manifest.csv").write_text(MANIFEST_CSV, encoding="utf-8")
    archive = Archive(tmp_path / "index", create=True)
    report = archive.ingest([records_folder], log=lambda line: None)
    assert report.files_read == 3 and not report.skipped
    records = {Path(r["source"]).name: r for r in archive.store.records()}
    assert {k: records["forum.txt"][k] for k in FORUM_FROM_MANIFEST} == FORUM_FROM_MANIFEST
    assert {k: records["admissions.txt"][k] for k in UNKNOWN} == UNKNOWN
    assert archive.stats()["councils"] == ["Harbourside Borough Council"]


def test_ingest_cli_manifest_option_applies_a_json_manifest(records_folder, tmp_path):
    meta = tmp_path / "meta"
    meta.mkdir()
    manifest = meta / "records.json"
    manifest.write_text(json.dumps([
        {"file": "../records/forum.txt", **FORUM_FROM_MANIFEST, "date": "2019-10-04"},
        {"file": "../records/admissions.txt", "council": None, "committee": "", "date": None},
    ]), encoding="utf-8")
    index = tmp_path / "index"
    result = run_cli("ingest", str(records_folder), "--index", str(index), "--manifest", str(manifest), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["files_read"] == 3 and summary["skipped"] == []
    stats = run_cli("stats", "--index", str(index), "--json")
    assert stats.returncode == 0, stats.stderr
    out = json.loads(stats.stdout.strip().splitlines()[-1])
    assert out["councils"] == ["Harbourside Borough Council"]
    assert out["committees"] == ["Schools Forum (High Needs)"]
    assert out["dates"] == {"first": "2019-10-04", "last": "2019-10-04"}
    records = {Path(r["source"]).name: r for r in Archive(index).store.records()}
    assert records["forum.txt"]["doc_type"] == "decision notice"
    assert {k: records["admissions.txt"][k] for k in UNKNOWN} == UNKNOWN
    assert {k: records["unlisted.txt"][k] for k in UNKNOWN} == UNKNOWN
