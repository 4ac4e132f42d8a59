"""Open record: only indexed, public sources are served, escaped, scrolled to the cited passage."""

from __future__ import annotations

import html

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.ui import records


@pytest.fixture(scope="module")
def client(corpus_engine):
    app = FastAPI()
    records.add_routes(app, corpus_engine)
    return TestClient(app)


def first_passage(engine, suffix: str, access: str = "public"):
    row = engine.archive.store.db.execute(
        "SELECT passage_id FROM passages WHERE source LIKE ? AND access = ? ORDER BY rowid LIMIT 1",
        (f"%{suffix}", access)).fetchone()
    assert row, f"no {access} passage from a {suffix} record"
    return engine.archive.store.passages([row[0]])[row[0]]


def test_a_text_record_is_shown_with_the_passage_marked(client, corpus_engine):
    passage = first_passage(corpus_engine, ".html")
    page = client.get(f"/record/{passage.passage_id}")
    assert page.status_code == 200 and "default-src 'none'" in page.headers["content-security-policy"]
    assert "<section id='passage' class='target'" in page.text
    assert "<script" not in page.text.lower()
    original = client.get(f"/record/{passage.passage_id}/file")
    assert original.status_code == 200 and "attachment" in original.headers["content-disposition"]


def test_a_pdf_is_served_as_the_original_file(client, corpus_engine):
    passage = first_passage(corpus_engine, ".pdf")
    served = client.get(f"/record/{passage.passage_id}/file")
    assert served.status_code == 200 and served.headers["content-type"] == "application/pdf"
    assert served.content.startswith(b"%PDF")


@pytest.mark.parametrize("address", ["/record/..%2F..%2Fetc%2Fpasswd", "/record/../../etc/passwd/file",
                                     "/record/%2Fetc%2Fpasswd/file", "/record/0000000000000000000/file"])
def test_nothing_outside_the_index_is_served(client, address):
    response = client.get(address)
    assert response.status_code == 404 and "root:" not in response.text


def test_a_restricted_record_is_not_served_to_the_public(client, corpus_engine):
    passage = first_passage(corpus_engine, "", access="restricted")
    assert client.get(f"/record/{passage.passage_id}").status_code == 404
    assert client.get(f"/record/{passage.passage_id}/file").status_code == 404


def test_a_record_with_restricted_parts_shows_only_its_public_passages(client, corpus_engine):
    db = corpus_engine.archive.store.db
    mixed = db.execute("SELECT source FROM passages GROUP BY source HAVING count(DISTINCT access) > 1").fetchone()
    assert mixed, "the demo corpus has minutes with a Part II item"
    public = db.execute("SELECT passage_id FROM passages WHERE source = ? AND access = 'public' LIMIT 1", mixed).fetchone()[0]
    secret = db.execute("SELECT text FROM passages WHERE source = ? AND access = 'restricted' LIMIT 1", mixed).fetchone()[0]
    page = client.get(f"/record/{public}")
    assert page.status_code == 200
    shown = " ".join(page.text.split())
    assert html.escape(" ".join(secret.split())[:60]) not in shown and " ".join(secret.split())[:60] not in shown
    assert client.get(f"/record/{public}/file").status_code == 403  # the file holds the restricted item too
