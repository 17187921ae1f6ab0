"""Optional cross-encoder re-ranking (sentence-transformers ``CrossEncoder``),
loaded from a local path or the local model cache only."""

from __future__ import annotations

from collections.abc import Sequence

from app.retrieval.embedders import load_st_model


class CrossEncoderReranker:
    """Scores (query, passage) pairs with a cross-encoder model on disk."""

    def __init__(self, model: str, threads: int = 2) -> None:
        self._model = load_st_model(
            "CrossEncoder",
            model,
            f"cross-encoder:{model}",
            threads,
            not_found="本地找不到该重排模型（本工具不联网下载）：请用本地目录路径指定",
        )
        self.name = model

    def score(self, query: str, passages: Sequence[str]) -> list[float]:
        """One relevance score per passage."""
        if not passages:
            return []
        scores = self._model.predict([(query, p) for p in passages], convert_to_numpy=True)
        return [float(s) for s in scores]
