"""The eval scorer on hand-made cases: a hit, a near miss, an abstention."""

from __future__ import annotations

import json

import pytest

from assistant.evaluate import answer_scores, first_hit_rank, is_hit, retrieval_scores

GOLD = ["The Committee was advised that 142 staff had responded to a workforce survey in June 2020 and that "
        "flexible working mattered more than pay."]


@pytest.mark.parametrize("passage, expected", [
    (GOLD[0], True),  # identical
    ("In the meeting. " + GOLD[0] + " Other business followed at length.", True),  # gold inside a longer passage
    ("The Committee was advised that 142 staff had responded.", True),  # passage mostly inside gold
    ("The Committee was advised that the budget had been set in February 2021 after consultation with staff.", False),
    ("", False),
])
def test_hit_rule_is_half_the_five_grams_either_way(passage, expected):
    assert is_hit(passage, GOLD) is expected


def test_near_miss_sharing_a_few_words_is_not_a_hit():
    near = "A workforce survey in June 2020 found that caseloads and supervision mattered to staff in every team."
    assert not is_hit(near, GOLD)


def test_recall_and_mrr_from_ranks():
    scores = retrieval_scores([1, 3, None, 10])
    assert scores["recall@1"] == 0.25 and scores["recall@5"] == 0.5 and scores["recall@10"] == 0.75
    assert scores["mrr"] == pytest.approx((1 + 1 / 3 + 0 + 1 / 10) / 4)
    assert first_hit_rank(["unrelated text here and there", GOLD[0]], GOLD) == 2


def test_answer_scores_count_markers_coverage_and_abstention():
    answerable = {"gold": GOLD}
    unanswerable = {"gold": []}
    right = {"abstained": False, "answer": "Staff valued flexible working. [1] Also this. [2]",
             "citations": [{"n": 1, "text": GOLD[0]}, {"n": 2, "text": "Parking charges rose in 2019 across the borough."}]}
    wrongly_answered = {"abstained": False, "answer": "Something [1]", "citations": [{"n": 1, "text": "x y z"}]}
    abstained = {"abstained": True, "answer": "The indexed records do not answer this.", "citations": []}
    scores = answer_scores([(answerable, right), (unanswerable, abstained), (unanswerable, wrongly_answered)])
    assert scores["citation_precision"] == 0.5
    assert scores["answer_coverage"] == 1.0
    assert scores["abstention_accuracy"] == 0.5


def test_eval_command_reports_all_figures(seeds_index, tmp_path):
    from conftest import run_cli

    questions = tmp_path / "q.jsonl"
    questions.write_text("\n".join(json.dumps(q) for q in [
        {"id": "1", "question": "When did Ofsted carry out its monitoring visit to Middlesbrough?",
         "gold": ["Ofsted had carried out a Monitoring Visit to Children’s Services on 14 and 15 December 2021."]},
        {"id": "2", "question": "What did the council decide about parking charges?", "gold": []},
    ]) + "\n")
    out = run_cli("eval", str(questions), "--index", str(seeds_index), "--answers", "--json")
    report = json.loads(out.stdout)
    assert report["questions"] == 1 and report["recall@5"] == 1.0
    assert report["abstention_accuracy"] == 1.0 and report["citation_precision"] > 0
