"""Read a file of any supported format into pages of raw text, or refuse it with a reason.

One loader per format. Every failure becomes `Unreadable(reason)` so ingest can name the
file, skip it and go on; nothing here raises anything else for bad input.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_PDF_PAGES = 2000  # an agenda pack runs to hundreds of pages; beyond this reading takes minutes: split it
TEXT_SUFFIXES = {".txt", ".md", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".pdf", ".docx"}


_MARKDOWN_MARKS = re.compile(r"^\s{0,3}#{1,6}\s+|\*\*|__", re.M)


class Unreadable(Exception):
    """The file cannot be turned into text; the message is the reason shown to the user."""


@dataclass
class LoadedText:
    """A file's text: one entry per page, and whether the pages are real (PDF) or the whole file is one entry."""

    pages: list[str]  # one entry per page; formats without pages give one entry
    paged: bool  # True when page numbers are real (PDF)


def load(path: Path) -> LoadedText:
    """The text of a .txt, .md, .html, .pdf or .docx file (Markdown marks stripped, a web page reduced to its
    content); Unreadable, with the reason, for any file that cannot be read."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise Unreadable(f"unsupported format '{suffix or path.name}' (supported: {', '.join(sorted(SUFFIXES))})")
    check_size(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise Unreadable(f"cannot read file: {err.strerror or err}") from None
    if not data.strip():
        raise Unreadable("empty file")
    if suffix == ".pdf":
        return _load_pdf(data)
    if suffix == ".docx":
        return _load_docx(data)
    text = decode_text(data)
    if suffix in HTML_SUFFIXES:
        return LoadedText([html_to_text(text)], paged=False)
    if suffix == ".md":
        text = _MARKDOWN_MARKS.sub("", text)
    return LoadedText([text], paged=False)


def check_size(path: Path) -> None:
    """Unreadable when the file is over MAX_FILE_BYTES, found from its size on disk before any of it is read."""
    try:
        size = path.stat().st_size
    except OSError as err:
        raise Unreadable(f"cannot read file: {err.strerror or err}") from None
    if size > MAX_FILE_BYTES:
        raise Unreadable(f"file too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes)")


def decode_text(data: bytes) -> str:
    """UTF-8 when it is; otherwise the encoding charset-normalizer finds (cp1252 for most councils)."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Unreadable("binary content, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:  # most council exports that are not UTF-8 are Windows-1252 ("£", curly quotes)
        text = data.decode("cp1252")
        if _control_ratio(text) <= 0.01:
            return text
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise Unreadable("binary content, not text (no text encoding fits)")
    text = str(best)
    if _control_ratio(text) > 0.01:
        raise Unreadable("binary content, not text")
    return text


def _control_ratio(text: str) -> float:
    sample = text[:20000]
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return bad / max(1, len(sample))


def _load_pdf(data: bytes) -> LoadedText:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # the skip line is the one message about a bad PDF

    if not data.lstrip().startswith(b"%PDF"):
        raise Unreadable("not a PDF (no %PDF header)")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise Unreadable("encrypted PDF (password needed)")
            except Unreadable:
                raise
            except Exception:
                raise Unreadable("encrypted PDF (password needed)") from None
        if len(reader.pages) > MAX_PDF_PAGES:
            raise Unreadable(f"PDF has {len(reader.pages):,} pages; the limit is {MAX_PDF_PAGES:,} (split it into parts)")
        pages = [page.extract_text() or "" for page in reader.pages]
    except Unreadable:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as err:
        raise Unreadable(f"corrupt PDF ({type(err).__name__}: {str(err)[:80]})") from None
    except Exception as err:  # pypdf raises many kinds on damaged files; none may stop ingest
        raise Unreadable(f"corrupt PDF ({type(err).__name__})") from None
    if not any(p.strip() for p in pages):
        raise Unreadable("PDF has no text layer (scanned?): its pages need OCR before they can be read")
    return LoadedText(pages, paged=True)


def _load_docx(data: bytes) -> LoadedText:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise Unreadable("not a valid Word .docx document") from None
    except Exception as err:
        raise Unreadable(f"damaged Word document ({type(err).__name__})") from None
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(_docx_paragraph_text(child))
        elif tag == "tbl":
            for row in child.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tr"):
                cells = ["".join(t.text or "" for t in cell.iter(_W + "t")).strip()
                         for cell in row.iter(_W + "tc")]
                lines.append(" | ".join(c for c in cells if c))
    text = "\n\n".join(line for line in lines if line.strip())
    if not text.strip():
        raise Unreadable("Word document has no text")
    return LoadedText([text], paged=False)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_paragraph_text(p) -> str:
    text = "".join(t.text or "" for t in p.iter(_W + "t"))
    style = p.find(f"{_W}pPr/{_W}pStyle")
    style_id = style.get(_W + "val") if style is not None else ""
    numbered = p.find(f"{_W}pPr/{_W}numPr") is not None
    if text.strip() and ("List" in (style_id or "") or numbered) and "Number" not in (style_id or ""):
        return "• " + text.strip()
    return text


# ---- HTML -------------------------------------------------------------------------------

_NOISE_TAGS = ["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "iframe", "svg"]
_NOISE_HINT = re.compile(r"nav|breadcrumb|cookie|footer|menu|sidebar|skip|banner|header|share|search", re.I)
_CONTENT_SELECTORS = ["#mgContent", "main", "article", "[role=main]", "#content", ".content", "body"]
_BLOCKS = ["p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "dt", "dd", "pre", "blockquote", "div", "td", "th"]


def html_to_text(html: str) -> str:
    """The content of a council web page as lines of text: headings, paragraphs, '• ' bullets."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for tag in soup(_NOISE_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed or tag.name in ("html", "body", "main", "article"):
            continue
        marks = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
        if marks and _NOISE_HINT.search(marks) and tag.get("id") != "mgContent":
            tag.decompose()
    content = next((found for sel in _CONTENT_SELECTORS if (found := soup.select_one(sel))), soup)
    lines: list[str] = []
    for block in content.find_all(_BLOCKS):
        if block.find(_BLOCKS):  # only leaf blocks, so nested text is emitted once
            continue
        text = " ".join(block.get_text(" ").split())
        if not text:
            continue
        if block.name == "li":
            text = "• " + text
        lines.append(text)
    if not lines:
        lines = [" ".join(content.get_text(" ").split())]
    return "\n\n".join(lines)
