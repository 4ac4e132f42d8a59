"""The archive as a LangChain retriever returns Documents with the record metadata."""

from __future__ import annotations

from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever


def test_retriever_returns_documents_with_record_metadata(seeds_engine):
    from assistant.langchain_retriever import MinuteBookRetriever

    retriever = MinuteBookRetriever(engine=seeds_engine, k=3)
    assert isinstance(retriever, BaseRetriever)
    docs = retriever.invoke("What did the committee resolve about the performance documents?")
    assert 1 <= len(docs) <= 3 and all(isinstance(d, Document) for d in docs)
    top = docs[0]
    assert "RESOLVED" in top.page_content
    assert top.metadata["committee"] == "Children's Services Overview and Scrutiny Committee"
    assert top.metadata["date"] == "2021-06-08" and top.metadata["item"] == "11"
    assert top.metadata["rank"] == 1 and top.id == top.metadata["passage_id"]
