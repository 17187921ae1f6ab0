"""Ingestion pipeline: corpus → clause-aware chunks → embeddings → index.

Idempotent: chunk ids are content hashes, so only chunks whose id is not in
the index are added, and ids no longer produced by the corpus are deleted. A
re-run over an unchanged corpus embeds nothing. A chunk to add takes its
vector from the precomputed :class:`~app.retrieval.embedding_cache.EmbeddingCache`
when that has it for this embedder version, and is embedded otherwise.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from app.retrieval.embedding_cache import EmbeddingCache
from app.retrieval.store import ChromaIndex
from corpus.loader import Corpus
from ingestion.corpus.chunking import Chunk, ChunkStats, chunk_corpus

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` after each embedded batch."""

CACHED_BATCH = 1000
"""Chunks added per Chroma call when their vectors come from the cache."""


@dataclass
class IngestReport:
    """What one ingestion run did."""

    embedder: str
    collection: str
    docs: int
    chunks: int
    added: int
    removed: int
    unchanged: int
    seconds: float
    by_kind: dict[str, int] = field(default_factory=dict)
    dropped: dict[str, int] = field(default_factory=dict)
    cached: int = 0
    """Of the added chunks, how many took their vector from the precomputed cache."""

    @property
    def embedded(self) -> int:
        """Added chunks that were embedded in this run."""
        return self.added - self.cached

    def summary(self) -> str:
        """One line in Chinese for the CLI."""
        dropped = "，".join(f"{k} {v}" for k, v in self.dropped.items()) or "无"
        cached = f"，其中 {self.cached} 个取自预置嵌入" if self.cached else ""
        return (
            f"{self.docs} 篇文档 → {self.chunks} 个条款块（新增 {self.added}{cached}，删除 {self.removed}，"
            f"未变 {self.unchanged}；丢弃：{dropped}），嵌入模型 {self.embedder}，"
            f"用时 {self.seconds:.1f} 秒"
        )


def ingest(
    corpus: Corpus,
    index: ChromaIndex,
    *,
    batch_size: int = 32,
    progress: Progress | None = None,
    cache: EmbeddingCache | None = None,
) -> IngestReport:
    """Bring ``index`` in line with ``corpus``: add new chunks (their vectors
    from ``cache`` when it serves the index's embedder and has their text,
    else embedded), delete chunks that no longer exist, leave the rest
    untouched. ``progress(done, total)`` counts the added chunks."""
    start = time.perf_counter()
    stats = ChunkStats()
    chunks = chunk_corpus(corpus, stats)
    wanted: dict[str, Chunk] = {c.id: c for c in chunks}
    present = index.ids()
    new = [c for cid, c in wanted.items() if cid not in present]
    stale = present - wanted.keys()
    if stale:
        index.delete(stale)
    total = len(new)
    if progress is not None:
        progress(0, total)
    hits = (
        cache.lookup([c.index_text for c in new])
        if cache is not None and cache.serves(index.embedder)
        else {}
    )
    done = 0
    if hits:  # cached vectors first, in large batches: no model to run
        from_cache = [c for i, c in enumerate(new) if i in hits]
        vectors = np.stack([hits[i] for i in sorted(hits)])
        for i in range(0, len(from_cache), CACHED_BATCH):
            batch = from_cache[i : i + CACHED_BATCH]
            index.add(
                [c.id for c in batch],
                [c.text for c in batch],
                [c.metadata() for c in batch],
                vectors[i : i + CACHED_BATCH],
            )
        done = len(from_cache)
        if progress is not None:
            progress(done, total)
    to_embed = [c for i, c in enumerate(new) if i not in hits]
    for i in range(0, len(to_embed), batch_size):
        batch = to_embed[i : i + batch_size]
        vectors = index.embedder.embed_documents([c.index_text for c in batch])
        index.add([c.id for c in batch], [c.text for c in batch], [c.metadata() for c in batch], vectors)
        done += len(batch)
        if progress is not None:
            progress(done, total)
    return IngestReport(
        embedder=index.embedder.name,
        collection=index.name,
        docs=stats.docs,
        chunks=len(wanted),
        added=total,
        removed=len(stale),
        unchanged=len(wanted) - total,
        seconds=time.perf_counter() - start,
        by_kind=dict(stats.made),
        dropped=dict(stats.dropped),
        cached=len(hits),
    )
