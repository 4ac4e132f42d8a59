"""Hybrid retrieval: filters inside the search, decisions first, hybrid beating either half; a transcript's
discussion found, and answered, from where it starts."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest
from conftest import engine_over, write_records

from assistant import embedder
from assistant.filters import Filters


def test_decision_question_ranks_the_decision_first_on_the_seeds(seeds_engine):
    for question, words in [
        ("What did the scrutiny committee resolve about the performance documents?", "RESOLVED that the Committee note"),
        ("What was ordered about the Children's Services Improvement Programme?", "ORDERED"),
    ]:
        top = seeds_engine.search(question, k=5)[0].passage
        assert top.is_decision and words in top.text, question


@pytest.mark.parametrize("filters, check", [
    (Filters(committee="scrutiny"), lambda p: p.committee == "Children's Services Overview and Scrutiny Committee"),
    (Filters(council="harbourside"), lambda p: p.council == "Harbourside Borough Council"),
    (Filters(since="2022-01-01", until="2022-12-31"), lambda p: p.date and "2022-01-01" <= p.date <= "2022-12-31"),
    (Filters(decisions_only=True), lambda p: p.is_decision),
    (Filters(doc_type="report"), lambda p: p.doc_type == "report"),
])
def test_filters_are_honoured_and_still_fill_k(corpus_engine, filters, check):
    hits = corpus_engine.search("social worker recruitment and retention", k=8, filters=filters)
    assert len(hits) == 8, "a filtered query must still return k results when k exist"
    assert all(check(h.passage) for h in hits)


@pytest.mark.parametrize("overfetch_limit", [1000, 0])  # 0: straight to the ids listed in SQLite
def test_filtered_vector_search_matches_chromas_own_filter(corpus_engine, overfetch_limit):
    from assistant.retrieve import Retriever

    retriever = Retriever(corpus_engine.archive, use_keyword=False)
    retriever.overfetch_limit = overfetch_limit
    question = "social worker recruitment and retention"
    vector = embedder.embed_query(question)
    for filters, where in [
        (Filters(committee="scrutiny"), {"committee": "Children's Services Overview and Scrutiny Committee"}),
        (Filters(decisions_only=True), {"is_decision": True}),
        (Filters(since="2022-01-01", until="2022-12-31"),
         {"$and": [{"date_num": {"$gte": 20220101}}, {"date_num": {"$lte": 20221231}}]}),
    ]:
        where = {"$and": [where, {"access": "public"}]}
        expected = corpus_engine.archive.collection.query(query_embeddings=[vector], n_results=12, where=where)["ids"][0]
        got = [h.passage.passage_id for h in retriever.search(question, k=12, filters=filters, dedupe=False)]
        assert len(expected) == 12
        assert got == expected, filters


def test_searches_at_the_same_time_find_what_each_finds_alone(corpus_engine):
    """The vector half runs in a worker thread beside the keyword half, and the app serves several readers at once,
    all on one SQLite connection: a search must not see another's candidates, filter or half-read rows."""
    from concurrent.futures import ThreadPoolExecutor

    searches = [(question, filters) for question in ("social worker recruitment and retention", "council tax increase",
                                                     "grass cutting contract", "SEND transport")
                for filters in (Filters(), Filters(committee="scrutiny"), Filters(decisions_only=True),
                                Filters(since="2022-01-01", until="2022-12-31"), Filters(role="officer"))]

    def found(search):
        question, filters = search
        return [h.passage.passage_id for h in corpus_engine.search(question, k=8, filters=filters)]

    alone = [found(s) for s in searches]
    assert all(alone), "every search finds something"
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(found, searches * 3))
    assert together == alone * 3


def test_unknown_committee_filter_returns_nothing_rather_than_everything(corpus_engine):
    assert corpus_engine.search("budget", k=5, filters=Filters(committee="no such committee")) == []


def test_public_role_never_sees_exempt_items(corpus_engine, corpus_index):
    from assistant.archive import Archive

    restricted = Archive(corpus_index).store.db.execute(
        "SELECT count(*) FROM passages WHERE access = 'restricted'").fetchone()[0]
    assert restricted > 0, "the demo corpus has Part II items"
    for question in ["exempt property purchase children's home", "land acquisition for housing Part II",
                     "alternative provision contract award"]:
        public = corpus_engine.search(question, k=20)
        assert all(h.passage.access == "public" for h in public)
    officer = corpus_engine.search("alternative provision contract award", k=20, filters=Filters(role="officer"))
    assert any(h.passage.access == "restricted" for h in officer)


def test_council_named_in_the_question_narrows_the_search(corpus_engine):
    hits = corpus_engine.search("How has the social worker vacancy rate in Kingsmere changed?", k=5)
    assert {h.passage.council for h in hits} == {"Kingsmere City Council"}


def test_an_ordinary_word_in_a_committee_name_does_not_name_the_committee(corpus_engine):
    # "Harbourside schools" is not the Schools Forum: the scrutiny committee's exclusion figures must not be
    # crowded out by Forum minutes lifted for a name the question never used
    hits = corpus_engine.search("What has happened to permanent exclusions in Harbourside schools over time?", k=5)
    assert {h.passage.committee for h in hits} != {"Schools Forum"}


def test_a_word_the_stemmer_conflates_still_finds_its_own_passage(corpus_engine):
    """FTS5's porter stemmer files 'informal' with 'information'; 'What was said about informal exclusions?'
    was once answered 'the records do not speak of: informal' while the scrutiny minutes record a parent
    governor on exactly that."""
    from assistant.text import word_form

    assert word_form("exclusions") == word_form("exclusion") and word_form("informal") != word_form("information")
    result = corpus_engine.ask("What was said about informal exclusions?")
    assert not result.abstained, result.text
    assert "informal exclusions" in result.citations[0].passage.text, result.text


def test_an_answer_says_a_word_in_another_form_but_not_in_another_word():
    """'How is Wretton going to store its documents electronically?' was refused although the minutes record
    'electronic storage'; a 'speed humps' question was taken as answered by a passage naming Cllr Humphries."""
    from assistant.text import says

    assert says({"electronic", "storage"}, "electronically") and says({"rental"}, "rents")
    assert says({"complained"}, "complaints") and says({"vehicles"}, "vehicle")
    assert not says({"humphries"}, "humps") and not says({"permission"}, "permits")
    assert not says({"inscription"}, "ins")


def test_top_results_are_not_near_duplicates(corpus_engine):
    from assistant.retrieve import shingles

    hits = corpus_engine.search("high needs block deficit", k=5)
    for i, a in enumerate(hits):
        for b in hits[i + 1:]:
            sa, sb = shingles(a.passage.text), shingles(b.passage.text)
            assert len(sa & sb) / max(1, min(len(sa), len(sb))) < 0.6


def test_hybrid_beats_either_half_alone_on_the_demo_questions(corpus_engine):
    from pathlib import Path

    from assistant.evaluate import first_hit_rank, load_questions, retrieval_scores
    from assistant.retrieve import Retriever

    questions = [q for f in sorted(Path("bench/questions").glob("*.jsonl")) for q in load_questions(f) if q["gold"]]
    scores = {}
    for name, dense, keyword in [("hybrid", True, True), ("dense", True, False), ("keyword", False, True)]:
        retriever = Retriever(corpus_engine.archive, use_dense=dense, use_keyword=keyword)
        ranks = [first_hit_rank([h.passage.text for h in retriever.search(q["question"], k=10)], q["gold"])
                 for q in questions]
        scores[name] = retrieval_scores(ranks)
    assert scores["hybrid"]["mrr"] > scores["dense"]["mrr"]
    assert scores["hybrid"]["mrr"] > scores["keyword"]["mrr"]
    # answers are composed from the top five passages (ten for timelines)
    assert scores["hybrid"]["recall@5"] >= max(scores["dense"]["recall@5"], scores["keyword"]["recall@5"])


def test_question_shapes_are_recognised():
    from assistant.query import understand

    committees = ["Parish Council", "Planning Committee", "Children's Services Overview and Scrutiny Committee",
                  "Scrutiny Committee"]
    assert understand("how has the high needs deficit grown over the years").intent == "timeline"
    assert understand("From what date could social workers get the recruitment bonus?").intent == "when"
    track = understand("track the SEND transport overspend over the last few years")
    assert track.intent == "timeline" and track.topic_terms() == ["send", "transport", "overspend"]
    assert understand("what targets did the council sign up to after declaring the climate emergency?").intent == "decision"
    # "the parish council" is the council as a whole, not its full-council meeting
    assert understand("What was the parish council's response to the application for houses off Church Lane?", [], committees).committees == []
    assert understand("what did the scrutiny committee resolve?", [], committees).committees == ["Scrutiny Committee"]
    assert understand("exclusions in Harbourside schools", [], ["Schools Forum"]).committees == []
    assert understand("What did the schools forum agree?", [], ["Schools Forum"]).committees == ["Schools Forum"]
    assert understand("What did the Children's Panel say?", [], ["Children's Panel"]).committees == ["Children's Panel"]
    assert understand("What has happened to exclusions over time?").topic_terms() == ["exclusions"]
    assert understand("Which councils saw the vacancy rate fall since 2019, and to what level?").topic_terms() == ["vacancy", "rate"]
    took_over = understand("Who took over as parish clerk when Geoffrey Tanner retired?")
    assert took_over.intent == "who" and took_over.succession and "appointed" in took_over.keywords(took_over.text)
    assert not understand("Who chairs the Health and Wellbeing Board?").succession
    assert understand("Why did the audit opinion fall?").why and understand("How did the school explain the drop?").why
    # asking how a fall was explained is asking why, not for a timeline; a span of time still makes one
    assert understand("How did the Virtual School explain the fall in absence?").intent != "timeline"
    assert understand("How has absence fallen since 2019, and why?").intent == "timeline"
    assert understand("Did the Executive change the golden hello in 2024?").intent == "decision"
    assert understand("When is the next monitoring visit planned?").ahead and not understand("When did Ofsted visit?").ahead
    assert understand("Has the committee discussed parking?").intent != "decision"
    progress = understand("How much progress has been made on getting council homes up to EPC C?")
    assert progress.intent == "timeline" and progress.measured() and progress.topic_terms() == ["council", "homes", "epc"]
    assert not understand("How has inclusion been discussed since 2020?").measured()
    assert not understand("How has the strategic risk register been discussed over time?").measured()  # "risk" is not "rise"
    councils = ["Harbourside Borough Council", "Kingsmere City Council"]
    assert understand("Which councils reported their vacancy rate falling since 2019?").across_councils()
    assert understand("How do vacancy rates compare between Harbourside and Kingsmere?", councils).across_councils()
    assert understand("How did the 2022 Ofsted judgements compare with the 2019 ones?").across_councils() is False


def test_first_considered_lifts_the_oldest_meetings_and_latest_the_newest(corpus_engine):
    """'What did the committee resolve when it first considered the judgement?' once quoted a
    resolution two years later."""
    from assistant.query import understand

    first = understand("what did children's scrutiny resolve when it first considered the inadequate Ofsted judgement")
    latest = understand("what is the latest social worker vacancy rate?")
    assert first.earliest and not first.recent and latest.recent and not latest.earliest
    assert not understand("what was said at the first meeting of the Improvement Board?").earliest
    retriever = corpus_engine.retriever
    first = retriever.understand(first.text)
    boosted = retriever.search(first.text, k=5, question=first)[0].passage
    plain = retriever.search(first.text, k=5, question=dataclasses.replace(first, earliest=False))[0].passage
    assert boosted.is_decision and boosted.date < plain.date, (boosted.date, plain.date)


@pytest.mark.parametrize("query", ["parking permit fees", "pond clearance volunteers", "grass cutting contract"])
def test_a_passage_only_the_keyword_half_found_still_has_its_similarity(corpus_engine, query):
    """A keyword-only hit once had no similarity and counted as 0, so a question whose best passages were out of
    the vector half's reach (a long parish record's one mention of the cemetery) was refused as 'nothing retrieved
    is close to the question'. Each hit now carries the cosine of its stored vector and the question's."""
    retriever = corpus_engine.retriever
    question = retriever.understand(query)
    reached = {pid for pid, _ in retriever._dense(query, 40, retriever.resolve(retriever.scope(Filters(), question)))}
    hits = retriever.search(query, k=10)
    assert any(h.passage.passage_id not in reached for h in hits), "the query finds a keyword-only passage"
    stored = corpus_engine.archive.collection.get(ids=[h.passage.passage_id for h in hits], include=["embeddings"])
    vectors = dict(zip(stored["ids"], stored["embeddings"]))
    asked = embedder.embed_query(query)
    for hit in hits:
        vector = vectors[hit.passage.passage_id]
        assert hit.similarity == pytest.approx(float(vector @ asked / (np.linalg.norm(vector) * np.linalg.norm(asked))),
                                               abs=1e-4), hit.passage.text[:80]


def test_words_the_question_writes_apart_find_the_compound_the_minutes_write(tmp_path):
    """Stoke Ferry's minutes write 'streetlights' and 'streetlighting'; 'did they take any street lights away?'
    never found the decision that no action was needed on the streetlights. A closed form the archive writes
    once against many open ones (a transcript's typo 'primeminister') is not searched for."""

    from assistant.archive import Archive

    minutes = {f"m{n}.txt": f"Stoke Ferry Parish Council\n\nMinutes of the meeting held on {n} March 2020\n\n"
                            f"{n}. Village matters\n"
                            f"{'The street lights by the school were reported as working. ' if n < 3 else ''}"
                            f"The Prime Minister's announcement on grants was noted.\n" for n in range(1, 9)}
    minutes["m9.txt"] = ("Stoke Ferry Parish Council\n\nMinutes of the meeting held on 11 November 2020\n\n"
                         "9. Review\nIt was felt that no action needed to be taken in regard to streetlights. "
                         "The primeminister was mentioned.\n")
    archive = Archive(tmp_path / "index", create=True)
    archive.ingest([write_records(tmp_path / "records", minutes)], log=lambda line: None)
    review = next(pid for pid, text in archive.store.db.execute("SELECT passage_id, text FROM passages")
                  if "streetlights" in text)
    assert review in {pid for pid, _ in archive.store.keyword_search("street lights", 20)}
    assert review not in {pid for pid, _ in archive.store.keyword_search("prime minister", 20)}


SEAFOOD_DEBATE = """The Chair: Good afternoon and welcome to the meeting of the Special Committee on the COVID-19 Pandemic. We will begin with ministerial announcements. Mr. Morneau, you have the floor.
Hon. Bill Morneau (Minister of Finance): Thank you, Mr. Chair. The Canada emergency wage subsidy has now supported more than two million workers, and we are extending it to the end of August so that employers can bring their staff back as the economy reopens. We have also heard from employers that the rules on revenue decline were too rigid, and we will consult on changes so that businesses that have grown through acquisition are not excluded. The subsidy remains the centre of our plan to protect jobs through this crisis.
The Chair: We'll now go to Mrs. Vecchio.
Mrs. Karen Vecchio (Elgin—Middlesex—London, CPC): Thank you, Mr. Chair. Rural families in my riding still cannot get reliable broadband, and children have been trying to do their school work from the parking lots of libraries. When will the universal broadband fund actually connect these homes?
Hon. Maryam Monsef (Minister for Women and Gender Equality and Rural Economic Development): Mr. Chair, we have accelerated the universal broadband fund and we are working with the provinces and with Internet service providers to connect rural households as quickly as possible. We know how much families depend on a good connection during this pandemic.
The Chair: We'll now go to Mr. Epp.
Mr. Dave Epp (Chatham-Kent—Leamington, CPC): Thank you, Mr. Chair. I wish to congratulate my colleague on the birth of her first grandchild this week, and I thank the volunteers of Chatham-Kent who collected a record amount of food for our food banks. Minister Jordan, the Freshwater Fish Marketing Corporation is allowed access to the seafood stabilization fund, while you deny its competitors, the Ontario fisheries on the Great Lakes, the same right to apply. Minister, why?
Hon. Bernadette Jordan (Minister of Fisheries, Oceans and the Canadian Coast Guard): Mr. Chair, the seafood stabilization fund is delivered through the regional development agencies, and we are working with them to make sure that processors in every region have the support they need.
Mr. Dave Epp: Minister, will you then direct these regional agencies to provide equitable funding to Ontario processors and fish harvesters on Lake Erie, equivalent to the seafood stabilization fund?
Hon. Bernadette Jordan: Mr. Chair, we have made sure that fish harvesters can apply for the fish harvester benefit and grant, and the regional development agencies have funding for businesses that fall outside other programs. We will continue to work with the member on the needs of the Great Lakes fishery.
Mr. Dave Epp: Minister, Lake Erie fish processors have lost their restaurant markets, and their harvesters cannot land fish without a buyer. They need the same help as processors on the coasts, and they need it before the season ends.
Hon. Bernadette Jordan: Mr. Chair, I will be happy to meet with the member to discuss the concerns of Lake Erie processors and harvesters, and to make sure that the programs reach them.
Mr. Dave Epp: Minister, the processors on Lake Erie employ hundreds of people in Wheatley and Kingsville, and most of their sales went to restaurants in the United States that are now closed. The seafood stabilization fund would let them buy freezer capacity and hold their catch until the markets come back. Why should a fish processor in Wheatley be treated differently from one in Nova Scotia?
Hon. Bernadette Jordan: Mr. Chair, the seafood stabilization fund was designed with the regional development agencies, and FedDev Ontario has its own funding for businesses in Ontario. I have asked my officials to look at whether Great Lakes processors are able to get the same help through that agency.
Mr. Dave Epp: Minister, the Great Lakes commercial fishery lands more freshwater fish than any other in Canada, and Lake Erie fish processors have been told by FedDev Ontario that they do not qualify. Will you make sure that the seafood stabilization fund, or an equivalent fund, is open to Ontario fish processors this season?
Hon. Bernadette Jordan: Mr. Chair, we want every fish processor and harvester in the country to get through this pandemic, including on the Great Lakes, and I will follow up with FedDev Ontario on the applications from Lake Erie processors.
The Chair: We'll now go to Mr. Sarai.
Mr. Randeep Sarai (Surrey Centre, Lib.): Thank you, Mr. Chair. Renters in Surrey have lost their income and worry about paying next month's rent. Can the minister tell us what the government is doing to help renters and small landlords?
Hon. Ahmed Hussen (Minister of Families, Children and Social Development): Mr. Chair, the Canada emergency response benefit has helped millions of Canadians pay their rent, and we are working with the provinces on rent assistance for commercial tenants as well.
The Chair: We'll now go to Mr. Perron.
Mr. Yves Perron (Berthier—Maskinongé, BQ): Mr. Chair, dairy farmers are dumping milk because restaurants have closed. When will the government compensate them for the market access it gave away in the trade agreements?
Hon. Marie-Claude Bibeau (Minister of Agriculture and Agri-Food): Mr. Chair, we have raised the borrowing limit of the Canadian Dairy Commission so that it can buy and store more butter and cheese, and we will honour our commitment to compensate dairy farmers in full."""


@pytest.fixture(scope="module")
def fisheries_engine(tmp_path_factory):
    return engine_over(tmp_path_factory, "fisheries", {"fisheries.txt": SEAFOOD_DEBATE})


def test_a_transcript_discussion_is_found_where_it_starts(fisheries_engine):
    """A committee member opens a topic in a turn that starts with something else (thanks, congratulations) and the
    exchanges after it say more about the topic: 'Summarize the discussion about the seafood stabilization fund'
    ranked the later exchanges first, so the reader met the discussion in its middle, not where the floor was given
    and the question first asked. (Modelled on the House of Commons committee transcripts of QMSum.)"""
    hits = fisheries_engine.search("Summarize the discussion about the seafood stabilization fund for Lake Erie fish processors.",
                         k=5)
    assert "We'll now go to Mr. Epp." in hits[0].passage.text, [h.passage.text[:60] for h in hits]


def test_a_transcript_discussion_is_summarised_from_the_exchange_found_first(fisheries_engine):
    """'Summarize the discussion about the seafood stabilization fund' quoted a sentence of a later exchange ("The
    seafood stabilization fund would let them buy freezer capacity…") because it holds the words best, though the
    exchange that opens the discussion ranked first; in a conversation the best-ranked exchange is where the
    answer is more often than the sentence that repeats the question's words (QMSum train and val)."""
    question = "Summarize the discussion about the seafood stabilization fund."
    first = fisheries_engine.search(question, k=5)[0].passage
    result = fisheries_engine.ask(question)
    assert not result.abstained, result.text
    assert result.citations[0].passage.passage_id == first.passage_id, (result.text, first.text[:80])


def test_what_a_member_asked_is_answered_with_their_question(fisheries_engine):
    """'What did Mr. Epp ask about Lake Erie fish processors?' quoted a statement of his: a sentence ending in a
    question mark was held to be a question that answers nothing, which is right except when what was asked is the
    question."""
    result = fisheries_engine.ask("What did Mr. Epp ask about Lake Erie fish processors?")
    assert not result.abstained, result.text
    assert re.search(r"\?\s*\[\d+\]", result.text), result.text
