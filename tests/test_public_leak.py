"""The public never receives a restricted passage, whichever way it asks (issue 18).

Every public path is asked the exempt questions (and the opening words of every restricted passage), and
nothing it returns may hold a run of eight words that only restricted passages contain. The same questions
asked as an officer do return those passages, so the questions reach them and the check could fail.
"""

from __future__ import annotations

import json
import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from conftest import officer_cookie, run_cli

from assistant.filters import Filters
from assistant.ui import chat, records, render
from assistant.ui.chat import Conversation
from assistant.ui.login import COOKIE, Sessions

EXEMPT_QUESTIONS = [
    "What did the Executive decide about buying the former Crossways bus depot?",
    "How much will the land for the Hatherley Down solar farm cost?",
    "What did the Cabinet resolve about acquiring a property for a children's home?",
    "Who was awarded the secondary alternative provision contract and at what price?",
    "How has the alternative provision contract been discussed since 2021?",  # a timeline
    "Compare Harbourside and Kingsmere on buying property",  # a comparison of named councils
    "Which councils discussed acquiring land or property?",  # a comparison across councils
    "What was said about the bus depot purchase price on the moon?",  # an abstention: nearest passages
]
SHINGLE = 8


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9£]+", text.lower())


def shingles(text: str) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i:i + SHINGLE]) for i in range(max(len(w) - SHINGLE + 1, 0))}


@pytest.fixture(scope="module")
def secrets(corpus_engine) -> dict:
    """The restricted passages, and the runs of words only they contain (what must never reach the public)."""
    db = corpus_engine.archive.store.db
    restricted = [r[0] for r in db.execute("SELECT text FROM passages WHERE access != 'public'")]
    public = set().union(*(shingles(r[0]) for r in db.execute("SELECT text FROM passages WHERE access = 'public'")))
    only = set().union(*(shingles(t) for t in restricted)) - public
    ids = [r[0] for r in db.execute("SELECT passage_id FROM passages WHERE access != 'public'")]
    assert len(restricted) >= 10 and len(only) > 500, "the demo corpus has exempt items to protect"
    probes = [" ".join(t.split()[:12]) for t in restricted if len(t.split()) >= 8]
    return {"shingles": only, "ids": set(ids), "probes": probes}


def leaks(secrets: dict, text: str) -> list[str]:
    return [" ".join(s) for s in shingles(text) & secrets["shingles"]][:3]


def questions(secrets: dict) -> list[str]:
    return EXEMPT_QUESTIONS + secrets["probes"]


def test_officers_do_get_the_restricted_passages(corpus_engine, secrets):
    """So the questions reach the exempt items: the public checks below could fail."""
    officer = Filters(role="officer")
    found = set()
    for q in questions(secrets):
        found |= {h.passage.passage_id for h in corpus_engine.search(q, k=10, filters=officer)}
    assert len(found & secrets["ids"]) >= len(secrets["ids"]) * 0.8
    answer = corpus_engine.ask(EXEMPT_QUESTIONS[0], filters=officer)
    assert any(h.passage.access == "restricted" for h in answer.citations)
    assert "RESTRICTED" in render.answer_message(answer, 1, officer, False)  # marked for the officer


def test_public_search_ask_and_passages_return_no_restricted_text(corpus_engine, secrets):
    for q in questions(secrets):
        for hit in corpus_engine.search(q, k=20) + corpus_engine.passages(q):
            assert hit.passage.access == "public" and not leaks(secrets, hit.passage.text), (q, hit.passage.text[:80])
        answer = corpus_engine.ask(q)
        shown = answer.text + " ".join(h.passage.text for h in answer.citations)
        assert not leaks(secrets, shown), (q, leaks(secrets, shown))
        assert all(h.passage.access == "public" for h in answer.citations), q


def test_the_chat_its_panels_and_exports_show_no_restricted_text(corpus_engine, secrets):
    conv = Conversation()
    for q in EXEMPT_QUESTIONS:
        for mode in ("Answer", "Passages"):
            turn = chat.ask(corpus_engine, conv, q, mode, Filters())
            shown = [turn.message, render.evidence_panel(conv.answers), render.passages_panel(conv.listing, 1, 50, q),
                     render.passages_csv(conv.listing), render.passages_markdown(conv.listing, q, turn.filters)]
            if turn.result is not None:
                shown.append(render.answer_markdown(turn.result, turn.filters))
            shown.append(render.passages_panel(conv.timeline, 1, 50, q))
            for text in shown:
                assert not leaks(secrets, text), (q, mode, leaks(secrets, text))


def test_stats_and_the_welcome_count_only_public_records(corpus_engine, secrets):
    db = corpus_engine.archive.store.db
    whole = {r[0] for r in db.execute("SELECT source FROM passages GROUP BY source HAVING max(access) = min(access) "
                                      "AND min(access) = 'restricted'")}
    assert whole, "the demo corpus has a record that is all restricted"
    public, officer = corpus_engine.facts(), corpus_engine.facts("officer")
    assert public["records"] == officer["records"] - len(whole)
    assert public["passages"] == officer["passages"] - len(secrets["ids"])
    assert officer["restricted"] == {"passages": len(secrets["ids"]), "records": len(whole) + 3}
    assert not leaks(secrets, json.dumps(public))
    cli = run_cli("stats", "--json", "--index", str(corpus_engine.archive.index_dir))
    assert json.loads(cli.stdout)["records"] == public["records"] and "restricted" not in json.loads(cli.stdout)


def test_open_record_serves_restricted_passages_only_to_an_officer(corpus_engine, secrets):
    sessions = Sessions()
    app = FastAPI()
    records.add_routes(app, corpus_engine, sessions)
    client = TestClient(app)
    for pid in sorted(secrets["ids"]):
        assert client.get(f"/record/{pid}").status_code == 404
        assert client.get(f"/record/{pid}/file").status_code == 404
    mixed = corpus_engine.archive.store.db.execute(
        "SELECT passage_id FROM passages WHERE access = 'public' AND source IN "
        "(SELECT source FROM passages WHERE access != 'public')").fetchall()
    for (pid,) in mixed:
        page = client.get(f"/record/{pid}")
        assert page.status_code == 200 and not leaks(secrets, page.text)
    client.cookies.set(COOKIE, sessions.start("clerk"))  # an officer's session
    officer_page = client.get(f"/record/{sorted(secrets['ids'])[0]}")
    assert officer_page.status_code == 200 and "RESTRICTED" in officer_page.text and leaks(secrets, officer_page.text)


def test_the_command_line_search_as_public_returns_no_restricted_text(corpus_engine, secrets, tmp_path):
    index = str(corpus_engine.archive.index_dir)
    queries = tmp_path / "exempt.jsonl"
    queries.write_text("".join(json.dumps({"id": n, "question": q}) + "\n" for n, q in enumerate(questions(secrets))))
    searched = run_cli("search", "--queries", str(queries), "--index", index, "-k", "20")
    assert searched.returncode == 0 and searched.stdout.count("\n") == len(questions(secrets))
    results = [json.loads(line)["results"] for line in searched.stdout.splitlines()]
    assert all(r["access"] == "public" and not leaks(secrets, r["text"]) for found in results for r in found)


def test_the_api_gives_anonymous_callers_no_restricted_text(corpus_app, secrets):
    from gradio_client import Client

    anonymous = Client(corpus_app["url"], verbose=False)
    for q in questions(secrets):  # what comes back besides the query itself
        found = anonymous.predict(q, None, 20, api_name="/search")["results"]
        assert not leaks(secrets, json.dumps(found)) and all(r["access"] == "public" for r in found), q
    for q in EXEMPT_QUESTIONS:
        answered = anonymous.predict(q, None, None, api_name="/ask")
        assert not leaks(secrets, answered["answer"] + json.dumps(answered["citations"])), q
    officer = Client(corpus_app["url"], verbose=False, headers=officer_cookie(corpus_app["url"]))
    found = officer.predict(EXEMPT_QUESTIONS[0], None, 10, api_name="/search")["results"]
    assert any(r["access"] == "restricted" for r in found) and leaks(secrets, json.dumps(found))


def test_no_other_endpoint_gives_out_records(corpus_app, secrets):
    """Only /ask and /search are callable by API clients; the page's configuration and API description hold no
    restricted text (the chat's own events are private and read the role from the session)."""
    import httpx
    from gradio_client import Client

    info = Client(corpus_app["url"], verbose=False).view_api(print_info=False, return_format="dict")
    assert set(info["named_endpoints"]) == {"/ask", "/search"} and not info["unnamed_endpoints"]
    for path in ("config", "gradio_api/info", "login"):
        response = httpx.get(corpus_app["url"] + path)
        assert response.status_code == 200 and not leaks(secrets, response.text), path
    refused = httpx.post(corpus_app["url"] + "gradio_api/upload", files={"files": ("x.txt", b"RESOLVED that")})
    assert refused.status_code == 403  # an anonymous visitor cannot even stage a file


def test_the_role_cannot_be_chosen_by_the_caller(corpus_app, secrets):
    """A made-up cookie, or a role in the filters, reads as the public."""
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    forged = Client(corpus_app["url"], verbose=False, headers={"Cookie": f"{COOKIE}=officer"})
    found = forged.predict(EXEMPT_QUESTIONS[0], None, 20, api_name="/search")["results"]
    assert found and not leaks(secrets, json.dumps(found))
    with pytest.raises(AppError, match="unknown filter 'role'"):
        forged.predict(EXEMPT_QUESTIONS[0], {"role": "officer"}, 20, api_name="/search")
