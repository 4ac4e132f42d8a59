"""The remote path: a real `chroma run` server on loopback holds the vectors (--chroma-url)."""

from __future__ import annotations

import json

import pytest

from conftest import SEEDS, chroma_server, run_cli


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    with chroma_server(tmp_path_factory.mktemp("chroma-server")) as url:
        yield url


def test_ingest_and_ask_through_a_chroma_server(chroma_url, tmp_path):
    index = tmp_path / "index"
    ingest = run_cli("ingest", str(SEEDS), "--index", str(index), "--chroma-url", chroma_url, "--json")
    assert ingest.returncode == 0, ingest.stderr
    assert not (index / "chroma").exists(), "vectors live on the server, not in the local folder"
    ask = run_cli("ask", "--json", "--index", str(index), "--chroma-url", chroma_url,
                  "When did Ofsted carry out its monitoring visit to Middlesbrough?")
    out = json.loads(ask.stdout)
    assert not out["abstained"] and "14 and 15 December 2021" in out["answer"]


def test_server_holds_one_vector_per_passage(chroma_url, tmp_path):
    import chromadb

    from assistant.archive import COLLECTION, Archive

    index = tmp_path / "index"
    archive = Archive(index, chroma_url=chroma_url, create=True)
    archive.ingest([SEEDS], log=lambda line: None)
    host, port = chroma_url.rsplit(":", 1)
    client = chromadb.HttpClient(host="127.0.0.1", port=int(port))
    assert client.get_collection(COLLECTION).count() == archive.store.count_passages()
