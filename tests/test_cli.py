"""The command-line contract of DESIGN.md, through a real subprocess."""

from __future__ import annotations

import json

from conftest import SEEDS, run_cli

RESOLVED = "RESOLVED that the Committee note and scrutinised the performance documents"
CITATION_KEYS = {"n", "text", "source", "council", "committee", "date", "item"}


def test_issue_example_ingest_then_ask_cites_the_resolution(tmp_path):
    index = tmp_path / "demo-index"
    ingest = run_cli("ingest", str(SEEDS), "--index", str(index), "--json")
    assert ingest.returncode == 0, ingest.stderr
    summary = json.loads(ingest.stdout.strip().splitlines()[-1])
    assert summary["files_read"] == 2 and summary["passages_added"] > 0 and summary["skipped"] == []
    ask = run_cli("ask", "--json", "--index", str(index),
                  "What did the Children's Services scrutiny committee resolve about the performance documents?")
    assert ask.returncode == 0, ask.stderr
    out = json.loads(ask.stdout)
    assert not out["abstained"] and "[1]" in out["answer"]
    assert any(RESOLVED in c["text"] for c in out["citations"])
    assert all(CITATION_KEYS <= set(c) for c in out["citations"])
    assert "Traceback" not in ask.stderr


def test_search_json_and_queries_file(seeds_index, tmp_path):
    one = run_cli("search", "Ofsted monitoring visit", "--index", str(seeds_index), "-k", "3", "--json")
    assert one.returncode == 0, one.stderr
    results = json.loads(one.stdout)["results"]
    assert [r["rank"] for r in results] == list(range(1, len(results) + 1)) and results
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"id": "a", "question": "Ofsted monitoring visit"}\n{"id": "b", "question": "performance documents"}\n')
    many = run_cli("search", "--queries", str(queries), "--index", str(seeds_index), "-k", "2")
    lines = [json.loads(line) for line in many.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"] and all(line["results"] for line in lines)


def test_stats_json_counts_records_and_passages(seeds_index):
    out = run_cli("stats", "--index", str(seeds_index), "--json")
    stats = json.loads(out.stdout)
    assert stats["records"] == 2 and stats["passages"] >= 5
    assert "Children's Services Overview and Scrutiny Committee" in stats["committees"]


def test_missing_index_is_a_clear_error_not_a_traceback(tmp_path):
    out = run_cli("ask", "anything", "--index", str(tmp_path / "nowhere"))
    assert out.returncode == 1
    assert "no index" in out.stderr and "Traceback" not in out.stderr


def test_usage_error_exits_2():
    assert run_cli("ingest").returncode == 2
    assert run_cli("frobnicate").returncode == 2


def test_bad_date_filter_is_a_usage_message(seeds_index):
    out = run_cli("search", "x", "--index", str(seeds_index), "--since", "not-a-date")
    assert out.returncode != 0 and "not a date" in (out.stderr + out.stdout) and "Traceback" not in out.stderr
