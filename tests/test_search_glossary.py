"""The search glossary: query expansion (pure), its validation when the corpus
loads, and how the retriever applies it (off / BM25 only / both queries)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.retrieval.retriever import Filters, HybridRetriever
from app.retrieval.service import build_retriever, ingest_corpus
from app.settings import load_settings
from corpus.glossary import Glossary, GlossaryEntry
from corpus.loader import Corpus, CorpusError, load_corpus

G = Glossary(
    entries=[
        GlossaryEntry(ask=["成立", "开了几年"], policy=["正常经营", "年以上"]),
        GlossaryEntry(ask=["5g"], policy=["5G", "网络"]),
        GlossaryEntry(ask=["电费"], policy=["能耗", "年以上"]),
    ]
)


def test_expansion_appends_policy_terms_once() -> None:
    assert G.expansion("公司成立才半年能报吗") == ["正常经营", "年以上"]
    # two entries fire; 年以上 is not repeated
    assert G.expansion("成立两年，电费太高") == ["正常经营", "年以上", "能耗"]
    assert G.expand("公司成立才半年") == "公司成立才半年 正常经营 年以上"


def test_expansion_is_case_insensitive_and_skips_terms_already_present() -> None:
    assert G.expansion("车间 5G 改造") == ["网络"]
    assert G.expansion("正常经营 成立") == ["年以上"]


def test_query_without_ask_terms_is_unchanged() -> None:
    assert G.expansion("仓储管理系统 RFID") == []
    assert G.expand("仓储管理系统 RFID") == "仓储管理系统 RFID"
    assert Glossary().expand("任何查询") == "任何查询"


def test_blank_terms_are_refused() -> None:
    with pytest.raises(ValueError, match="术语不能为空"):
        GlossaryEntry(ask=[" "], policy=["能耗"])


def test_bundled_glossary_loads_and_every_policy_term_is_in_the_corpus(corpus: Corpus) -> None:
    assert len(corpus.glossary.entries) >= 20
    texts = [d.compact for d in corpus.docs.values()]
    for entry in corpus.glossary.entries:
        for term in entry.policy:
            assert any(term.replace(" ", "") in t for t in texts), term


def test_policy_term_absent_from_the_corpus_is_a_corpus_error(corpus_copy: Path) -> None:
    path = corpus_copy / "search" / "glossary.yaml"
    path.write_text("entries:\n  - ask: [电费]\n    policy: [能耗, 量子纠缠]\n", encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        load_corpus(corpus_copy)
    assert any("量子纠缠" in p and "不在任何文档中" in p for p in err.value.problems)


def test_malformed_glossary_is_a_corpus_error(corpus_copy: Path) -> None:
    (corpus_copy / "search" / "glossary.yaml").write_text("entries:\n  - ask: []\n", encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        load_corpus(corpus_copy)
    assert any("glossary.yaml" in p for p in err.value.problems)


def test_missing_glossary_means_no_expansion(corpus_copy: Path) -> None:
    (corpus_copy / "search" / "glossary.yaml").unlink()
    assert load_corpus(corpus_copy).glossary.entries == []


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory, corpus: Corpus) -> Path:
    d = tmp_path_factory.mktemp("gloss-idx")
    ingest_corpus(load_settings(data_dir=d, retrieval={"embedder": "fake:64"}), corpus=corpus)
    return d


def _retriever(data_dir: Path, corpus: Corpus, expand: str) -> HybridRetriever:
    settings = load_settings(data_dir=data_dir, retrieval={"embedder": "fake:64", "query_expansion": expand})
    return build_retriever(settings, corpus=corpus)


def test_retriever_expands_where_the_setting_says(indexed: Path, corpus: Corpus) -> None:
    q = "公司成立才半年能不能参加南通的智能工厂培育"
    expanded = corpus.glossary.expand(q)
    assert expanded != q and "正常经营" in expanded
    assert _retriever(indexed, corpus, "off").search_queries(q) == (q, q)
    assert _retriever(indexed, corpus, "bm25").search_queries(q) == (q, expanded)
    assert _retriever(indexed, corpus, "both").search_queries(q) == (expanded, expanded)
    assert _retriever(indexed, corpus, "off").expansion(q) == []
    assert "正常经营" in _retriever(indexed, corpus, "bm25").expansion(q)


def test_bm25_expansion_reaches_the_clause_the_writer_meant(indexed: Path, corpus: Corpus) -> None:
    """公司开了几年 shares no word with the 正常经营N年以上 clauses; the glossary bridges it."""
    q = "公司开了几年才能报"

    def found(expand: str) -> bool:
        r = _retriever(indexed, corpus, expand)
        _, bm25_query = r.search_queries(q)
        ids = r.bm25_ranking(bm25_query, 5, Filters())
        return any("正常经营" in r.records[i].text for i in ids)

    assert not found("off")
    assert found("bm25")
