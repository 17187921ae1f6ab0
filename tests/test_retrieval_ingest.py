"""Ingestion into the embedded Chroma index: idempotent, incremental, and
bound to one embedding model."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from app.retrieval.embedders import FakeEmbedder, Matrix
from app.retrieval.errors import EmbeddingModelMismatchError
from app.retrieval.pipeline import ingest
from app.retrieval.retriever import record_index_text
from app.retrieval.store import ChromaIndex, chroma_client
from app.settings import Settings, load_settings
from corpus.loader import Corpus, Doc, compact


class CountingEmbedder(FakeEmbedder):
    """The fake embedder, counting what it is asked to embed."""

    def __init__(self, dim: int = 64) -> None:
        super().__init__(dim=dim)
        self.embedded = 0

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        self.embedded += len(texts)
        return super().embed_documents(texts)


def small_corpus(corpus: Corpus, ids: Sequence[str]) -> Corpus:
    return dataclasses.replace(corpus, docs={i: corpus.docs[i] for i in ids})


def settings_for(tmp_path: Path, **retrieval: Any) -> Settings:
    return load_settings(data_dir=tmp_path, retrieval={"embedder": "fake:64", **retrieval})


DOCS = ("js-iif-2022-notice", "nt-2022-notice", "nt-2022-summary")


def test_reingest_embeds_nothing(tmp_path: Path, corpus: Corpus) -> None:
    small = small_corpus(corpus, DOCS)
    emb = CountingEmbedder()
    index = ChromaIndex.from_settings(settings_for(tmp_path), emb)
    calls: list[tuple[int, int]] = []
    first = ingest(small, index, batch_size=8, progress=lambda d, t: calls.append((d, t)))
    assert first.added == first.chunks > 20 and first.removed == 0
    assert emb.embedded == first.chunks
    assert calls[0] == (0, first.chunks) and calls[-1] == (first.chunks, first.chunks)
    assert index.count() == first.chunks

    # A new process: new client, new embedder, same data dir.
    emb2 = CountingEmbedder()
    index2 = ChromaIndex(chroma_client(settings_for(tmp_path)), "shenbao-corpus", emb2)
    second = ingest(small, index2)
    assert (second.added, second.removed, second.unchanged) == (0, 0, first.chunks)
    assert emb2.embedded == 0
    assert "新增 0" in second.summary()


def test_changed_doc_reembeds_only_what_changed(tmp_path: Path, corpus: Corpus) -> None:
    small = small_corpus(corpus, DOCS)
    emb = CountingEmbedder()
    index = ChromaIndex.from_settings(settings_for(tmp_path), emb)
    before = ingest(small, index)
    doc = small.docs["nt-2022-notice"]
    body = doc.body.replace("正常经营1年以上", "正常经营2年以上")
    edited = Doc(meta=doc.meta, body=body, path=doc.path, compact=compact(body))
    changed = dataclasses.replace(small, docs={**small.docs, "nt-2022-notice": edited})
    emb.embedded = 0
    after = ingest(changed, index)
    assert (after.added, after.removed) == (1, 1)
    assert emb.embedded == 1
    assert index.count() == before.chunks
    texts = [r.text for r in index.records()]
    assert any("正常经营2年以上" in t for t in texts)
    assert not any("正常经营1年以上" in t for t in texts)


def test_refuses_another_embedding_model(tmp_path: Path, corpus: Corpus) -> None:
    small = small_corpus(corpus, DOCS[:1])
    ingest(small, ChromaIndex.from_settings(settings_for(tmp_path), FakeEmbedder(dim=64)))
    with pytest.raises(EmbeddingModelMismatchError) as err:
        ChromaIndex.from_settings(settings_for(tmp_path), FakeEmbedder(dim=32))
    msg = str(err.value)
    assert "fake:64" in msg and "fake:32" in msg and "--rebuild" in msg and "重建" in msg
    rebuilt = ChromaIndex.from_settings(settings_for(tmp_path), FakeEmbedder(dim=32), rebuild=True)
    assert rebuilt.count() == 0 and rebuilt.model == "fake:32"
    report = ingest(small, rebuilt)
    assert report.added == report.chunks


def test_stored_metadata_and_vectors(tmp_path: Path, corpus: Corpus) -> None:
    small = small_corpus(corpus, ("scenarios-guide-2024",))
    index = ChromaIndex.from_settings(settings_for(tmp_path), FakeEmbedder(dim=64))
    ingest(small, index)
    recs = {r.metadata["scenario"]: r for r in index.records() if r.metadata["scenario"]}
    assert recs["18"].metadata["link"] == "仓储物流"
    assert recs["18"].metadata["programmes"] == ["js-gradient-2025"]
    # What BM25 rebuilds from the store is exactly the text that was embedded.
    hits = index.query(index.embedder.embed_query(record_index_text(recs["18"])), 1)
    assert hits[0].id == recs["18"].id and hits[0].distance == pytest.approx(0.0, abs=1e-3)
    only = index.query(index.embedder.embed_query("智能仓储"), 5, {"scenario": "22"})
    by_id = {r.id: r for r in index.records()}
    assert only and all(by_id[h.id].metadata["scenario_name"] == "能源智能管控" for h in only)
