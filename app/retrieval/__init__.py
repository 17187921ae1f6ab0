"""Retrieval of policy clauses: embedders, the Chroma index, BM25 and the
hybrid LangChain retriever. Start with :func:`build_retriever` and
:func:`ingest_corpus`.

Names are imported lazily so that ``app.retrieval.errors`` (and the CLI) do not
pull in langchain and chromadb until retrieval is actually used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.retrieval.errors import RetrievalError
    from app.retrieval.retriever import Filters, HybridRetriever, Result
    from app.retrieval.service import build_retriever, ingest_corpus

__all__ = ["Filters", "HybridRetriever", "Result", "RetrievalError", "build_retriever", "ingest_corpus"]

_HOME = {
    "RetrievalError": "app.retrieval.errors",
    "Filters": "app.retrieval.retriever",
    "HybridRetriever": "app.retrieval.retriever",
    "Result": "app.retrieval.retriever",
    "build_retriever": "app.retrieval.service",
    "ingest_corpus": "app.retrieval.service",
}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(importlib.import_module(_HOME[name]), name)
    raise AttributeError(name)
