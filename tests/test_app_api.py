"""The running app's named `/ask` API, called through gradio_client like any outside program would."""

from __future__ import annotations

import re

import pytest
from gradio_client import Client

RESOLVED = "RESOLVED that the Committee note and scrutinised the performance documents"
CITATION_KEYS = {"n", "text", "source", "council", "committee", "date", "item"}


@pytest.fixture(scope="module")
def client(app_url):
    return Client(app_url, verbose=False)


def test_ask_returns_a_cited_answer_from_the_minutes(client):
    result = client.predict("What did the Children's Services scrutiny committee resolve about the performance documents?",
                            api_name="/ask")
    assert isinstance(result, dict), result
    assert result["abstained"] is False, result
    assert "[1]" in result["answer"], result["answer"]
    citations = result["citations"]
    assert citations, result
    for c in citations:
        assert CITATION_KEYS <= set(c), f"citation {c.get('n')} lacks {CITATION_KEYS - set(c)}"
    assert [c["n"] for c in citations] == list(range(1, len(citations) + 1))
    assert any(RESOLVED in " ".join(c["text"].split()) for c in citations), [c["text"][:120] for c in citations]
    markers = {int(m) for m in re.findall(r"\[(\d+)\]", result["answer"])}
    assert markers and markers <= {c["n"] for c in citations}, (markers, result["answer"])
    cited = next(c for c in citations if RESOLVED in " ".join(c["text"].split()))
    assert cited["committee"] == "Children's Services Overview and Scrutiny Committee"
    assert cited["date"] == "2021-06-08"


def test_ask_abstains_when_the_records_do_not_answer(client):
    result = client.predict("What did the council decide about parking charges?", api_name="/ask")
    assert result["abstained"] is True, result
    assert "RESOLVED" not in result["answer"] and "ORDERED" not in result["answer"], result["answer"]  # no decision passed off as the answer
    markers = {int(m) for m in re.findall(r"\[(\d+)\]", result["answer"])}
    assert markers <= {c["n"] for c in result["citations"]}, (markers, result["answer"])


def test_empty_question_returns_json_not_an_error(client):
    result = client.predict("", api_name="/ask")
    assert isinstance(result, dict), result
    assert {"question", "answer", "abstained", "citations"} <= set(result)
    assert "error" not in result, result
    assert result["abstained"] is True, result
