"""The remote path: a real `chroma run` server on loopback holds the vectors (--chroma-url)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEEDS, free_port, run_cli, wait_for_port


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    chroma = Path(sys.executable).parent / "chroma"
    if not chroma.exists():
        chroma = Path(shutil.which("chroma") or "chroma")
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    process = subprocess.Popen([str(chroma), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, process, seconds=60)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


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
