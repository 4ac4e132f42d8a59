"""Shared fixtures: real model, real Chroma in temp dirs, the real seeds and corpus."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "bench" / "seeds"  # the two real seed records, shipped so a clone alone passes
CORPUS = ROOT / "corpus"
PYTHON = sys.executable

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


def seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}*.txt"))


def write_records(folder: Path, files: dict[str, str]) -> Path:
    """A new folder holding the given records (file name → UTF-8 text)."""
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def engine_over(tmp_path_factory, name: str, records: dict[str, str]):
    """An Engine over `records` (file name → text), indexed into a fresh folder."""
    from assistant.archive import Archive
    from assistant.engine import Engine

    root = tmp_path_factory.mktemp(name)
    folder = write_records(root / "records", records)
    Archive(root / "index", create=True).ingest([folder], log=lambda line: None)
    return Engine(str(root / "index"))


@pytest.fixture(scope="session")
def seeds_index(tmp_path_factory) -> Path:
    """An index of the two real seed records, built once per test session."""
    from assistant.archive import Archive

    index = tmp_path_factory.mktemp("seeds-index")
    report = Archive(index, create=True).ingest([SEEDS], log=lambda line: None)
    assert report.files_read == 2 and not report.skipped
    return index


@pytest.fixture(scope="session")
def seeds_engine(seeds_index):
    from assistant.engine import Engine

    return Engine(str(seeds_index))


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory) -> Path:
    """An index of the shipped demo corpus, built once per test session."""
    from assistant.archive import Archive

    index = tmp_path_factory.mktemp("corpus-index")
    report = Archive(index, create=True).ingest([CORPUS], log=lambda line: None)
    assert report.files_read > 0
    return index


@pytest.fixture(scope="session")
def corpus_engine(corpus_index):
    from assistant.engine import Engine

    return Engine(str(corpus_index))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before listening on {port}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise TimeoutError(f"nothing listened on {port} within {seconds} s")


@contextmanager
def serving_app(index: Path, log: Path, *options: str, env: dict | None = None):
    """The real Gradio app (python app.py) serving `index` on a free loopback port, its output in `log`
    (with `env` added to the environment); yields the page's URL and stops the app afterwards."""
    port = free_port()
    with open(log, "w") as out:
        process = subprocess.Popen([PYTHON, str(ROOT / "app.py"), "--index", str(index), "--port", str(port), *options],
                                   cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def app_url(seeds_index, tmp_path_factory):
    """The real Gradio app serving the seeds index."""
    with serving_app(seeds_index, tmp_path_factory.mktemp("app") / "app.log") as url:
        yield url


@contextmanager
def chroma_server(data: Path):
    """A real `chroma run` server on a free loopback port storing into `data`; yields its URL."""
    import shutil

    chroma = Path(sys.executable).parent / "chroma"
    if not chroma.exists():
        chroma = Path(shutil.which("chroma") or "chroma")
    port = free_port()
    process = subprocess.Popen([str(chroma), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, process, seconds=60)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


OFFICER = ("clerk", "a long test password")  # written to a temporary officers file only


@pytest.fixture(scope="session")
def corpus_app(corpus_index, tmp_path_factory):
    """python app.py --allow-upload on a copy of the corpus index (uploads change it), with one officer who can
    sign in; for the browser tests and the public-leak tests."""
    import shutil

    from assistant import officers

    folder = tmp_path_factory.mktemp("corpus-app")
    index = folder / "index"
    shutil.copytree(corpus_index, index)
    officers.add(folder / "officers.txt", *OFFICER)
    log = folder / "app.log"
    with serving_app(index, log, "--allow-upload", "--officers", str(folder / "officers.txt")) as url:
        yield {"url": url, "index": index, "log": log}


def officer_cookie(url: str) -> dict:
    """Sign in at /login as the test officer; the session cookie as a request header."""
    import httpx

    response = httpx.post(url + "login", data={"name": OFFICER[0], "password": OFFICER[1]})
    assert response.status_code == 303, response.text
    return {"Cookie": f"minutebook_session={response.cookies['minutebook_session']}"}


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "-m", "assistant", *args], cwd=cwd, capture_output=True, text=True, timeout=600)
