"""The heavy shared objects of the UI, built once per server process.

Streamlit keeps ``st.cache_resource`` results for the life of the process and
shares them between sessions. Each cached builder takes what identifies the
object (a database URL, a settings fingerprint) as an argument, so a change of
settings builds a new object instead of reusing a stale one. Settings are read
per run (cheap), never at import time.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from app.history import database_url
from app.retrieval import HybridRetriever, build_retriever, ingest_corpus
from app.retrieval.pipeline import Progress
from app.settings import Settings, load_settings
from app.store import ReviewStore
from corpus.loader import Corpus, default_corpus


@dataclass(frozen=True)
class Services:
    """What a page needs: settings, the validated corpus and the review store."""

    settings: Settings
    corpus: Corpus
    store: ReviewStore


@st.cache_resource(show_spinner=False)
def cached_corpus() -> Corpus:
    """The bundled corpus (validated once per process)."""
    return default_corpus()


@st.cache_resource(show_spinner=False)
def cached_store(url: str) -> ReviewStore:
    """One review store (connection pool) per database URL."""
    return ReviewStore(url)


def get_services() -> Services:
    """Settings from the environment, the cached corpus and the cached store."""
    settings = load_settings()
    return Services(settings=settings, corpus=cached_corpus(), store=cached_store(database_url(settings)))


def retrieval_key(settings: Settings) -> str:
    """What identifies a retriever: where the index is and how it is searched."""
    return "|".join(
        (
            str(settings.data_dir.resolve()),
            settings.chroma.model_dump_json(),
            settings.retrieval.model_dump_json(),
        )
    )


@st.cache_resource(show_spinner="正在加载政策条款索引…")
def cached_retriever(key: str, _settings: Settings) -> HybridRetriever:
    """The hybrid retriever for ``key`` (see :func:`retrieval_key`). Raises
    :class:`app.retrieval.RetrievalError` (not cached) when the index is empty
    or cannot be opened."""
    return build_retriever(_settings, corpus=cached_corpus())


def get_retriever(settings: Settings) -> HybridRetriever:
    """The cached retriever for these settings."""
    return cached_retriever(retrieval_key(settings), settings)


def build_index(settings: Settings, progress: Progress | None = None) -> int:
    """Index the corpus (incrementally) and drop cached retrievers; the number
    of chunks indexed. ``progress(done, total)`` follows the embedding."""
    report = ingest_corpus(settings, corpus=cached_corpus(), progress=progress)
    cached_retriever.clear()
    return report.chunks
