"""The Gradio chat: questions in, cited answers out, with filters and the cited passages shown.

Thin on purpose: all searching and answering is the Engine's. Also exposes `ask` as a named
API endpoint returning the same JSON as `python -m assistant ask --json`.
"""

from __future__ import annotations

import html
import logging

import gradio as gr

from assistant.answer import Answer, human_date
from assistant.engine import Engine
from assistant.filters import Filters
from assistant.metadata import iso_date

log = logging.getLogger("assistant.ui")
ANY = "Any"
EXAMPLES = [
    "What did the scrutiny committee resolve about the Ofsted improvement plan?",
    "How has social worker recruitment been discussed since 2020?",
    "When did Ofsted carry out its monitoring visit?",
]
CSS = ".citation {border-left: 3px solid #6b7280; padding-left: .6em; margin: .4em 0;} .citation small {color: #4b5563;}"


def citation_header(n: int, passage) -> str:
    parts = [passage.council, passage.committee, human_date(passage.date),
             f"item {passage.item}" if passage.item else None, f"page {passage.page}" if passage.page else None]
    where = " · ".join(html.escape(p) for p in parts if p)
    flag = " · decision" if passage.is_decision else ""
    return f"[{n}] {where or 'unknown meeting'}{flag}"


def message_text(content) -> str | None:
    """A chat message's text: Gradio 6 hands the Chatbot's messages back as [{"type": "text", "text": ...}]."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [c.get("text") for c in content if isinstance(c, dict) and c.get("type") == "text" and c.get("text")]
        return " ".join(parts) or None
    return None


def render_citations(result: Answer) -> str:
    if not result.citations:
        return "_No passages._"
    blocks = []
    for n, hit in enumerate(result.citations, start=1):
        p = hit.passage
        title = f"<br><small>{html.escape(p.title)}</small>" if p.title else ""
        blocks.append(f"<div class='citation' id='citation-{n}'><b>{citation_header(n, p)}</b>{title}"
                      f"<br><small>{html.escape(p.source)}</small>"
                      f"<blockquote>{html.escape(p.text)}</blockquote></div>")
    return "\n".join(blocks)


def render_answer(result: Answer) -> str:
    lines = [result.text, "", "**Sources**" if not result.abstained else "**Nearest passages**"]
    for n, hit in enumerate(result.citations, start=1):
        snippet = " ".join(hit.passage.text.split())
        snippet = snippet if len(snippet) <= 220 else snippet[:217] + "…"
        lines.append(f"- **{citation_header(n, hit.passage)}** — {html.escape(hit.passage.source)}<br>“{html.escape(snippet)}”")
    return "\n".join(lines)


def build(engine: Engine) -> gr.Blocks:
    try:
        councils = engine.archive.store.distinct("council")
        committees = engine.archive.store.distinct("committee")
    except Exception:  # an unreadable index still gives a working page that says so on use
        councils, committees = [], []

    def filters_from(council, committee, since, until, decisions) -> Filters:
        return Filters(council=None if council in (None, ANY) else council,
                       committee=None if committee in (None, ANY) else committee,
                       since=iso_date(since) if since and since.strip() else None,
                       until=iso_date(until) if until and until.strip() else None,
                       decisions_only=bool(decisions))

    def respond(message, history, council, committee, since, until, decisions):
        history = list(history or [])
        message = (message or "").strip()
        if not message:
            return history, gr.update(), ""
        history.append({"role": "user", "content": message})
        try:
            asked = [text for m in history[:-1] if m.get("role") == "user" and (text := message_text(m.get("content")))]
            result = engine.ask(message, filters=filters_from(council, committee, since, until, decisions), history=asked)
            history.append({"role": "assistant", "content": render_answer(result)})
            panel = render_citations(result)
        except Exception:  # the chat shows a sentence, the log keeps the traceback
            log.exception("answering failed")
            history.append({"role": "assistant", "content": "Sorry, something went wrong while searching the records. "
                            "Please try again, or rephrase the question."})
            panel = ""
        return history, panel, ""

    def ask_api(question: str) -> dict:
        """Answer a question from the records; the same JSON object as `ask --json`."""
        try:
            return engine.ask(question or "").to_json()
        except Exception as err:
            log.exception("api ask failed")
            return {"question": question, "answer": "", "abstained": True, "citations": [], "error": str(err)}

    with gr.Blocks(title="Minute Book assistant") as demo:
        gr.Markdown("## Minute Book assistant\nAsk about council meetings: every sentence of the answer cites the "
                    "minutes or reports it comes from.")
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(label="Conversation", elem_id="chat", height=520)
                with gr.Row():
                    box = gr.Textbox(placeholder="e.g. What did the Executive order about the improvement plan?",
                                     show_label=False, scale=5, elem_id="question")
                    send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask-button")
                gr.Examples(EXAMPLES, inputs=box)
            with gr.Column(scale=2):
                with gr.Accordion("Filters", open=False):
                    council = gr.Dropdown([ANY, *councils], value=ANY, label="Council", elem_id="council-filter")
                    committee = gr.Dropdown([ANY, *committees], value=ANY, label="Committee", elem_id="committee-filter")
                    since = gr.Textbox(label="From (YYYY-MM-DD)", elem_id="since-filter")
                    until = gr.Textbox(label="To (YYYY-MM-DD)", elem_id="until-filter")
                    decisions = gr.Checkbox(label="Decisions only", elem_id="decisions-filter")
                gr.Markdown("### Cited passages")
                panel = gr.HTML(elem_id="citations")
        inputs = [box, chatbot, council, committee, since, until, decisions]
        send.click(respond, inputs, [chatbot, panel, box], api_visibility="private")
        box.submit(respond, inputs, [chatbot, panel, box], api_visibility="private")
        gr.api(ask_api, api_name="ask")
    return demo


def launch(index_dir: str, host: str, port: int, chroma_url: str | None = None, generator: str | None = None) -> None:
    engine = Engine(index_dir, chroma_url, generator=generator)
    demo = build(engine)
    demo.queue().launch(server_name=host, server_port=port, css=CSS, show_error=False, quiet=False)
