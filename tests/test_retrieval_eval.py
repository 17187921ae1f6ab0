"""The retrieval eval set is well-formed and the runner works end to end
(with the fake embedder, as a smoke run)."""

from __future__ import annotations

import json
from pathlib import Path

from corpus.loader import Corpus
from eval.retrieval.dataset import load_cases, unresolved_targets
from eval.retrieval.run import Metrics, run, write_report
from ingestion.corpus.chunking import chunk_corpus


def test_eval_set_is_balanced_and_every_label_resolves(corpus: Corpus) -> None:
    cases = load_cases()
    assert len(cases) >= 80
    styles = [c.style for c in cases]
    assert styles.count("keyword") == styles.count("colloquial")
    assert unresolved_targets(cases, chunk_corpus(corpus)) == []
    assert {c.gold_doc for c in cases} <= set(corpus.docs)


def test_metrics() -> None:
    m = Metrics.of([1, 2, None, 6])
    assert (m.r1, m.r5) == (0.25, 0.5)
    assert m.mrr == (1 + 0.5 + 1 / 6) / 4


def test_smoke_run_writes_report(tmp_path: Path) -> None:
    result = run(["fake:64"], tmp_path / "idx", log=False)
    names = [m.name for m in result["methods"]]  # type: ignore[attr-defined]
    assert names == ["BM25 (jieba)", "dense: fake:64", "hybrid: BM25 + fake:64"]
    md = write_report(result, tmp_path / "out", ["fake:64"])
    text = md.read_text(encoding="utf-8")
    assert "关键词式 R@1" in text and "hybrid: BM25 + fake:64" in text
    detail = json.loads((tmp_path / "out" / "retrieval.json").read_text(encoding="utf-8"))
    assert len(detail["cases"]) == len(load_cases())
