"""Exempt records are recognised by what their text says, not only by a manifest (issue 18)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import CORPUS, write_records

from assistant import access
from assistant.archive import Archive
from assistant.engine import Engine
from assistant.parse import parse_file

EXEMPT_REPORT = """EXEMPT INFORMATION - NOT FOR PUBLICATION by virtue of Paragraph 3 of Part 1 of Schedule 12A to the Local Government Act 1972

Report to the Cabinet, 9 November 2022

Acquisition of the Quayside cold store

1. The Council has been offered the freehold of the Quayside cold store for £2.35 million by its owner, who wishes
to sell before the end of the financial year. The valuation obtained by the Estates team is £2.1 million.

2. RECOMMENDED that the Cabinet agrees to purchase the Quayside cold store at a price not exceeding £2.2 million.
"""

MINUTE_WITH_EXCLUSION = """Minutes of the meeting of the Cabinet held on 9 November 2022

12. Bus shelters on the seafront

The Cabinet considered the replacement of the seafront bus shelters, which had been damaged in the winter storms.

RESOLVED that the seafront bus shelters be replaced this spring.

13. Exclusion of the press and public

RESOLVED that the press and public be excluded from the meeting for the following item on the grounds that it
involves the likely disclosure of exempt information as defined in Paragraph 3 of Part 1 of Schedule 12A.

14. Acquisition of the Quayside cold store

The Director of Place reported that the owner would accept £2.2 million for the Quayside cold store.

RESOLVED that the Quayside cold store be purchased for £2.2 million.
"""


@pytest.mark.parametrize("heading, exempt", [
    ("NOT FOR PUBLICATION", True),
    ("EXEMPT INFORMATION - NOT FOR PUBLICATION by virtue of Paragraph 3 of Part 1 of Schedule 12A", True),
    ("By virtue of paragraph 3 of Part 1 of Schedule 12A of the Local Government Act 1972", True),
    ("Agenda item 14 (Part II)", True),
    ("PART II - EXEMPT ITEMS", True),
    ("CONFIDENTIAL", True),
    ("15. Staffing restructure – Confidential", True),
    ("Exempt report: disposal of land at Mill Lane", True),
    ("Confidential Reporting (Whistleblowing) Policy", False),
    ("CONFIDENTIAL REPORTING POLICY", False),
    ("Part 2 of the report sets out the options", False),
    ("Minutes of the meeting of the Cabinet held on 9 November 2022", False),
    ("Revenue Budget 2022/23", False),
])
def test_a_heading_marks_its_section_exempt_only_when_it_says_so(heading, exempt):
    assert bool(access.section_exemption(heading)) is exempt


def test_an_exempt_report_without_a_manifest_is_restricted(tmp_path):
    folder = write_records(tmp_path / "records", {"2022-11-09-cold-store.txt": EXEMPT_REPORT})
    record, passages = parse_file(folder / "2022-11-09-cold-store.txt")
    assert record.access == "restricted"
    assert passages and {p.access for p in passages} == {"restricted"}


def test_a_minute_that_excludes_the_public_restricts_only_what_follows(tmp_path):
    folder = write_records(tmp_path / "records", {"2022-11-09-cabinet.txt": MINUTE_WITH_EXCLUSION})
    record, passages = parse_file(folder / "2022-11-09-cabinet.txt")
    assert record.access == "public"
    by_access = {p.access: [] for p in passages}
    for p in passages:
        by_access[p.access].append(p.text)
    public, restricted = " ".join(by_access.get("public", [])), " ".join(by_access.get("restricted", []))
    assert "bus shelters be replaced" in public and "cold store" not in public
    assert "purchased for £2.2 million" in restricted


def test_public_search_never_returns_an_exempt_report_ingested_without_a_manifest(tmp_path):
    """The complaint of issue 18: the first lines said NOT FOR PUBLICATION, the record was indexed as public."""
    folder = write_records(tmp_path / "records", {"2022-11-09-cold-store.txt": EXEMPT_REPORT,
                                                   "2022-11-09-cabinet.txt": MINUTE_WITH_EXCLUSION})
    index = tmp_path / "index"
    Archive(index, create=True).ingest([folder], log=lambda line: None)
    engine = Engine(str(index))
    from assistant.filters import Filters

    public = engine.search("Quayside cold store purchase price", k=10)
    assert public, "the public minute's items are still found"
    assert all("cold store" not in h.passage.text for h in public), [h.passage.text[:80] for h in public]
    officer = engine.search("Quayside cold store purchase price", k=10, filters=Filters(role="officer"))
    assert any("£2.35 million" in h.passage.text for h in officer)


def test_the_demo_exempt_report_is_restricted_by_its_text_alone(tmp_path):
    """Without its manifest row, the alternative provision contract is still restricted (its first line says so)."""
    source = next(CORPUS.glob("harbourside/*exempt*.pdf"))
    copy = tmp_path / source.name
    shutil.copyfile(source, copy)
    record, passages = parse_file(copy)
    assert record.access == "restricted" and {p.access for p in passages} == {"restricted"}


def test_public_demo_records_are_not_marked_exempt_by_their_text(corpus_index):
    """Only the records that say so: of the 64 demo records, the exempt report is the only one restricted as a whole
    (the index holds what parse_file read, its manifest applied)."""
    whole = [Path(r["source"]).name for r in Archive(corpus_index).store.records() if r["access"] == "restricted"]
    assert len(whole) == 1 and "exempt" in whole[0], whole
