"""The Gradio chat: questions in, cited answers or passage lists out, with filters, evidence, timelines and uploads.

Thin on purpose: searching and answering are the Engine's, a conversation's logic is in
`chat`, text and escaping in `render`, Open record in `records`, uploads in `uploads`, the
typed `/ask` and `/search` API in `api`. This module lays out the page and wires its events.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import gradio as gr
import pandas as pd

from assistant.answer import human_date
from assistant.engine import Engine
from assistant.filters import Filters
from assistant.periods import PeriodError
from assistant.ui import api, assets, chat, login, render, timeline, uploads
from assistant.ui.chat import ANY, Conversation
from assistant.ui.login import OFFICER, Sessions, audit, role_of

log = logging.getLogger("assistant.ui")
PER_PAGE = 10
SEARCHING = '<span class="searching" role="status">Searching the records…</span>'
SORRY = "Sorry, something went wrong while searching the records. Please try again, or rephrase the question."
PLACEHOLDER = "Ask about the council meetings…"


def facts_of(engine: Engine) -> dict:
    """What the archive holds, as engine.facts() gives it; an index that cannot be read gives empty facts
    (logged), not an error."""
    try:
        return engine.facts()
    except Exception:  # an unreadable index still gives a page that says so
        log.exception("reading the archive's facts failed")
        return {"records": 0, "passages": 0, "councils": [], "committees": [], "dates": {}, "titles": []}


def facts_html(facts: dict) -> str:
    """The Archive tab's list of what the archive holds: records, passages, councils, committees, the span of
    meetings and the last update, every name escaped."""
    dates = facts.get("dates") or {}
    span = f"{dates.get('first')} to {dates.get('last')}" if dates.get("first") else "no dated records"
    councils = ", ".join(map(render.esc, facts.get("councils") or [])) or "none yet"
    committees = ", ".join(map(render.esc, facts.get("committees") or [])) or "none yet"
    return (f"<dl class='facts'><dt>Records</dt><dd>{facts.get('records', 0)} records, {facts.get('passages', 0)} passages</dd>"
            f"<dt>Councils ({len(facts.get('councils') or [])})</dt><dd>{councils}</dd>"
            f"<dt>Committees ({len(facts.get('committees') or [])})</dt><dd>{committees}</dd>"
            f"<dt>Meetings</dt><dd>{render.esc(span)}</dd>"
            f"<dt>Last update</dt><dd>{render.esc(facts.get('updated') or 'unknown')}</dd></dl>")


def welcome_markdown(facts: dict) -> str:
    """What the archive holds, shown in the empty chat (and again after Clear)."""
    dates = facts.get("dates") or {}
    councils = facts.get("councils") or []
    committees = facts.get("committees") or []
    span = (f"meetings from {human_date(dates['first'])} to {human_date(dates['last'])}" if dates.get("first")
            else "no dated meetings")
    names = render.chat_text("; ".join(councils)) if councils else "none yet"
    return (f"### What the archive holds\n\n**{facts.get('records', 0)} records** ({facts.get('passages', 0)} passages) "
            f"from **{len(councils)} councils** ({names}) and **{len(committees)} committees**; {span}. "
            f"Last updated {render.chat_text(facts.get('updated') or 'unknown')}.\n\n"
            f"Every sentence of an answer cites the minutes or reports it comes from: click **[1]** to see the passage. "
            f"**Passages** mode lists every passage about a topic. Try an example below the question box.")


def filters_label(filters: Filters | None, problem: str | None = None) -> str:
    """The Filters accordion's title: none, the scope in plain words, or that a date was not understood (`problem`)."""
    if problem:
        return "Filters — date not understood"
    if filters is None or filters == Filters():
        return "Filters — none (all councils, committees, dates)"
    return "Filters — " + render.scope_line(filters).removeprefix("Searched: ")


def _export(text: str, name: str) -> str:
    path = Path(tempfile.mkdtemp(prefix="minutebook-export-")) / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _plot_value(hits) -> pd.DataFrame:
    return timeline.meetings(hits)


def visible(hits, role: str):
    """The hits a reader of `role` may see (a panel redrawn after signing out shows no restricted passage)."""
    return hits if role == OFFICER else [h for h in hits if h.passage.access == "public"]


def build(engine: Engine, allow_upload: bool = False, sessions: Sessions | None = None) -> gr.Blocks:
    """The page; `sessions` says who is signed in as an officer (None: everyone is public, nobody uploads)."""
    facts = facts_of(engine)  # the page as the public sees it; an officer's view differs only in the answers
    councils, committees = facts.get("councils") or [], facts.get("committees") or []

    with gr.Blocks(title="Minute Book assistant") as demo:
        conv = gr.State(Conversation())
        pending = gr.State(None)
        page_no = gr.State(1)
        gr.HTML("<h1 style='margin:.2em 0;font-size:1.5em'>Minute Book assistant</h1>")
        signing_in = bool(sessions and sessions.officers)
        account = gr.HTML(login.account_html(None, signing_in), elem_id="account")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=320):
                chatbot = gr.Chatbot(show_label=False, elem_id="chat", height=480, label="Conversation",
                                     sanitize_html=True, autoscroll=True, buttons=["copy"],
                                     placeholder=welcome_markdown(facts))
                with gr.Row(equal_height=True):
                    box = gr.Textbox(label="Your question", show_label=False, placeholder=PLACEHOLDER, elem_id="question",
                                     scale=5, lines=1, max_lines=4, autofocus=True, submit_btn=False)
                    send = gr.Button("Ask", variant="primary", scale=1, min_width=80, elem_id="ask-button")
                with gr.Row(equal_height=True):
                    mode = gr.Radio(["Answer", "Passages"], value="Answer", label="Mode", elem_id="mode", scale=3)
                    clear = gr.Button("Clear", variant="secondary", scale=1, min_width=80, elem_id="clear-button")
                    export_answer = gr.DownloadButton("Export answer (Markdown)", visible=False, scale=2,
                                                      elem_id="export-answer")
                gr.Examples(chat.example_questions(facts), inputs=box, label="Examples")
            with gr.Column(scale=2, min_width=320):
                with gr.Accordion(filters_label(None), open=False, elem_id="filters") as accordion:
                    council = gr.Dropdown([ANY, *councils], value=ANY, label="Council", elem_id="council-filter")
                    committee = gr.Dropdown([ANY, *committees], value=ANY, label="Committee", elem_id="committee-filter")
                    with gr.Row():
                        since = gr.Textbox(label="From (2021, 2019-2021, 2021-06 or 2021-06-08)", elem_id="since-filter",
                                           min_width=140)
                        until = gr.Textbox(label="To", elem_id="until-filter", min_width=140)
                    decisions = gr.Checkbox(label="Decisions only", elem_id="decisions-filter")
                    filter_status = gr.HTML(elem_id="filter-status")
                with gr.Tabs(elem_id="panels") as tabs:
                    with gr.Tab("Evidence", id="evidence"):
                        evidence = gr.HTML(render.evidence_panel([]), elem_id="citations")
                    with gr.Tab("Passages", id="passages"):
                        listing = gr.HTML(render.passages_panel([], 1, PER_PAGE, ""), elem_id="passages")
                        with gr.Row():
                            previous = gr.Button("Previous page", size="sm", elem_id="page-previous")
                            following = gr.Button("Next page", size="sm", elem_id="page-next")
                        with gr.Row():
                            export_csv = gr.DownloadButton("Export CSV", visible=False, size="sm", elem_id="export-csv")
                            export_md = gr.DownloadButton("Export Markdown", visible=False, size="sm", elem_id="export-md")
                    with gr.Tab("Timeline", id="timeline"):
                        plot = gr.ScatterPlot(_plot_value([]), x="date", y="passages", color="council", elem_id="timeline-plot",
                                              label="Meetings that discussed the topic (select a span to list them)",
                                              x_title="meeting date", y_title="passages on the topic",
                                              x_axis_format="%b %Y", x_label_angle=-40, y_lim=[0, 5],
                                              tooltip=["meeting", "passages"])
                        meeting = gr.Dropdown([], label="Meeting", elem_id="timeline-meeting", allow_custom_value=False)
                        meeting_passages = gr.HTML(elem_id="timeline-passages")
                    with gr.Tab("Archive", id="archive"):
                        archive_facts = gr.HTML(facts_html(facts), elem_id="archive-facts")
                        if allow_upload:
                            with gr.Group(visible=False) as upload_group:  # shown to a signed-in officer
                                files = gr.File(label="Add records (.txt .md .html .pdf .docx, or a .zip of them)",
                                                file_count="multiple", elem_id="upload")  # any file: each gets its result
                                add = gr.Button("Add to the archive", variant="primary", elem_id="upload-button")
                                upload_results = gr.HTML(elem_id="upload-results")
        api.add_endpoints(engine, sessions)

        filter_inputs = [council, committee, since, until, decisions]

        def show_filters(*values):
            """Retitle the Filters accordion and state the scope, or say (escaped) why a date is not understood."""
            try:
                filters = chat.read_filters(*values)
            except PeriodError as err:
                return gr.Accordion(label=filters_label(None, str(err))), f"<p class='filter-error' role='alert'>{render.esc(err)}</p>"
            return gr.Accordion(label=filters_label(filters)), f"<p role='status'>{render.esc(render.scope_line(filters))}</p>"

        # one queue for every filter event, so the label shows the last change made, not whichever finished last
        shown = dict(fn=show_filters, inputs=filter_inputs, outputs=[accordion, filter_status], api_visibility="private",
                     concurrency_id="filters", concurrency_limit=1)
        for component in (council, committee, decisions):
            component.change(**shown)
        for component in (since, until):
            component.blur(**shown)
            component.submit(**shown)

        def start(message, history, *values):
            """Show the question at once with a searching note, and hold the box until the answer comes."""
            message = (message or "").strip()
            history = list(history or [])
            if not message:
                return history, gr.update(), gr.update(), None, gr.update(), gr.update()
            try:
                filters = chat.read_filters(*values)
            except PeriodError as err:  # the question stays in the box; the filter says what is wrong
                gr.Warning(str(err))
                return (history, gr.update(), gr.update(), None, gr.Accordion(label=filters_label(None, str(err)), open=True),
                        f"<p class='filter-error' role='alert'>{render.esc(err)}</p>")
            history += [{"role": "user", "content": render.chat_text(message)},
                        {"role": "assistant", "content": SEARCHING}]
            return (history, gr.Textbox(value="", interactive=False), gr.Button(interactive=False), (message, filters),
                    gr.Accordion(label=filters_label(filters)),
                    f"<p role='status'>{render.esc(render.scope_line(filters))}</p>")  # an old date error goes

        def finish(job, history, state: Conversation, mode_value, request: gr.Request):
            """Answer the held question in this request's role; a public reader's restricted cards are dropped."""
            ready = (gr.Textbox(interactive=True), gr.Button(interactive=True))
            if job is None:
                return (history, state, *([gr.update()] * 10), *ready)
            message, filters = job
            filters = filters.with_(role=role_of(sessions, request))  # from this request's session, nothing else
            if filters.role != OFFICER:  # an officer's session that ran out: its earlier cards are not redrawn
                state.answers = [a for a in state.answers if all(h.passage.access == "public" for h in a["result"].citations)]
            history = list(history or [])
            try:
                turn = chat.ask(engine, state, message, mode_value, filters)
            except Exception:  # the chat shows a sentence, the log keeps the traceback
                log.exception("answering failed")
                history[-1] = {"role": "assistant", "content": SORRY}
                return (history, state, *([gr.update()] * 10), *ready)
            history[-1] = {"role": "assistant", "content": turn.message}
            frame = _plot_value(state.timeline)
            meetings = timeline.choices(frame)
            top = int(frame["passages"].max()) + 1 if len(frame) else 5
            common = [gr.ScatterPlot(value=frame, y_lim=[0, top]), gr.Dropdown(choices=meetings, value=None), ""]
            if turn.kind == "passages":
                csv_file = _export(render.passages_csv(turn.hits), "passages.csv")
                md_file = _export(render.passages_markdown(turn.hits, turn.query, turn.filters), "passages.md")
                return (history, state, gr.update(), render.passages_panel(turn.hits, 1, PER_PAGE, turn.query), 1,
                        gr.DownloadButton(value=csv_file, visible=bool(turn.hits)),
                        gr.DownloadButton(value=md_file, visible=bool(turn.hits)), gr.update(),
                        gr.Tabs(selected="passages"), *common, *ready)
            answer_file = _export(render.answer_markdown(turn.result, turn.filters), "answer.md")
            return (history, state, render.evidence_panel(state.answers), gr.update(), gr.update(), gr.update(), gr.update(),
                    gr.DownloadButton(value=answer_file, visible=True),
                    gr.Tabs(selected="evidence"),
                    *common, *ready)

        start_io = ([box, chatbot, *filter_inputs], [chatbot, box, send, pending, accordion, filter_status])
        finish_io = ([pending, chatbot, conv, mode],
                     [chatbot, conv, evidence, listing, page_no, export_csv, export_md, export_answer, tabs,
                      plot, meeting, meeting_passages, box, send])
        for trigger in (send.click, box.submit):
            trigger(start, *start_io, api_visibility="private", concurrency_limit=None, show_progress="hidden").then(
                finish, *finish_io, api_visibility="private", show_progress="hidden")

        def turn_page(state: Conversation, page: int, step: int, request: gr.Request | None = None):
            """The passage list moved `step` pages (within range), showing only what this request's role may see."""
            listed = visible(state.listing, role_of(sessions, request))
            pages = max(1, -(-len(listed) // PER_PAGE))
            page = min(max(page + step, 1), pages)
            return render.passages_panel(listed, page, PER_PAGE, state.listing_query), page

        def page_back(state: Conversation, page: int, request: gr.Request):
            """The previous page of the passage list."""
            return turn_page(state, page, -1, request)

        def page_on(state: Conversation, page: int, request: gr.Request):
            """The next page of the passage list."""
            return turn_page(state, page, 1, request)

        previous.click(page_back, [conv, page_no], [listing, page_no], api_visibility="private")
        following.click(page_on, [conv, page_no], [listing, page_no], api_visibility="private")

        def show_meeting(key, state: Conversation, request: gr.Request):
            """The passages of the meeting chosen in the Timeline list that this role may see; "" for none."""
            hits = visible(timeline.of_meeting(state.timeline, key), role_of(sessions, request))
            if not hits:
                return ""
            p = hits[0].passage
            where = " · ".join(x for x in (human_date(p.date), p.committee, p.council) if x)
            return render.passages_panel(hits, 1, 50, "", heading=f"{len(hits)} on the topic from {where}")

        def show_span(state: Conversation, evt: gr.SelectData, request: gr.Request):
            """The passages of meetings in the date span brushed on the chart that this role may see; "" for none."""
            span = evt.index if isinstance(evt.index, (list, tuple)) and len(evt.index) == 2 else None
            hits = visible(timeline.in_span(state.timeline, *span) if span else [], role_of(sessions, request))
            return render.passages_panel(hits, 1, 50, "", heading=f"{len(hits)} on the topic between the dates selected") \
                if hits else ""

        meeting.change(show_meeting, [meeting, conv], [meeting_passages], api_visibility="private")
        plot.select(show_span, [conv], [meeting_passages], api_visibility="private")

        def clear_all():
            """Reset the conversation, panels, exports, timeline and filters, and free the question box."""
            return ([], Conversation(), None, render.evidence_panel([]), render.passages_panel([], 1, PER_PAGE, ""), 1,
                    gr.DownloadButton(visible=False), gr.DownloadButton(visible=False), gr.DownloadButton(visible=False),
                    gr.ScatterPlot(value=_plot_value([])), gr.Dropdown(choices=[], value=None), "",
                    ANY, ANY, "", "", False, gr.Accordion(label=filters_label(None)), "",
                    gr.Textbox(value="", interactive=True), gr.Button(interactive=True), gr.Tabs(selected="evidence"))

        cleared = [chatbot, conv, pending, evidence, listing, page_no, export_csv, export_md, export_answer,
                                      plot, meeting, meeting_passages, *filter_inputs, accordion, filter_status,
                                      box, send, tabs]
        clear.click(clear_all, None, cleared, api_visibility="private")
        chatbot.clear(clear_all, None, cleared, api_visibility="private")  # the chat's own bin button resets all too

        def on_load(request: gr.Request):
            """Who is reading, and for an officer the upload form."""
            name = sessions.officer(request) if sessions else None
            return (login.account_html(name, signing_in), *([gr.Group(visible=bool(name))] if allow_upload else []))

        demo.load(on_load, None, [account, *([upload_group] if allow_upload else [])], api_visibility="private")

        if allow_upload:
            def add_files(paths, request: gr.Request, progress=gr.Progress()):
                """Save and index an officer's uploads (audited), refreshing the facts; anyone else is refused."""
                officer = sessions.officer(request) if sessions else None
                if officer is None:  # the form is hidden from the public; a crafted request is refused too
                    audit.warning("upload refused: not signed in as an officer")
                    return ("<p role='alert'>Only a signed-in officer can add records.</p>", *([gr.update()] * 4))
                if not paths:
                    return "<p role='status'>Choose one or more files first.</p>", *([gr.update()] * 4)
                progress(0, desc="Saving")
                saved = uploads.save([str(p) for p in paths], engine.archive.index_dir / uploads.FOLDER)
                rows = uploads.ingest(engine, saved, progress=progress)
                for row in rows:
                    # %r: a file name from a zip may hold a line break, which must not forge a log line
                    audit.info("upload by %s: %r: %s %r", officer, row["file"], row["result"], row["detail"] or "")
                table = "".join(f"<tr><td>{render.esc(r['file'])}</td><td>{render.esc(r['result'])}</td>"
                                f"<td>{render.esc(r['detail'])}</td></tr>" for r in rows)
                fresh = facts_of(engine)
                return (f"<table class='upload-results' role='status'><tr><th>File</th><th>Result</th><th>Detail</th></tr>"
                        f"{table}</table>", facts_html(fresh), gr.Chatbot(placeholder=welcome_markdown(fresh)),
                        gr.Dropdown(choices=[ANY, *fresh["councils"]]), gr.Dropdown(choices=[ANY, *fresh["committees"]]))

            add.click(add_files, [files], [upload_results, archive_facts, chatbot, council, committee],
                      api_visibility="private")
    api.strict_arguments(demo)
    return demo


def launch(index_dir: str, host: str, port: int, chroma_url: str | None = None, generator: str | None = None,
           allow_upload: bool = False, officers=None) -> None:
    """Serve the chat; `officers` (assistant.officers.Officers) may sign in at /login, everyone else is public."""
    import uvicorn
    from fastapi import FastAPI

    from assistant.ui import records

    _log_audit()
    engine = Engine(index_dir, chroma_url, generator=generator)
    sessions = Sessions(officers)
    demo = build(engine, allow_upload=allow_upload, sessions=sessions)
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    login.add_routes(app, sessions)
    login.officers_only_uploads(app, sessions)
    records.add_routes(app, engine, sessions)  # before the Gradio mount, so /record/… is ours
    app = gr.mount_gradio_app(app, demo, path="/", css=assets.CSS, theme=assets.theme(), head=assets.HEAD,
                              show_error=False, max_file_size="100mb", server_name=host, server_port=port)
    print(f"Minute Book chat on http://{host}:{port}/" + (" (uploads on, for officers)" if allow_upload else "")
          + (f"; {len(sessions.officers.hashes)} officers can sign in at /login" if sessions.officers else
             "; officer sign-in not set up (everyone reads as the public)"), flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _log_audit() -> None:
    """Sign-ins, refusals and uploads go to stderr with a time, whatever the root logger does."""
    if not audit.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s audit %(levelname)s %(message)s"))
        audit.addHandler(handler)
        audit.setLevel(logging.INFO)
