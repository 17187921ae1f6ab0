"""The retrieval eval set is well-formed and the runner works end to end
(with the fake embedder, as a smoke run)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.loader import Corpus
from eval.retrieval.dataset import HOLDOUT_PATH, load_cases, load_sets, unresolved_targets
from eval.retrieval.run import Metrics, run, write_report
from ingestion.corpus.chunking import chunk_corpus


def test_eval_set_is_balanced_and_every_label_resolves(corpus: Corpus) -> None:
    cases = load_cases()
    assert len(cases) >= 80
    styles = [c.style for c in cases]
    assert styles.count("keyword") == styles.count("colloquial")
    assert unresolved_targets(cases, chunk_corpus(corpus)) == []
    assert {c.gold_doc for c in cases} <= set(corpus.docs)


def test_holdout_set_is_separate_and_every_label_resolves(corpus: Corpus) -> None:
    sets = load_sets()
    assert list(sets) == ["tuning", "holdout"]
    holdout = load_cases(HOLDOUT_PATH)
    assert len(holdout) >= 40
    assert sum(c.style == "colloquial" for c in holdout) >= 30
    assert unresolved_targets(holdout, chunk_corpus(corpus)) == []
    tuning_queries = {c.query for c in sets["tuning"]}
    assert not any(c.query in tuning_queries for c in holdout)


def test_ids_must_be_unique_across_sets(tmp_path: Path) -> None:
    line = '{"id": "x1", "query": "q", "style": "keyword", "gold_doc": "d", "gold_snippet": "ab"}\n'
    (tmp_path / "a.jsonl").write_text(line, encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(line, encoding="utf-8")
    with pytest.raises(ValueError, match="x1"):
        load_sets({"a": tmp_path / "a.jsonl", "b": tmp_path / "b.jsonl"})


def test_metrics() -> None:
    m = Metrics.of([1, 2, None, 6])
    assert (m.r1, m.r5) == (0.25, 0.5)
    assert m.mrr == (1 + 0.5 + 1 / 6) / 4


def test_smoke_run_writes_report(tmp_path: Path) -> None:
    result = run(["fake:64"], tmp_path / "idx", log=False)
    names = [m.name for m in result["methods"]]  # type: ignore[attr-defined]
    assert names == [
        "BM25 (jieba)",
        "BM25 (jieba) + 词表扩展",
        "dense: fake:64",
        "hybrid: BM25 + fake:64",
        "hybrid: BM25 + fake:64 + 词表(BM25)",
        "hybrid: BM25 + fake:64 + 词表(两路)",
    ]
    md = write_report(result, tmp_path / "out", ["fake:64"])
    text = md.read_text(encoding="utf-8")
    assert "关键词式 R@1" in text and "hybrid: BM25 + fake:64" in text
    assert "## 调参集" in text and "## 留出集" in text
    detail = json.loads((tmp_path / "out" / "retrieval.json").read_text(encoding="utf-8"))
    sets = load_sets()
    assert len(detail["cases"]) == sum(len(v) for v in sets.values())
    assert {c["set"] for c in detail["cases"]} == {"tuning", "holdout"}
