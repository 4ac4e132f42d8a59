"""Build the demo corpus's PDF and DOCX records from their written sources.

Sources live in tools/corpus_sources/<path inside corpus/ without extension>.<pdf|docx>.txt,
for example tools/corpus_sources/wexcombe/2021-03-04-executive-budget-report.pdf.txt becomes
corpus/wexcombe/2021-03-04-executive-budget-report.pdf.

Source format (plain UTF-8 text):
  "# Heading"              a bold heading line
  "- bullet text"          a bulleted line
  "--- page break ---"     start a new page (PDF) / page break (DOCX)
  blank line               paragraph separator; other lines are paragraph text

PDF pages get a running footer "Page N of M" like a real agenda pack, so the parser's
artefact clean-up is exercised by the shipped corpus too.

Run: .venv/bin/python tools/build_corpus_documents.py
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_BREAK
from fpdf import FPDF

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "tools" / "corpus_sources"
CORPUS = ROOT / "corpus"
PAGE_BREAK = "--- page break ---"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

# The core PDF fonts are Latin-1 only; without DejaVu we fall back to these spellings.
LATIN1_FALLBACK = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                                 "\u2013": "-", "\u2014": "-", "\u2022": "-", "\u2026": "..."})


def blocks(text: str) -> list[tuple[str, str]]:
    """Split source text into (kind, text) blocks: heading, bullet, para or page."""
    out: list[tuple[str, str]] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            out.append(("para", " ".join(para)))
            para.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line == PAGE_BREAK:
            flush()
            out.append(("page", ""))
        elif line.startswith("# "):
            flush()
            out.append(("heading", line[2:].strip()))
        elif line.startswith("- "):
            flush()
            out.append(("bullet", line[2:].strip()))
        else:
            para.append(line)
    flush()
    return out


class _Pdf(FPDF):
    def __init__(self, unicode_font: bool) -> None:
        super().__init__(format="A4")
        self.unicode_font = unicode_font
        if unicode_font:
            self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
            self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.family = "DejaVu" if unicode_font else "Helvetica"
        self.alias_nb_pages()

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(self.family, "", 8)
        self.cell(0, 10, f"Page {self.page_no()} of {{nb}}", align="C")


def build_pdf(source: Path, target: Path) -> None:
    unicode_font = (FONT_DIR / "DejaVuSans.ttf").exists()
    pdf = _Pdf(unicode_font)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    for kind, text in blocks(source.read_text(encoding="utf-8")):
        if not unicode_font:
            text = text.translate(LATIN1_FALLBACK)
        if kind == "page":
            pdf.add_page()
        elif kind == "heading":
            pdf.set_font(pdf.family, "B", 12)
            pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif kind == "bullet":
            pdf.set_font(pdf.family, "", 10)
            pdf.set_x(pdf.l_margin + 6)
            bullet = "\u2022" if unicode_font else "-"
            pdf.multi_cell(0, 5, f"{bullet} {text}", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        else:
            pdf.set_font(pdf.family, "", 10)
            pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
    target.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(target))


def build_docx(source: Path, target: Path) -> None:
    doc = Document()
    for kind, text in blocks(source.read_text(encoding="utf-8")):
        if kind == "page":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif kind == "heading":
            doc.add_heading(text, level=2)
        elif kind == "bullet":
            doc.add_paragraph(text, style="List Bullet")
        else:
            doc.add_paragraph(text)
    target.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(target))


def main() -> None:
    built = 0
    for source in sorted(SOURCES.rglob("*.txt")):
        relative = source.relative_to(SOURCES).with_suffix("")  # drops ".txt"
        target = CORPUS / relative
        if target.suffix == ".pdf":
            build_pdf(source, target)
        elif target.suffix == ".docx":
            build_docx(source, target)
        else:
            raise SystemExit(f"{source}: name must end in .pdf.txt or .docx.txt")
        built += 1
    print(f"built {built} documents into {CORPUS}")


if __name__ == "__main__":
    main()
