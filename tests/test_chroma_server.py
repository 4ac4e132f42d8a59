"""The remote path: a real `chroma run` server on loopback holds the vectors (--chroma-url); the index
folder beside the app holds the records and the keyword index. Two app instances that share both see each
other's records."""

from __future__ import annotations

import json

import pytest

from conftest import SEEDS, chroma_server, run_cli, write_records

from assistant.archive import COLLECTION, Archive
from assistant.engine import Engine
from assistant.filters import Filters

PLAY_SCHEMES = """Minutes of the meeting of the Cabinet held on 9 May 2021

11. Summer Play Schemes

The Leader reported that the summer play schemes grant would fund supervised activities in all twelve parks,
with free places for children eligible for free school meals.

RESOLVED that the play schemes grant be accepted.
"""
MANIFEST = "file,council,committee,date,doc_type\ncabinet.txt,Wexcombe County Council,Cabinet,2021-05-09,minutes\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with chroma_server(tmp_path_factory.mktemp("chroma-server")) as url:
        yield url


@pytest.fixture
def chroma_url(server):
    """The server, its collection emptied: each test's index starts with no vectors on it."""
    import chromadb

    client = chromadb.HttpClient(host="127.0.0.1", port=int(server.rsplit(":", 1)[1]))
    if COLLECTION in [c.name for c in client.list_collections()]:
        client.delete_collection(COLLECTION)
    return server


def test_ingest_search_and_ask_through_a_chroma_server(chroma_url, tmp_path):
    index = tmp_path / "index"
    ingest = run_cli("ingest", str(SEEDS), "--index", str(index), "--chroma-url", chroma_url, "--json")
    assert ingest.returncode == 0, ingest.stderr
    assert json.loads(ingest.stdout.splitlines()[-1])["passages_added"] > 0
    assert not (index / "chroma").exists(), "vectors live on the server, not in the local folder"
    search = run_cli("search", "--json", "--index", str(index), "--chroma-url", chroma_url, "-k", "3",
                     "Ofsted monitoring visit findings")
    assert search.returncode == 0, search.stderr
    assert "Ofsted" in json.loads(search.stdout)["results"][0]["text"]
    ask = run_cli("ask", "--json", "--index", str(index), "--chroma-url", chroma_url,
                  "When did Ofsted carry out its monitoring visit to Middlesbrough?")
    out = json.loads(ask.stdout)
    assert not out["abstained"] and "14 and 15 December 2021" in out["answer"]


def test_server_holds_one_vector_per_passage(chroma_url, tmp_path):
    import chromadb

    index = tmp_path / "index"
    archive = Archive(index, chroma_url=chroma_url, create=True)
    archive.ingest([SEEDS], log=lambda line: None)
    host, port = chroma_url.rsplit(":", 1)
    client = chromadb.HttpClient(host="127.0.0.1", port=int(port))
    assert client.get_collection(COLLECTION).count() == archive.store.count_passages()


def test_a_second_app_instance_sees_records_the_first_ingests(chroma_url, tmp_path):
    index = tmp_path / "index"
    Archive(index, chroma_url=chroma_url, create=True).ingest([SEEDS], log=lambda line: None)
    first, second = Engine(str(index), chroma_url), Engine(str(index), chroma_url)
    question = "What was decided about the summer play schemes grant for the parks?"
    assert not any("play schemes" in h.passage.text for h in second.search(question, k=5))
    assert "Wexcombe County Council" not in second.retriever.names()[0]

    folder = write_records(tmp_path / "new", {"cabinet.txt": PLAY_SCHEMES, "manifest.csv": MANIFEST})
    assert first.add_records([folder]).passages_added > 0  # e.g. an upload in the first app

    hits = second.search(question, k=3, filters=Filters(council="Wexcombe"))
    assert hits and all(h.passage.council == "Wexcombe County Council" for h in hits)
    assert "play schemes grant be accepted" in " ".join(h.passage.text for h in hits)
    assert any(h.similarity is not None for h in hits), "the vectors came from the server, not only the keywords"
    answer = second.ask(question)
    assert not answer.abstained and any(c.passage.council == "Wexcombe County Council" for c in answer.citations)
