"""Optional cross-encoder re-ranking (sentence-transformers ``CrossEncoder``),
loaded from a local path or the local model cache only."""

from __future__ import annotations

from collections.abc import Sequence

from app.retrieval.embedders import optional_import, resolve_st_model
from app.retrieval.errors import EmbedderUnavailableError


class CrossEncoderReranker:
    """Scores (query, passage) pairs with a cross-encoder model on disk."""

    def __init__(self, model: str, threads: int = 2) -> None:
        label = f"cross-encoder:{model}"
        try:
            torch = optional_import("torch")
            CrossEncoder = optional_import("sentence_transformers").CrossEncoder
        except ImportError as e:
            raise EmbedderUnavailableError(
                label, "请先安装 torch==2.13.0（CPU 版），再安装 sentence-transformers"
            ) from e
        torch.set_num_threads(threads)
        path = resolve_st_model(model)
        try:
            if path is not None:
                self._model = CrossEncoder(str(path), device="cpu")
            else:
                self._model = CrossEncoder(model, device="cpu", local_files_only=True)
        except (OSError, ValueError) as e:
            raise EmbedderUnavailableError(
                label, "本地找不到该重排模型（本工具不联网下载）：请用本地目录路径指定"
            ) from e
        self.name = model

    def score(self, query: str, passages: Sequence[str]) -> list[float]:
        """One relevance score per passage."""
        if not passages:
            return []
        scores = self._model.predict([(query, p) for p in passages], convert_to_numpy=True)
        return [float(s) for s in scores]
