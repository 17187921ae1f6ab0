"""Hybrid retrieval of policy clauses: dense (Chroma) + BM25 (jieba tokens),
fused by weighted reciprocal rank, optionally re-ranked by a cross-encoder,
exposed as a LangChain ``BaseRetriever`` whose ``Document``s carry the
citation (doc, doc title, clause path, text).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field

from app.retrieval.bm25 import BM25Index, ChineseTokenizer
from app.retrieval.embedders import Matrix
from app.retrieval.errors import IndexEmptyError
from app.retrieval.store import ChromaIndex, Record
from core.findings import Citation
from corpus.glossary import Glossary
from ingestion.corpus.chunking import build_index_text

Mode = Literal["hybrid", "dense", "bm25"]
Expansion = Literal["off", "bm25", "both"]
"""Where the glossary's query expansion applies: nowhere, the BM25 query only, or both queries."""


@dataclass(frozen=True)
class Filters:
    """Restrict results to one programme, one document and/or one scenario
    (a scenario by number as printed, e.g. ``18``, or by name, e.g. ``智能仓储``)."""

    programme: str | None = None
    doc: str | None = None
    scenario: str | None = None

    def __bool__(self) -> bool:
        return any((self.programme, self.doc, self.scenario))

    def chroma_where(self) -> dict[str, Any] | None:
        """The same filter as a Chroma ``where`` clause."""
        conds: list[dict[str, Any]] = []
        if self.programme:
            conds.append({"programmes": {"$contains": self.programme}})
        if self.doc:
            conds.append({"doc": self.doc})
        if self.scenario:
            conds.append({"$or": [{"scenario": self.scenario}, {"scenario_name": self.scenario}]})
        if not conds:
            return None
        return conds[0] if len(conds) == 1 else {"$and": conds}

    def accepts(self, meta: dict[str, Any]) -> bool:
        """Whether a chunk with this metadata passes the filter."""
        if self.programme and self.programme not in (meta.get("programmes") or []):
            return False
        if self.doc and meta.get("doc") != self.doc:
            return False
        return not (self.scenario and self.scenario not in (meta.get("scenario"), meta.get("scenario_name")))


class ExactVectors:
    """All chunk vectors in memory, searched exactly by cosine (a dot product
    of unit vectors). Ties are broken by id, so results never vary between
    runs, unlike an approximate index."""

    def __init__(self, ids: Sequence[str], vectors: Matrix) -> None:
        if len(ids) != len(vectors):
            raise ValueError("ids and vectors differ in length")
        self.ids = list(ids)
        self.vectors = vectors
        self._id_order = np.argsort(np.asarray(self.ids, dtype=object)).argsort()

    def search(self, query: Matrix, n: int, allow: Callable[[str], bool] | None = None) -> list[str]:
        """Ids of the ``n`` most similar vectors (optionally only those ``allow`` accepts)."""
        if not self.ids or n <= 0:
            return []
        cand = np.arange(len(self.ids))
        if allow is not None:
            cand = np.asarray([i for i in cand if allow(self.ids[i])], dtype=np.int64)
            if cand.size == 0:
                return []
        scores = np.round(self.vectors[cand] @ query, 6)
        order = np.lexsort((self._id_order[cand], -scores))[:n]
        return [self.ids[int(cand[i])] for i in order]


class Reranker(Protocol):
    """Scores (query, passage) pairs; higher is more relevant."""

    def score(self, query: str, passages: Sequence[str]) -> list[float]:
        """One score per passage."""
        ...


@dataclass
class Result:
    """One retrieved chunk with how each method ranked it (1-based; ``None``: not retrieved)."""

    record: Record
    score: float
    dense_rank: int | None = None
    bm25_rank: int | None = None
    rerank_score: float | None = None

    def citation(self) -> Citation:
        """The citation a finding or drafted sentence carries."""
        m = self.record.metadata
        return Citation(
            doc=str(m.get("doc", "")),
            doc_title=str(m.get("doc_title", "")),
            clause=str(m.get("clause_path", "")),
            quote=self.record.text,
        )

    def to_document(self) -> Document:
        """As a LangChain ``Document``: the clause text, metadata with the citation."""
        m = self.record.metadata
        meta: dict[str, Any] = {
            "id": self.record.id,
            "doc": m.get("doc", ""),
            "doc_title": m.get("doc_title", ""),
            "clause_path": m.get("clause_path", ""),
            "clause": m.get("clause", ""),
            "heading_path": m.get("heading_path", ""),
            "text": self.record.text,
            "programmes": list(m.get("programmes") or []),
            "link": m.get("link", ""),
            "scenario": m.get("scenario", ""),
            "scenario_name": m.get("scenario_name", ""),
            "kind": m.get("kind", ""),
            "score": self.score,
            "dense_rank": self.dense_rank,
            "bm25_rank": self.bm25_rank,
            "citation": self.citation().model_dump(),
        }
        if self.rerank_score is not None:
            meta["rerank_score"] = self.rerank_score
        return Document(page_content=self.record.text, metadata=meta, id=self.record.id)


def record_index_text(rec: Record) -> str:
    """The text BM25 indexes for a stored chunk (the same text that was embedded)."""
    m = rec.metadata
    heading_path = str(m.get("heading_path") or "")
    headings = heading_path.split(" > ") if heading_path else []
    return build_index_text(
        str(m.get("doc_title", "")),
        headings,
        str(m.get("kind", "")),
        rec.text,
        str(m.get("table_header") or "") or None,
    )


def rrf(rankings: Sequence[tuple[Sequence[str], float]], k: int) -> dict[str, float]:
    """Weighted reciprocal-rank fusion: ``Σ weight / (k + rank)`` over the rankings."""
    scores: dict[str, float] = {}
    for ids, weight in rankings:
        if weight <= 0:
            continue
        for rank, id_ in enumerate(ids, start=1):
            scores[id_] = scores.get(id_, 0.0) + weight / (k + rank)
    return scores


class HybridRetriever(BaseRetriever):
    """Dense + BM25 retrieval over the clause index, fused by reciprocal rank.

    ``invoke(query)`` uses the retriever's own ``k`` and filters; they can be
    overridden per call: ``invoke(query, k=3, programme="js-iif-2022")``.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    index: ChromaIndex
    records: dict[str, Record]
    bm25: BM25Index
    exact: ExactVectors | None = None
    k: int = 5
    fetch_k: int = 30
    rrf_k: int = 60
    dense_weight: float = 1.0
    bm25_weight: float = 1.0
    mode: Mode = "hybrid"
    filters: Filters = Field(default_factory=Filters)
    reranker: Any = None
    rerank_top: int = 20
    glossary: Glossary = Field(default_factory=Glossary)
    expand: Expansion = "off"

    @classmethod
    def from_index(
        cls, index: ChromaIndex, tokenizer: ChineseTokenizer, *, exact: bool = True, **kwargs: Any
    ) -> HybridRetriever:
        """Build the retriever (and its BM25 index) from everything in ``index``.
        ``exact``: keep the vectors in memory and rank by exact cosine
        (deterministic); otherwise ask Chroma's approximate HNSW search."""
        if exact:
            recs, vectors = index.records_and_vectors()
        else:
            recs, vectors = index.records(), None
        if not recs:
            raise IndexEmptyError(index.name)
        bm25 = BM25Index([r.id for r in recs], [record_index_text(r) for r in recs], tokenizer)
        ev = ExactVectors([r.id for r in recs], vectors) if vectors is not None else None
        return cls(index=index, records={r.id: r for r in recs}, bm25=bm25, exact=ev, **kwargs)

    # -- the ranked lists ------------------------------------------------

    def expansion(self, query: str) -> list[str]:
        """The policy terms the glossary adds to ``query`` (empty when expansion is off)."""
        return [] if self.expand == "off" else self.glossary.expansion(query)

    def search_queries(self, query: str) -> tuple[str, str]:
        """The (dense, BM25) query texts: ``query`` with the glossary's terms
        appended where expansion applies."""
        expanded = self.glossary.expand(query) if self.expand != "off" else query
        return (expanded if self.expand == "both" else query), expanded

    def dense_ranking(self, query: str, n: int, filters: Filters) -> list[str]:
        """Ids of the ``n`` nearest chunks by embedding."""
        vec = self.index.embedder.embed_query(query)
        if self.exact is not None:
            allow = None
            if filters:

                def allow(id_: str) -> bool:
                    return filters.accepts(self.records[id_].metadata)

            return self.exact.search(vec, n, allow)
        return [h.id for h in self.index.query(vec, n, filters.chroma_where()) if h.id in self.records]

    def bm25_ranking(self, query: str, n: int, filters: Filters) -> list[str]:
        """Ids of the ``n`` best BM25 matches."""
        allow = None
        if filters:
            ids = self.bm25.ids

            def allow(i: int) -> bool:
                return filters.accepts(self.records[ids[i]].metadata)

        return [s.id for s in self.bm25.search(query, n, allow)]

    def search(self, query: str, k: int | None = None, filters: Filters | None = None) -> list[Result]:
        """The ``k`` best chunks for ``query`` as :class:`Result`s."""
        k = k or self.k
        filters = filters if filters is not None else self.filters
        n = max(self.fetch_k, k, self.rerank_top if self.reranker is not None else 0)
        dense_q, bm25_q = self.search_queries(query)
        dense = self.dense_ranking(dense_q, n, filters) if self.mode in ("hybrid", "dense") else []
        lexical = self.bm25_ranking(bm25_q, n, filters) if self.mode in ("hybrid", "bm25") else []
        if self.mode == "dense":
            fused = rrf([(dense, 1.0)], self.rrf_k)
        elif self.mode == "bm25":
            fused = rrf([(lexical, 1.0)], self.rrf_k)
        else:
            fused = rrf([(dense, self.dense_weight), (lexical, self.bm25_weight)], self.rrf_k)
        d_rank = {id_: i for i, id_ in enumerate(dense, start=1)}
        b_rank = {id_: i for i, id_ in enumerate(lexical, start=1)}
        order = sorted(fused, key=lambda i: (-fused[i], d_rank.get(i, 10**9), b_rank.get(i, 10**9), i))
        results = [Result(self.records[i], fused[i], d_rank.get(i), b_rank.get(i)) for i in order]
        if self.reranker is not None and results:
            head = results[: self.rerank_top]
            scores = self.reranker.score(query, [r.record.text for r in head])
            for r, s in zip(head, scores, strict=True):
                r.rerank_score = float(s)
            head.sort(key=lambda r: -(r.rerank_score or 0.0))
            results = head + results[self.rerank_top :]
        return results[:k]

    # -- LangChain -------------------------------------------------------

    def _get_relevant_documents(
        self,
        query: str,
        *,
        run_manager: CallbackManagerForRetrieverRun,
        k: int | None = None,
        programme: str | None = None,
        doc: str | None = None,
        scenario: str | None = None,
    ) -> list[Document]:
        base = self.filters
        filters = Filters(
            programme=programme or base.programme,
            doc=doc or base.doc,
            scenario=scenario or base.scenario,
        )
        return [r.to_document() for r in self.search(query, k, filters)]
