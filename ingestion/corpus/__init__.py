"""Corpus ingestion: clause-aware chunks of the policy documents, embedded
into the vector index (see :mod:`app.retrieval.pipeline`)."""

from ingestion.corpus.chunking import CHUNKER_VERSION, Chunk, ChunkStats, chunk_corpus, chunk_doc

__all__ = ["CHUNKER_VERSION", "Chunk", "ChunkStats", "chunk_corpus", "chunk_doc"]
