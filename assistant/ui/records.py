"""Open record: the web routes that show a cited passage inside its record and serve the original file.

A record is found only through a passage id the index holds, so no path from the address bar
is ever opened: only files that are sources in the index, readable by the request's role (public
unless an officer's session cookie comes with it), are served; an officer sees restricted passages
marked RESTRICTED. The record page is built from the indexed text, escaped; an original HTML or DOCX file
is offered as a download, never rendered in the chat's origin.
"""

from __future__ import annotations

import html

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from assistant.answer import human_date
from assistant.engine import Engine
from assistant.ui.login import Sessions, role_of

# the record page holds no script and loads nothing; a served file cannot run one either
PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; frame-ancestors 'self'"
FILE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
INLINE = {".pdf": "application/pdf", ".txt": "text/plain; charset=utf-8", ".md": "text/plain; charset=utf-8"}
PAGE_CSS = """body{font:16px/1.55 system-ui,sans-serif;max-width:52rem;margin:1.5rem auto;padding:0 1rem;color:#111827}
section{white-space:pre-wrap;border-left:3px solid #d1d5db;padding:.2rem .8rem;margin:.8rem 0}
section.target{border-left-color:#1e40af;background:#eff6ff}mark{background:#fde68a;color:#111827}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem}dt{font-weight:600}a{color:#1e40af}"""


def _missing(status: int = 404, why: str = "No such record in the index.") -> Response:
    return HTMLResponse(f"<!doctype html><title>Not available</title><p>{why}</p>", status_code=status,
                        headers={"Content-Security-Policy": PAGE_POLICY})


def record_page(engine: Engine, passage_id: str, role: str = "public") -> Response:
    """The record of a passage as a page for `role`, its text escaped and the passage marked; 404 when the
    passage is unknown, not for `role` or its file gone. Restricted passages show (marked RESTRICTED) only
    to an officer, and the original file is not offered when part of the record is restricted for `role`."""
    found = engine.record(passage_id, role)
    if found is None:
        return _missing()
    target, passages, path = found
    e = html.escape
    facts = [("Council", target.council), ("Committee", target.committee), ("Meeting", human_date(target.date)),
             ("Document", target.doc_type), ("Source", target.source)]
    rows = "".join(f"<dt>{e(k)}</dt><dd>{e(str(v)) if v else 'not stated'}</dd>" for k, v in facts)
    sections = []
    for p in passages:
        head = " · ".join(x for x in (f"item {p.item}" if p.item else None, p.title if p.title != target.title else None,
                                      f"page {p.page}" if p.page else None) if x)
        if p.access != "public":  # only an officer gets here with such a passage
            head = f"RESTRICTED{' · ' + head if head else ''}"
        label = f"<b>{e(head)}</b>\n" if head else ""
        if p.passage_id == target.passage_id:
            sections.append(f"<section id='passage' class='target' aria-label='cited passage'>{label}<mark>{e(p.text)}</mark></section>")
        else:
            sections.append(f"<section>{label}{e(p.text)}</section>")
    original = (f"<p><a href='/record/{e(target.passage_id)}/file'>Original file ({e(path.suffix.lstrip('.') or 'file')})</a></p>"
                if path else "<p>Part of this record is restricted, so the original file is not offered.</p>")
    body = (f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{e(target.title or target.source)} — Minute Book</title><style>{PAGE_CSS}</style></head><body>"
            f"<h1>{e(target.title or target.source)}</h1><dl>{rows}</dl>{original}"
            f"{''.join(sections)}</body></html>")
    return HTMLResponse(body, headers={"Content-Security-Policy": PAGE_POLICY, "X-Content-Type-Options": "nosniff",
                                       "Cache-Control": "private, no-store"})


def record_file(engine: Engine, passage_id: str, role: str = "public") -> Response:
    """The original file of a passage's record for `role`: PDF, text and Markdown inline, others downloaded;
    404 when the passage is unknown, not for `role` or its file gone; 403 when part of the record is
    restricted for `role`."""
    found = engine.record(passage_id, role)
    if found is None:
        return _missing()
    path = found[2]
    if path is None:
        return _missing(403, "Part of this record is restricted, so the original file is not offered.")
    media = INLINE.get(path.suffix.lower())
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"}
    if path.suffix.lower() != ".pdf":  # a sandbox policy would stop the browser's PDF viewer
        headers["Content-Security-Policy"] = FILE_POLICY
    if media:
        return FileResponse(path, media_type=media, headers=headers, content_disposition_type="inline",
                            filename=path.name)
    return FileResponse(path, media_type="application/octet-stream", headers=headers, filename=path.name)


def add_routes(app: FastAPI, engine: Engine, sessions: Sessions | None = None) -> None:
    """/record/ID and /record/ID/file, read as the role of the request's session (public without one)."""
    def page(passage_id: str, request: Request) -> Response:
        """GET /record/ID: the record page, read as the role of this request."""
        return record_page(engine, passage_id, role_of(sessions, request))

    def original(passage_id: str, request: Request) -> Response:
        """GET /record/ID/file: the original file, read as the role of this request."""
        return record_file(engine, passage_id, role_of(sessions, request))

    app.add_api_route("/record/{passage_id}", page, methods=["GET"], include_in_schema=False)
    app.add_api_route("/record/{passage_id}/file", original, methods=["GET"], include_in_schema=False)
