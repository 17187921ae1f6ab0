"""Ingestion pipeline: corpus → clause-aware chunks → embeddings → index.

Idempotent: chunk ids are content hashes, so only chunks whose id is not in
the index are embedded, and ids no longer produced by the corpus are
deleted. A re-run over an unchanged corpus embeds nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from app.retrieval.store import ChromaIndex
from corpus.loader import Corpus
from ingestion.corpus.chunking import Chunk, ChunkStats, chunk_corpus

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` after each embedded batch."""


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

    def summary(self) -> str:
        """One line in Chinese for the CLI."""
        dropped = "，".join(f"{k} {v}" for k, v in self.dropped.items()) or "无"
        return (
            f"{self.docs} 篇文档 → {self.chunks} 个条款块（新增 {self.added}，删除 {self.removed}，"
            f"未变 {self.unchanged}；丢弃：{dropped}），嵌入模型 {self.embedder}，"
            f"用时 {self.seconds:.1f} 秒"
        )


def ingest(
    corpus: Corpus,
    index: ChromaIndex,
    *,
    batch_size: int = 32,
    progress: Progress | None = None,
) -> IngestReport:
    """Bring ``index`` in line with ``corpus``: embed and add new chunks,
    delete chunks that no longer exist, leave the rest untouched."""
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
    for i in range(0, total, batch_size):
        batch = new[i : i + batch_size]
        vectors = index.embedder.embed_documents([c.index_text for c in batch])
        index.add([c.id for c in batch], [c.text for c in batch], [c.metadata() for c in batch], vectors)
        if progress is not None:
            progress(min(i + batch_size, total), total)
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
    )
