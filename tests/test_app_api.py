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


def test_view_api_shows_typed_parameters_and_returns(client):
    info = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    ask, search = info["/ask"], info["/search"]
    assert [p["parameter_name"] for p in ask["parameters"]] == ["question", "filters", "history"]
    assert [p["parameter_name"] for p in search["parameters"]] == ["query", "filters", "k"]
    for endpoint, keys in ((ask, {"question", "answer", "abstained", "citations"}), (search, {"query", "results"})):
        returned = endpoint["returns"][0]["type"]
        assert returned.get("type") == "object" and keys <= set(returned.get("properties", {})), returned


def test_ask_honours_filters(client):
    question = "What did the Children's Services scrutiny committee resolve about the performance documents?"
    inside = client.predict(question, {"since": "2021", "until": "2021"}, None, api_name="/ask")
    assert inside["citations"] and all(c["date"].startswith("2021-") for c in inside["citations"]), inside
    outside = client.predict(question, {"since": "2022"}, None, api_name="/ask")
    assert outside["abstained"] is True and all(c["date"] >= "2022-01-01" for c in outside["citations"]), outside


def test_ask_with_history_answers_a_follow_up(client):
    first = "What did the Children's Services scrutiny committee resolve about the performance documents?"
    alone = client.predict("And when was that?", None, None, api_name="/ask")
    followed = client.predict("And when was that?", None, [first], api_name="/ask")
    assert alone["abstained"] is True, alone  # alone it matches nothing
    assert followed["abstained"] is False and "8 June 2021" in followed["answer"], followed


def test_search_honours_filters_and_k(client):
    everything = client.predict("Ofsted improvement", None, 10, api_name="/search")["results"]
    days = {r["date"] for r in everything}
    assert len(days) > 1, days  # otherwise the date filter below could not fail
    day = sorted(d for d in days if d)[0]
    scoped = client.predict("Ofsted improvement", {"since": day, "until": day}, 3, api_name="/search")
    assert scoped["query"] == "Ofsted improvement"
    assert 0 < len(scoped["results"]) <= 3 and {r["date"] for r in scoped["results"]} == {day}, scoped
    assert [r["rank"] for r in scoped["results"]] == list(range(1, len(scoped["results"]) + 1))


@pytest.mark.parametrize("filters, message", [
    ({"since": "2021-13-45"}, "not a date: '2021-13-45'"),
    ({"until": "June"}, "not a date: 'June'"),
    ({"since": "2022", "until": "2021"}, "is after"),
    ({"colour": "red"}, "unknown filter 'colour'"),
])
def test_bad_filters_are_errors_naming_the_problem(client, filters, message):
    from gradio_client.exceptions import AppError

    for endpoint, first in (("/ask", "Ofsted"), ("/search", "Ofsted")):
        with pytest.raises(AppError, match=re.escape(message)):
            client.predict(first, filters, None if endpoint == "/ask" else 5, api_name=endpoint)


def test_unknown_arguments_are_an_error(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="takes at most 3 arguments"):
        client.predict("Ofsted", None, None, "extra", api_name="/ask")
    with pytest.raises(AppError, match="takes at most 3 arguments"):
        client.predict("Ofsted", None, 5, "extra", api_name="/search")
    with pytest.raises(Exception):
        client.predict(question="Ofsted", colour="red", api_name="/ask")
