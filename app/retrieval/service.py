"""Wiring: build the index, the ingestion run and the retriever from settings."""

from __future__ import annotations

from app.retrieval.bm25 import ChineseTokenizer, catalogue_terms
from app.retrieval.embedders import Embedder, make_embedder
from app.retrieval.embedding_cache import EmbeddingCache, shipped_cache
from app.retrieval.pipeline import IngestReport, Progress, ingest
from app.retrieval.retriever import HybridRetriever, Mode, Reranker
from app.retrieval.store import ChromaIndex
from app.settings import Settings, load_settings
from corpus.loader import Corpus, default_corpus


def configured_embedder(settings: Settings) -> Embedder:
    """The embedder named in the settings."""
    return make_embedder(settings.retrieval.embedder, threads=settings.retrieval.threads)


def configured_reranker(settings: Settings) -> Reranker | None:
    """The cross-encoder named in the settings, or ``None``."""
    if not settings.retrieval.reranker:
        return None
    from app.retrieval.rerank import CrossEncoderReranker

    return CrossEncoderReranker(settings.retrieval.reranker, threads=settings.retrieval.threads)


def ingest_corpus(
    settings: Settings | None = None,
    *,
    corpus: Corpus | None = None,
    embedder: Embedder | None = None,
    rebuild: bool = False,
    progress: Progress | None = None,
) -> IngestReport:
    """Index the corpus into the configured store (incrementally unless
    ``rebuild``), taking the vectors of unchanged chunks from the shipped cache."""
    settings = settings or load_settings()
    index = ChromaIndex.from_settings(settings, embedder or configured_embedder(settings), rebuild=rebuild)
    return ingest(
        corpus or default_corpus(),
        index,
        batch_size=settings.retrieval.batch_size,
        progress=progress,
        cache=configured_cache(settings, index.embedder),
    )


def configured_cache(settings: Settings, embedder: Embedder) -> EmbeddingCache | None:
    """The shipped embeddings for ``embedder``'s exact version, unless the settings turn them off."""
    return shipped_cache(embedder) if settings.retrieval.embedding_cache else None


def build_retriever(
    settings: Settings | None = None,
    *,
    corpus: Corpus | None = None,
    embedder: Embedder | None = None,
    index: ChromaIndex | None = None,
    reranker: Reranker | None = None,
    mode: Mode = "hybrid",
) -> HybridRetriever:
    """The hybrid retriever over the configured index, with jieba's dictionary
    extended by the corpus catalogue terms and queries expanded by the corpus
    search glossary as the settings say."""
    settings = settings or load_settings()
    if index is None:
        index = ChromaIndex.from_settings(settings, embedder or configured_embedder(settings))
    r = settings.retrieval
    corpus = corpus or default_corpus()
    return HybridRetriever.from_index(
        index,
        ChineseTokenizer(catalogue_terms(corpus)),
        exact=r.exact_search,
        k=r.k,
        fetch_k=r.fetch_k,
        rrf_k=r.rrf_k,
        dense_weight=r.dense_weight,
        bm25_weight=r.bm25_weight,
        mode=mode,
        reranker=reranker if reranker is not None else configured_reranker(settings),
        rerank_top=r.rerank_top,
        glossary=corpus.glossary,
        expand=r.query_expansion,
    )
