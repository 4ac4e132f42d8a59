"""Random bytes and random near-valid text through every loader and the chunker: only `Unreadable` may come
out, never another exception (issue 18). Property-based, with hypothesis; seeded, so a run is repeatable."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings, strategies as st

from assistant.loaders import SUFFIXES, Unreadable
from assistant.parse import parse_file

EXAMPLES = 150
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# the pieces council records are made of, so the text is near-valid, not only noise
PIECES = ["Minutes of the meeting of the Cabinet held on 9 May 2021", "PART II - EXEMPT ITEMS", "RESOLVED that",
          "12. Play Schemes", "12/21", "Present: Cllr A Smith (Chair)", "NOT FOR PUBLICATION", "Schedule 12A",
          "Apologies", "£1.2m", "AGREED", "• ", "Speaker: ", "REASON:", "\n", "\n\n", "\t", "\x00", "\r", "(",
          "<p>", "</p>", "<script>", "<h2>", "&amp;", "%PDF-1.7", "PK\x03\x04", "Meeting: 08/06/2021 - Executive (Item 11)"]
near_valid = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=40)), max_size=60).map("".join)
ENCODINGS = ["utf-8", "utf-16", "cp1252", "latin-1"]


def parse_only_refuses(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            record, passages = parse_file(path)
        except Unreadable as refused:
            assert str(refused) and "\n" not in str(refused)  # one line, a reason
            return
        assert passages and all(p.text.strip() for p in passages)
        assert record.access in ("public", "restricted")


@seed(18)
@SETTINGS
@given(suffix=st.sampled_from(sorted(SUFFIXES)), data=st.binary(max_size=4000))
def test_random_bytes_in_any_format_are_read_or_refused(suffix, data):
    parse_only_refuses(f"record{suffix}", data)


@seed(1018)
@SETTINGS
@given(suffix=st.sampled_from([".txt", ".md", ".html", ".htm"]), text=near_valid,
       encoding=st.sampled_from(ENCODINGS))
def test_near_valid_text_is_read_or_refused(suffix, text, encoding):
    parse_only_refuses(f"2021-05-09-minutes{suffix}", text.encode(encoding, errors="replace"))


@seed(2018)
@SETTINGS
@given(text=near_valid, cut=st.integers(min_value=0, max_value=3000))
def test_near_valid_pdf_and_docx_are_read_or_refused(text, cut):
    """A real PDF and a real DOCX of the text, whole or cut short: read, or refused with a reason."""
    import docx
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=10)
    pdf.multi_cell(0, 5, text.encode("latin-1", errors="replace").decode("latin-1") or " ")
    pdf_bytes = bytes(pdf.output())
    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph("".join(ch for ch in line if ch.isprintable()))
    buffer = io.BytesIO()
    document.save(buffer)
    for name, data in (("minutes.pdf", pdf_bytes), ("minutes.docx", buffer.getvalue())):
        parse_only_refuses(name, data)
        parse_only_refuses(name, data[:cut])


@seed(3018)
@SETTINGS
@given(members=st.dictionaries(st.sampled_from(["word/document.xml", "[Content_Types].xml", "other.xml"]),
                               near_valid, max_size=3))
def test_a_zip_that_pretends_to_be_a_word_document_is_refused(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    parse_only_refuses("minutes.docx", buffer.getvalue())
