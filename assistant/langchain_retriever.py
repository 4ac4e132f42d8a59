"""The archive as a LangChain retriever, so people can plug their minutes into their own chains."""

from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.engine import Engine
from assistant.filters import Filters


class MinuteBookRetriever(BaseRetriever):
    """Hybrid search over the index; each Document carries the passage's record metadata.

    >>> retriever = MinuteBookRetriever(engine=Engine("index"), k=5)
    >>> retriever.invoke("social worker recruitment")[0].metadata["committee"]
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)
    engine: Engine
    k: int = 5
    filters: Filters = Filters()

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        hits = self.engine.search(query, k=self.k, filters=self.filters)
        return [Document(page_content=h.passage.text, id=h.passage.passage_id,
                         metadata={k: v for k, v in h.to_json(rank).items() if k != "text"})
                for rank, h in enumerate(hits, start=1)]
