"""Many readers at once while the archive grows: concurrent API clients against the real app during ingests.

The demo corpus (with its exempt report and Part II items) is indexed into a work folder, and the real
app (`python app.py`, one officer able to sign in) serves it on a free loopback port. CLIENTS threads,
each its own gradio_client Client (OFFICERS of them signed in, the rest anonymous), then ask and search
through `/ask` and `/search` for DURATION seconds, taking turns over the demo questions and questions
about the exempt items, while another process runs `python -m assistant ingest` on the same index again
and again (a folder of records rewritten before each run, so every run embeds, adds and removes
passages). Counted: requests, errors (an exception or a reply without its keys), latency p50/p95 per
endpoint and overall, and restricted passages returned to anonymous clients (a passage marked
restricted, or text holding a run of eight words only restricted passages contain): the target is
0 errors and 0 restricted passages to the public.

    .venv/bin/python bench/load.py [--duration 60] [--clients 16] [--officers 2] [--chroma-server]

`--chroma-server` keeps the vectors in a `chroma run` server on loopback instead of the index folder.
The last line is JSON.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
OFFICER = ("load-officer", "load test password 2024")
EXEMPT = ["What did the Executive decide about buying the former Crossways bus depot?",
          "How much will the land for the Hatherley Down solar farm cost?",
          "Who was awarded the secondary alternative provision contract?",
          "What did the Cabinet resolve about acquiring a property for a children's home?"]
SHINGLE = 8
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False", "ANONYMIZED_TELEMETRY": "False"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, process: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"process exited ({process.returncode}) before listening on {port}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise SystemExit(f"nothing listened on {port}")


def shingles(text: str) -> set[tuple[str, ...]]:
    w = re.findall(r"[a-z0-9£]+", text.lower())
    return {tuple(w[i:i + SHINGLE]) for i in range(max(len(w) - SHINGLE + 1, 0))}


def secret_shingles(index: Path) -> set[tuple[str, ...]]:
    with sqlite3.connect(index / "passages.sqlite") as db:
        restricted = [r[0] for r in db.execute("SELECT text FROM passages WHERE access != 'public'")]
        public = [r[0] for r in db.execute("SELECT text FROM passages WHERE access = 'public'")]
    return set().union(*map(shingles, restricted)) - set().union(*map(shingles, public))


def questions() -> list[str]:
    out = []
    for path in sorted((ROOT / "bench" / "questions").glob("*.jsonl")):
        out += [json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


def rewrite_extra(folder: Path, run: int) -> None:
    """Records for the background ingest, changed each run so they are parsed, embedded and replaced again."""
    folder.mkdir(exist_ok=True)
    sources = sorted((ROOT / "corpus" / "little-marston").glob("*.txt"))
    for n, source in enumerate(sources):
        text = source.read_text(encoding="utf-8")
        (folder / f"load-{n}.txt").write_text(f"{text}\n\n99. Load test note\n\nThis note was written by run {run}.\n",
                                             encoding="utf-8")


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = {"/ask": [], "/search": []}
        self.errors: list[str] = []
        self.restricted_public = 0
        self.restricted_officer = 0

    def add(self, endpoint: str, seconds: float, error: str | None, restricted: int, officer: bool) -> None:
        with self.lock:
            self.latency[endpoint].append(seconds)
            if error:
                self.errors.append(f"{endpoint}: {error}"[:200])
            if officer:
                self.restricted_officer += restricted
            else:
                self.restricted_public += restricted


def client_loop(url: str, headers: dict | None, asked: list[str], secrets: set, stop: float, tally: Tally,
                seed: int) -> None:
    from gradio_client import Client

    client = Client(url, verbose=False, headers=headers)
    officer = headers is not None
    rng = random.Random(seed)
    for n in itertools.count():
        if time.time() >= stop:
            return
        question = asked[rng.randrange(len(asked))]
        endpoint = "/ask" if n % 2 else "/search"
        started = time.perf_counter()
        error, passages = None, []
        try:
            if endpoint == "/ask":
                reply = client.predict(question, None, None, api_name="/ask")
                passages = reply["citations"]
                passages_text = reply["answer"]
            else:
                reply = client.predict(question, None, 10, api_name="/search")
                passages = reply["results"]
                passages_text = ""
        except Exception as err:  # the figure counts it; the run goes on
            error, passages_text = f"{type(err).__name__}: {err}", ""
        seconds = time.perf_counter() - started
        restricted = sum(1 for p in passages if p.get("access") != "public" or shingles(p.get("text", "")) & secrets)
        restricted += bool(shingles(passages_text) & secrets)
        tally.add(endpoint, seconds, error, restricted, officer)


def ingest_loop(index: Path, extra: Path, stop: float, chroma_url: str | None, runs: list[int]) -> None:
    for run in itertools.count(1):
        if time.time() >= stop:
            return
        rewrite_extra(extra, run)
        command = [PYTHON, "-m", "assistant", "ingest", str(extra), "--index", str(index), "--json"]
        if chroma_url:
            command += ["--chroma-url", chroma_url]
        result = subprocess.run(command, cwd=ROOT, env=ENV, capture_output=True, text=True)
        runs.append(result.returncode)
        if result.returncode:
            print(f"ingest run {run} failed: {result.stderr.strip()[-300:]}", file=sys.stderr)


def percentile(values: list[float], share: float) -> float:
    return round(1000 * statistics.quantiles(values, n=100)[int(share * 100) - 1], 1) if len(values) >= 2 else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--officers", type=int, default=2, help="how many of the clients sign in as officers")
    parser.add_argument("--work", default="/tmp/minute-book-load", help="work folder (the index is kept between runs)")
    parser.add_argument("--chroma-server", action="store_true", help="vectors in a `chroma run` server on loopback")
    args = parser.parse_args()

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    index = work / ("index-server" if args.chroma_server else "index")
    processes: list[subprocess.Popen] = []
    chroma_url = None
    try:
        if args.chroma_server:
            if index.exists():  # the server starts empty each run; so does the index that goes with it
                shutil.rmtree(index)
            port = free_port()
            chroma = Path(PYTHON).parent / "chroma"
            processes.append(subprocess.Popen([str(chroma), "run", "--path", str(work / "chroma-data"), "--host",
                                               "127.0.0.1", "--port", str(port)], stdout=subprocess.DEVNULL,
                                              stderr=subprocess.DEVNULL))
            wait_for(port, processes[-1])
            chroma_url = f"http://127.0.0.1:{port}"
        started = time.perf_counter()
        command = [PYTHON, "-m", "assistant", "ingest", str(ROOT / "corpus"), "--index", str(index), "--json"]
        subprocess.run(command + (["--chroma-url", chroma_url] if chroma_url else []), cwd=ROOT, env=ENV,
                       check=True, capture_output=True)
        print(f"index of corpus/ ready in {time.perf_counter() - started:.0f} s", flush=True)
        from assistant import officers

        officers_file = work / "officers.txt"
        officers.add(officers_file, *OFFICER)
        port = free_port()
        app_command = [PYTHON, str(ROOT / "app.py"), "--index", str(index), "--port", str(port),
                       "--officers", str(officers_file)] + (["--chroma-url", chroma_url] if chroma_url else [])
        log = open(work / "app.log", "w")
        processes.append(subprocess.Popen(app_command, cwd=ROOT, env=ENV, stdout=log, stderr=subprocess.STDOUT))
        wait_for(port, processes[-1])
        url = f"http://127.0.0.1:{port}/"
        import httpx
        from gradio_client import Client

        Client(url, verbose=False).predict("warm up the model", None, 3, api_name="/search")
        signed = httpx.post(url + "login", data={"name": OFFICER[0], "password": OFFICER[1]})
        cookie = {"Cookie": f"minutebook_session={signed.cookies['minutebook_session']}"}
        secrets = secret_shingles(index)
        asked = questions() + EXEMPT * 8  # about one question in four is about an exempt item
        tally, runs = Tally(), []
        stop = time.time() + args.duration
        threads = [threading.Thread(target=ingest_loop, args=(index, work / "extra", stop, chroma_url, runs))]
        threads += [threading.Thread(target=client_loop, args=(url, cookie if n < args.officers else None, asked, secrets,
                                                                 stop, tally, n)) for n in range(args.clients)]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
    finally:
        for process in reversed(processes):
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()

    everything = tally.latency["/ask"] + tally.latency["/search"]
    result = {
        "clients": args.clients, "officer_clients": args.officers, "seconds": round(elapsed, 1),
        "chroma": "server" if args.chroma_server else "persistent", "requests": len(everything),
        "errors": len(tally.errors), "p50_ms": percentile(everything, 0.50), "p95_ms": percentile(everything, 0.95),
        "ask": {"requests": len(tally.latency["/ask"]), "p50_ms": percentile(tally.latency["/ask"], 0.5),
                "p95_ms": percentile(tally.latency["/ask"], 0.95)},
        "search": {"requests": len(tally.latency["/search"]), "p50_ms": percentile(tally.latency["/search"], 0.5),
                   "p95_ms": percentile(tally.latency["/search"], 0.95)},
        "restricted_to_public": tally.restricted_public, "restricted_to_officers": tally.restricted_officer,
        "ingest_runs": len(runs), "ingest_failures": sum(1 for r in runs if r),
    }
    for error in tally.errors[:5]:
        print("error:", error)
    print(f"{result['requests']} requests from {args.clients} clients in {elapsed:.0f} s while {len(runs)} ingests ran: "
          f"{result['errors']} errors, p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms; restricted passages to "
          f"the public {result['restricted_to_public']}, to officers {result['restricted_to_officers']}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
